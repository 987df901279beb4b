import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { useBundledScript } from '../../helpers/bundled-script';
import { tempDir } from '../../helpers/records';

const { dir, cleanup } = tempDir();
const script = useBundledScript('store-script');
afterAll(cleanup);

it('a program whose last work is closing the log waits for the close: every row lands, exit 0', async () => {
  // The store's threads are unref'd while idle; close() must hold the process open until they
  // are done, or Node exits with 13 (top-level await unsettled) and the queue is lost.
  const file = join(dir, 'log.sqlite');
  const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
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
