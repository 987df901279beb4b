// `npm start`: run the real desktop app from a checkout.
// 1. Electron's binary: `npm ci` skips its download (see allowScripts in package.json) so that
//    installs and tests work offline; fetch it here, once, on first start.
// 2. better-sqlite3 for Electron's ABI, built into .electron-native/ so node_modules keeps the
//    Node build the tests use; main.ts loads it through better-sqlite3's nativeBinding option.
// 3. Build, then launch Electron on the built main.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
};

const electronPkg = `${root}node_modules/electron`;
const electronVersion = JSON.parse(readFileSync(`${electronPkg}/package.json`, 'utf8')).version;
if (!existsSync(`${electronPkg}/path.txt`) || !existsSync(`${electronPkg}/dist`)) {
  console.log(`Downloading Electron ${electronVersion} (first start only)…`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  run(process.execPath, [`${electronPkg}/install.js`], { cwd: electronPkg, env });
}

const nativeDir = `${root}.electron-native/better-sqlite3`;
const binding = `${nativeDir}/build/Release/better_sqlite3.node`;
const stamp = `${nativeDir}/.electron-version`;
const sqlitePkg = JSON.parse(readFileSync(`${root}node_modules/better-sqlite3/package.json`, 'utf8')).version;
const wanted = `${electronVersion}/${sqlitePkg}`;
if (!existsSync(binding) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
  console.log(`Building better-sqlite3 ${sqlitePkg} for Electron ${electronVersion}…`);
  rmSync(nativeDir, { recursive: true, force: true });
  cpSync(`${root}node_modules/better-sqlite3`, nativeDir, {
    recursive: true,
    filter: (src) => !src.includes(`${'/'}build${'/'}`),
  });
  // A prebuilt binary for this Electron when the project publishes one, else a source build
  // against Electron's headers with npm's own node-gyp.
  const prebuild = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
    { stdio: 'inherit', cwd: nativeDir },
  );
  if (prebuild.status !== 0) {
    const nodeGyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
    run(process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers'], { cwd: nativeDir });
  }
  (await import('node:fs')).writeFileSync(stamp, wanted);
}

run(process.execPath, [`${root}scripts/build.mjs`]);
const electron = readFileSync(`${electronPkg}/path.txt`, 'utf8');
run(`${electronPkg}/dist/${electron}`, [root, ...process.argv.slice(2)], {
  env: { ...process.env, INSPECTOR_NATIVE_BINDING: binding },
});
