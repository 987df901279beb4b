import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExportArgs } from '../../../electron/core/export/cli';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';

describe('export command line', () => {
  it('parses flags, infers the format from the extension, and refuses bad input with a reason', () => {
    const ok = parseExportArgs([
      '--db',
      'a.sqlite',
      '--out',
      '/tmp/x.csv',
      '--since',
      '2026-03-01T00:00:00+01:00',
      '--no-bodies',
    ]);
    expect(ok).toMatchObject({
      ok: true,
      job: { format: 'csv', includeBodies: false, includeHeaders: true, filter: { since: '2026-02-28T23:00:00.000Z' } },
    });
    expect(parseExportArgs(['--db', 'a', '--out', '/tmp/x.bin'])).toMatchObject({
      ok: true,
      job: { format: 'sqlite' },
    });
    expect(parseExportArgs(['--db', 'a', '--out', 'x', '--format', 'xml'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--format'),
    });
    expect(parseExportArgs(['--db', 'a', '--out', 'x', '--until', 'yesterday'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--until'),
    });
    expect(parseExportArgs(['--out', 'x'])).toMatchObject({ ok: false, message: '--db FILE is required' });
    expect(parseExportArgs(['--db', 'a', '--out', 'x', '--bogus'])).toMatchObject({ ok: false });
  });

  describe('npm run export against a log that is being written', () => {
    let dir: string;
    let cleanup: () => void;
    let store: LogStore;
    beforeEach(async () => {
      ({ dir, cleanup } = tempDir());
      store = await openLogStore(join(dir, 'log.sqlite'));
    });
    afterEach(async () => {
      await store.close();
      cleanup();
    });

    it('exports a time range as JSONL while the writer keeps committing', async () => {
      for (let i = 0; i < 100; i++)
        store.enqueue(
          makeRecord({ correlationId: `r${i}`, timestamp: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString() }),
        );
      await store.flush();
      let writing = true;
      const load = (async () => {
        while (writing) {
          store.enqueue(makeRecord({ timestamp: '2030-01-01T00:00:00.000Z' }));
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      const out = join(dir, 'range.jsonl');
      const args = [
        'scripts/export.mjs',
        '--db',
        join(dir, 'log.sqlite'),
        '--out',
        out,
        '--since',
        '2026-03-01T00:10:00Z',
        '--until',
        '2026-03-01T00:20:00Z',
      ];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      writing = false;
      await load;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('exported 10 requests');
      const ids = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).correlation_id);
      expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `r${i + 10}`));
    });

    it('exits 1 with the reason, and 2 on bad arguments', async () => {
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['scripts/export.mjs', ...args], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        });
      const failed = await run(['--db', join(dir, 'log.sqlite'), '--out', join(dir, 'no', 'such', 'x.csv')]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('folder does not exist');
      const usage = await run(['--db', join(dir, 'log.sqlite')]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('usage: npm run export');
    });
  });
});
