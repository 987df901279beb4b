// The built app, run from outside the source tree: dist/ must carry everything (migrations are
// embedded, the writer worker sits beside its bundle), and the bundles may import only what the
// package ships (Node built-ins, electron, better-sqlite3).
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../scripts/migrations-plugin.mjs';
import { checksum } from '../../electron/core/storage/migrate';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app: string;
let work: string;

beforeAll(() => {
  // `npm test` builds first; a lone `vitest run` of this file builds here.
  if (!existsSync(join(root, 'dist/electron/serve.js')) || !existsSync(join(root, 'dist/renderer/index.html'))) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
    expect(r.status).toBe(0);
  }
  work = mkdtempSync(join(tmpdir(), 'inspector-built-'));
  app = join(work, 'app');
  cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(app, 'package.json'));
  // Only the native module the bundles leave external, as the packaged app would carry it.
  symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the built app', () => {
  it('starts headless from dist/ alone, creates a fresh log with every migration, and exits cleanly', async () => {
    const db = join(work, 'data', 'log.sqlite');
    const child = spawn(
      process.execPath,
      [
        join(app, 'dist/electron/serve.js'),
        '--db',
        db,
        '--config',
        join(work, 'data', 'settings.json'),
        '--proxy-port',
        '0',
        '--ui-port',
        '0',
      ],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    // Keep reading stdout to the end: closing the pipe early would make the child's last writes fail.
    const ready = new Promise<void>((resolve) =>
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('ui listening on')) resolve();
      }),
    );
    await ready;
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }, stderr.join('')).toEqual({ code: 0, signal: null });

    const conn = new Database(db, { readonly: true });
    const applied = conn.prepare('SELECT name, checksum FROM schema_migrations ORDER BY version').all();
    conn.close();
    const files = readMigrationFiles(join(root, 'migrations'));
    expect(applied).toEqual(files.map((f) => ({ name: f.name, checksum: checksum(f.sql) })));
  });

  it('keeps serving and exits cleanly when whoever read its output has gone (broken pipe)', async () => {
    const child = spawn(
      process.execPath,
      [
        join(app, 'dist/electron/serve.js'),
        '--db',
        join(work, 'epipe', 'log.sqlite'),
        '--config',
        join(work, 'epipe', 'settings.json'),
        '--proxy-port',
        '0',
        '--ui-port',
        '0',
      ],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const proxyUrl = /^proxy listening on (\S+)$/.exec(first)?.[1];
    child.stdout.destroy(); // like `| head -1`: the next writes meet a closed pipe
    const res = await fetch(`${proxyUrl}/nowhere`);
    expect(res.status).toBe(404); // still serving (no upstream is configured, so: no mount)
    child.kill('SIGTERM'); // shutdown logs a line into the broken pipe
    const [code] = await once(child, 'exit');
    expect(code, stderr.join('')).toBe(0);
  });

  it('bundles import nothing but Node built-ins, electron and better-sqlite3', async () => {
    const allowed = new Set([
      'electron',
      'better-sqlite3',
      ...builtinModules,
      ...builtinModules.map((m) => `node:${m}`),
    ]);
    for (const bundle of [
      'main.js',
      'serve.js',
      'writer-worker.js',
      'reader-worker.js',
      'export-worker.js',
      'diff-worker.js',
      'otlp-worker.js',
      'preload.cjs',
    ]) {
      // esbuild reads the bundle's own import graph: every specifier it leaves unresolved is one the
      // package would have to provide at run time.
      const { metafile } = await build({
        entryPoints: [join(app, 'dist/electron', bundle)],
        bundle: true,
        packages: 'external',
        platform: 'node',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const external = Object.values(metafile.inputs)
        .flatMap((input) => input.imports)
        .filter((i) => i.external)
        .map((i) => i.path);
      expect(external.length, bundle).toBeGreaterThan(0);
      expect(
        external.filter((s) => !allowed.has(s)),
        bundle,
      ).toEqual([]);
    }
  });

  it('the page ships React’s production build, whatever NODE_ENV the build ran under', () => {
    // This file runs under vitest (NODE_ENV=test), and so did the build `npm test` made.
    expect(process.env.NODE_ENV).toBe('test');
    const assets = join(app, 'dist/renderer/assets');
    const js = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    expect(js.includes('react.transitional.element'), 'React is in the bundle').toBe(true);
    // What only React's development build carries: a warning, and JSX compiled with source paths.
    expect(js.includes('should have a unique "key" prop'), 'development warnings').toBe(false);
    expect(js.includes('jsxDEV'), 'development JSX').toBe(false);
  });

  it('the preload is a single CommonJS file (a sandboxed preload cannot load modules)', () => {
    const code = readFileSync(join(app, 'dist/electron/preload.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
