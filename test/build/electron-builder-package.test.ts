// What the installers would carry, found by running electron-builder itself: its real `dir` packaging
// for Linux (the step every installer target starts from) over the built dist/, with a stand-in for
// the Electron binary (it can't be downloaded here) and no fuses (they are flipped inside the real
// binary). The app.asar it writes is then compared with what `npm run build` produced: the built app,
// better-sqlite3 with the one prebuilt binary for this platform, and nothing else.
// It packs a snapshot of the project (config, icons, dist/, node_modules linked), because other tests
// run `npm run serve`, which rebuilds dist/ in place while this one may be reading it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asar, electronBuilder, root } from './electron-builder';

// The one external module of the bundles; it requires nothing else at run time.
const RUNTIME_MODULES = ['better-sqlite3'];
// The prebuilt binary for the OS and architecture packaged for: this machine's, as in the release
// workflow, where each OS packages its own installers.
const BINARY = `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`;

let work: string;
let project: string;
let resources: string;
let archive: string;
let entries: string[];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [relative(project, join(dir, d.name)).split(sep).join('/')],
  );
}

beforeAll(async () => {
  // `npm test` builds first; a lone run of this file builds here.
  if (!existsSync(join(root, 'dist/electron/main.js')) || !existsSync(join(root, 'dist/renderer/index.html'))) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
    expect(r.status).toBe(0);
  }
  work = mkdtempSync(join(tmpdir(), 'inspector-package-'));
  project = join(work, 'project');
  for (const f of [
    'package.json',
    'package-lock.json',
    'electron-builder.yml',
    'build',
    'dist/electron',
    'dist/renderer',
  ]) {
    cpSync(join(root, f), join(project, f), { recursive: true });
  }
  // A production install's node_modules: the production dependency tree, copied. (A symlink to the
  // dev tree made `npm list` — which electron-builder runs to find what to pack — report hundreds of
  // extraneous packages once npm's hidden lockfile was older than a package folder, as it is right
  // after `npm ci` builds better-sqlite3, and the runtime modules went missing from the package.)
  const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
  for (const dir of prod.stdout.split('\n').filter((d) => d.startsWith(join(root, 'node_modules')))) {
    cpSync(dir, join(project, relative(root, dir)), { recursive: true });
  }
  const electronDist = join(work, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  await electronBuilder.build({
    projectDir: project,
    targets: electronBuilder.Platform.LINUX.createTarget('dir'),
    publish: 'never',
    config: {
      electronDist,
      // Electron is a dev dependency, so the production copy above doesn't hold it to read its version from.
      electronVersion: (
        JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
      ).version,
      electronFuses: null,
      directories: { output: join(work, 'out') },
    },
  });
  resources = join(work, 'out', 'linux-unpacked', 'resources');
  archive = join(resources, 'app.asar');
  // Files only, without the leading slash, in the same form as walk().
  entries = asar
    .listPackage(archive, { isPack: false })
    .map((e) => e.replace(/\\/g, '/').replace(/^\//, ''))
    .filter((e) => asar.statFile(archive, e).files === undefined);
}, 180_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packaged app (electron-builder dir target over dist/)', () => {
  it('carries exactly the build output the desktop app runs, without source maps or the headless entries', () => {
    // What scripts/build.mjs writes (dist/run/ holds benchmark bundles, which must stay out). serve
    // and the command line (with its SQL thread) run under Node from the npm package, not in the app.
    const headless = [
      'dist/electron/serve.js',
      'dist/electron/bin.js',
      'dist/electron/cli.js',
      'dist/electron/sql-worker.js',
    ];
    const built = [...walk(join(project, 'dist/electron')), ...walk(join(project, 'dist/renderer'))].filter(
      (f) => !f.endsWith('.map') && !headless.includes(f),
    );
    expect(built).toEqual(
      expect.arrayContaining([
        'dist/electron/main.js',
        'dist/electron/preload.cjs',
        'dist/electron/writer-worker.js',
        'dist/electron/reader-worker.js',
        'dist/electron/export-worker.js',
        'dist/electron/diff-worker.js',
        'dist/renderer/index.html',
      ]),
    );
    expect(entries.filter((e) => e.startsWith('dist/')).sort()).toEqual(built.sort());
  });

  it(
    'carries no sources, tests, migrations folder or dev dependencies: besides dist/, only ' +
      'package.json and the native module',
    () => {
      const rest = entries.filter((e) => !e.startsWith('dist/'));
      const outside = rest.filter(
        (e) => e !== 'package.json' && !RUNTIME_MODULES.some((m) => e.startsWith(`node_modules/${m}/`)),
      );
      expect(outside).toEqual([]);
      for (const m of RUNTIME_MODULES) expect(rest).toContain(`node_modules/${m}/package.json`);
      expect(
        entries.filter(
          (e) => /\.(ts|tsx|map|sql|c|cpp|h|gyp)$/.test(e) || e.startsWith('test/') || e.startsWith('migrations/'),
        ),
      ).toEqual([]);
    },
  );

  it(
    'carries one native binary: better-sqlite3’s prebuilt for this platform, unpacked beside the ' +
      'archive, as npm installed it',
    () => {
      // The package holds a prebuilt for each OS, architecture and libc; the others would only make
      // the installers bigger.
      expect(entries.filter((e) => e.endsWith('.node'))).toEqual([BINARY]);
      expect(asar.statFile(archive, BINARY).unpacked).toBe(true);
      // The very file the tests load in Node: a Node-API addon, so nothing is rebuilt for Electron.
      const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(sha(join(resources, 'app.asar.unpacked', BINARY))).toBe(sha(join(root, BINARY)));
    },
  );

  it('better-sqlite3 as packaged loads that binary and opens a database, resolved from the built main', () => {
    // The archive's contents as the app sees them (unpacked files included), in a folder Node can
    // load from; a child process, so the binary isn't loaded twice into this one.
    const app = join(work, 'extracted');
    asar.extractAll(archive, app);
    const probe = `
      const { createRequire } = require('node:module');
      const Database = createRequire(${JSON.stringify(join(app, 'dist/electron/main.js'))})('better-sqlite3');
      const db = new Database(':memory:');
      const version = db.prepare('SELECT sqlite_version()').pluck().get();
      db.close();
      const loaded = Object.keys(require.cache).filter((f) => f.endsWith('.node'));
      console.log(JSON.stringify({ version, loaded }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { version, loaded } = JSON.parse(r.stdout) as { version: string; loaded: string[] };
    expect(version).toMatch(/^3\.\d+\.\d+$/);
    expect(loaded).toEqual([join(app, BINARY)]);
  });

  it('its package.json starts the built main and lists no dev dependencies or scripts', () => {
    const packaged = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>;
    const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(source.main).toBe('dist/electron/main.js');
    expect(packaged.main).toBe(source.main);
    expect(packaged.type).toBe('module');
    expect(entries).toContain(source.main);
    expect(packaged.devDependencies).toBeUndefined();
    expect(packaged.scripts).toBeUndefined();
  });

  it('every script and stylesheet the page loads is in the package', () => {
    const html = asar.extractFile(archive, 'dist/renderer/index.html').toString('utf8');
    const refs = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => `dist/renderer/${m[1]}`);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(entries).toContain(ref);
  });
});
