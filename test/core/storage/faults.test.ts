// Fault injection on the log database (issue 13): the disk filling up under the writer, and the
// process killed with SIGKILL while it writes. After each: integrity_check ok, nothing lost
// beyond the queue at the moment of a kill, and the writer's state shown through its status
// (the contract's AppStatus.writer). A database locked by another connection is covered in
// writer.test.ts.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { useBundledScript } from '../../helpers/bundled-script';
import type { WriterStatus } from '../../../electron/core/contract/model';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';

const { dir, cleanup } = tempDir('inspector-faults-');
const script = useBundledScript('store-load-script');
afterAll(cleanup);

function integrity(file: string): string {
  const db = new Database(file);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function nextStatus(store: LogStore, predicate: (s: WriterStatus) => boolean): Promise<WriterStatus> {
  return new Promise((resolve) => {
    const off = store.on('status', (s) => {
      if (predicate(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** A small tmpfs of our own (root on Linux), or null with the reason printed where the system won't. */
function smallDisk(at: string, size: string): { grow(size: string): void; unmount(): void } | null {
  try {
    mkdirSync(at);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', at], { stdio: 'pipe' });
  } catch (e) {
    console.warn(
      `cannot mount a small tmpfs here, the disk-full case is not run: ${(e as Error).message.split('\n')[0]}`,
    );
    return null;
  }
  return {
    grow: (bigger) => execFileSync('mount', ['-o', `remount,size=${bigger}`, at]),
    unmount: () => execFileSync('umount', [at]),
  };
}

describe('the log database failing', () => {
  it(
    'a full disk: the writer reports it and keeps the ' + 'queue; once there is room every row lands, integrity ok',
    async () => {
      const disk = smallDisk(join(dir, 'small'), '1m');
      if (!disk) return;
      const file = join(dir, 'small', 'log.sqlite');
      let store: LogStore | null = await openLogStore(file, { writer: { retryDelayMs: 10, maxRetryDelayMs: 50 } });
      try {
        const full = nextStatus(store, (s) => s.state === 'retrying');
        const body = 'x'.repeat(20_000);
        const N = 200; // ~4 MB of bodies into a 1 MB disk
        for (let i = 0; i < N; i++)
          store.enqueue(makeRecord({ exchange: { ...makeRecord().exchange, requestBody: body } }));
        const status = await full;
        expect(status.lastError).toMatch(/SQLITE_FULL|full/i);
        expect(status.queued).toBeGreaterThan(0);
        expect(store.writerStatus().dropped).toBe(0);

        disk.grow('64m');
        await store.flush();
        expect(store.writerStatus()).toMatchObject({
          state: 'ok',
          lastError: null,
          queued: 0,
          dropped: 0,
          committed: N,
        });
        await store.close();
        store = null;
        expect(integrity(file)).toBe('ok');
        const db = new Database(file, { readonly: true });
        expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(N);
        expect(db.prepare('SELECT count(*) FROM exchanges WHERE length(request_body) = 20000').pluck().get()).toBe(N);
        db.close();
      } finally {
        await store?.close();
        disk.unmount();
      }
    },
  );

  it('SIGKILL under load: the file opens, integrity ok, and every row reported committed is there', async () => {
    const file = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed = new Set<number>();
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', () => reject(new Error(`the writer exited before it was killed: ${errors}`)));
      lines.on('line', (line) => {
        if (!line.startsWith('committed ')) return;
        for (const id of line.slice(10).split(',')) committed.add(Number(id));
        // Killed mid-flight, a few thousand rows in: the writer is committing as fast as it can.
        if (committed.size >= 3000) resolve();
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    lines.close();

    expect(integrity(file)).toBe('ok');
    const store = await openLogStore(file);
    try {
      const db = new Database(file, { readonly: true });
      const ids = new Set(db.prepare('SELECT id FROM requests').pluck().all() as number[]);
      // The ratios kept in the same transactions agree with the rows that made it.
      const ratioSamples = db.prepare('SELECT coalesce(sum(sample_count), 0) FROM token_ratios').pluck().get();
      db.close();
      const lost = [...committed].filter((id) => !ids.has(id));
      expect(lost).toEqual([]);
      expect(ratioSamples).toBe(ids.size);
      // And the log takes new rows after the crash.
      store.enqueue(makeRecord({ model: 'after-crash' }));
      await store.flush();
      expect((await store.listRequests({ model: ['after-crash'] }, null, 10)).rows).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
