import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKER_ENTRIES, nodeBundleOptions } from '../../../scripts/bundle-config.mjs';
import { tempDir } from '../../helpers/records';

// Inside the repo so the bundle resolves better-sqlite3 from node_modules; .tmp is git-ignored.
const out = join(process.cwd(), '.tmp', `store-script-${process.pid}`);
const { dir, cleanup } = tempDir();
beforeAll(async () => {
  await mkdir(out, { recursive: true });
  await build({
    ...nodeBundleOptions(`${process.cwd()}/`),
    entryPoints: { 'store-script': 'test/helpers/store-script.ts', ...WORKER_ENTRIES },
    outdir: out,
    sourcemap: false,
    logLevel: 'error',
  });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  cleanup();
});

it('a program whose last work is closing the log waits for the close: every row lands, exit 0', async () => {
  // The store's threads are unref'd while idle; close() must hold the process open until they
  // are done, or Node exits with 13 (top-level await unsettled) and the queue is lost.
  const file = join(dir, 'log.sqlite');
  const child = spawn(process.execPath, [join(out, 'store-script.js'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = await once(child, 'exit');
  expect(code, output).toBe(0);
  expect(output).toContain('closed');
  const db = new Database(file, { readonly: true });
  expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(25);
  db.close();
});
