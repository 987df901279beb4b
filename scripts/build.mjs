// Production build: the Node side (Electron main, preload, headless serve, writer worker) with
// esbuild, the renderer with Vite. Everything the app runs ends up in dist/; the migrations are
// embedded in the bundles, so dist/ needs no source tree beside it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildMigrations } from './migrations-plugin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/electron`;
const only = process.argv.includes('--node-only') ? 'node' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

// Native and Electron-provided modules stay outside the bundle; everything else is inlined, so the
// packaged app needs only these in node_modules.
export const EXTERNAL = ['electron', 'better-sqlite3'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: EXTERNAL,
  plugins: [esbuildMigrations(`${root}migrations`)],
  // ws looks for optional native speedups it doesn't need.
  define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
};

// ESM bundles that inline CommonJS packages still meet `require` of Node built-ins.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

if (only !== 'renderer') {
  rmSync(out, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: {
      main: `${root}electron/main.ts`,
      serve: `${root}electron/core/serve.ts`,
      'writer-worker': `${root}electron/core/storage/writer-worker.ts`,
    },
    outdir: out,
    format: 'esm',
    outExtension: { '.js': '.js' },
    banner: { js: requireShim },
  });
  // The preload runs in a sandboxed renderer, where only a single CommonJS file works.
  await build({ ...common, entryPoints: [`${root}electron/preload.ts`], outfile: `${out}/preload.cjs`, format: 'cjs' });
}

if (only !== 'node') {
  const r = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
