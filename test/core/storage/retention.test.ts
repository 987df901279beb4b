import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore, type TokenRatio } from '../../../electron/core/storage';
import { startRetention } from '../../../electron/core/storage/retention-scheduler';
import { makeRecord, randomRecord, rng, tempDir } from '../../helpers/records';

let dir: string;
let cleanup: () => void;
let store: LogStore;
let file: string;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  file = join(dir, 'log.sqlite');
  store = await openLogStore(file);
});
afterEach(async () => {
  await store.close();
  cleanup();
});

function query<T>(sql: string): T {
  const d = new Database(file, { readonly: true });
  try {
    return d.prepare(sql).pluck().get() as T;
  } finally {
    d.close();
  }
}
function ids(): number[] {
  const d = new Database(file, { readonly: true });
  try {
    return d.prepare('SELECT id FROM requests ORDER BY id').pluck().all() as number[];
  } finally {
    d.close();
  }
}

/** Ratios compared with a relative tolerance: subtracting contributions rounds differently than summing. */
function expectSameRatios(actual: TokenRatio[], expected: TokenRatio[]) {
  const key = (r: TokenRatio) => `${r.policy}|${r.model}`;
  const byKey = new Map(expected.map((r) => [key(r), r]));
  expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
  for (const a of actual) {
    const e = byKey.get(key(a))!;
    expect(a.sampleCount).toBe(e.sampleCount);
    expect(a.avgRatio).toBeCloseTo(e.avgRatio, 9);
    expect(a.minRatio).toBe(e.minRatio);
    expect(a.maxRatio).toBe(e.maxRatio);
    if (e.stddevRatio === null) expect(a.stddevRatio).toBeNull();
    else expect(a.stddevRatio!).toBeCloseTo(e.stddevRatio, 6);
  }
}

describe('retention', () => {
  it('a new database is created with incremental auto-vacuum', () => {
    expect(query<number>('PRAGMA auto_vacuum')).toBe(2);
  });

  it(
    'by age: deletes exactly the rows older than the ' + 'cutoff, in batches, with ratios equal to a recomputation',
    async () => {
      const rand = rng(11);
      const start = Date.UTC(2026, 0, 1);
      const now = start + 40 * 86_400_000;
      for (let i = 0; i < 3000; i++) {
        // Spread over 40 days so about a quarter is older than 30 days.
        const r = randomRecord(rand, start, i);
        store.enqueue({ ...r, timestamp: new Date(start + Math.floor(rand() * 40 * 86_400_000)).toISOString() });
      }
      await store.flush();
      const cutoff = new Date(now - 30 * 86_400_000).toISOString();
      const kept = query<number>(`SELECT count(*) FROM requests WHERE timestamp >= '${cutoff}'`);
      const old = query<number>(`SELECT count(*) FROM requests WHERE timestamp < '${cutoff}'`);
      expect(old).toBeGreaterThan(500);

      let batches = 0;
      const counting = { prune: (rule: Parameters<LogStore['prune']>[0]) => (batches++, store.prune(rule)) };
      const retention = startRetention(counting, () => ({ maxAgeDays: 30 }), {
        batch: 100,
        now: () => now,
        intervalMs: 60_000,
      });
      expect(await retention.runNow()).toBe(old);
      await retention.stop();
      expect(batches).toBe(Math.floor(old / 100) + 1);
      expect(query<number>('SELECT count(*) FROM requests')).toBe(kept);
      expect(query<number>(`SELECT count(*) FROM requests WHERE timestamp < '${cutoff}'`)).toBe(0);
      expect(query<number>('SELECT count(*) FROM exchanges')).toBe(kept);

      const incremental = store.getTokenRatios();
      await store.rebuildTokenRatios();
      expectSameRatios(incremental, store.getTokenRatios());
    },
  );

  it(
    'by size: keeps the database within its bound while writes continue, deleting only the oldest ' +
      'rows, and gives space back',
    async () => {
      const body = 'y'.repeat(4000);
      const bulky = (i: number) =>
        makeRecord({
          correlationId: `s${i}`,
          timestamp: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
          exchange: {
            requestHeaders: {},
            responseHeaders: null,
            requestBody: body,
            requestBodyTruncated: false,
            responseBody: body,
            responseBodyTruncated: false,
          },
        });
      const maxSizeMB = 4;
      const retention = startRetention(store, () => ({ maxSizeMB }), { batch: 200, intervalMs: 20 });
      let n = 0;
      let peakUsed = 0;
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 250; i++) store.enqueue(bulky(n++));
        await store.flush();
        await retention.runNow();
        const used = query<number>('PRAGMA page_count') - query<number>('PRAGMA freelist_count');
        peakUsed = Math.max(peakUsed, used * query<number>('PRAGMA page_size'));
      }
      await retention.stop();
      // 10 000 rows of ~8 KiB were written (~80 MiB); after each round's pruning the log is back within bound.
      expect(n).toBe(10_000);
      expect(peakUsed).toBeLessThanOrEqual(maxSizeMB * 1024 * 1024);
      const left = ids();
      expect(left.length).toBeGreaterThan(100);
      expect(left.length).toBeLessThan(n);
      // Only the oldest went: what is left is the newest rows, contiguous up to the last one written.
      expect(left.at(-1)).toBe(n);
      expect(left[0]).toBe(n - left.length + 1);
      await store.flush();
      await store.close();
      // Freed pages went back to the file system: the file is near its bound, not the 80 MiB written.
      const { statSync } = await import('node:fs');
      expect(statSync(file).size).toBeLessThan(maxSizeMB * 1024 * 1024 * 1.5);
      store = await openLogStore(file);
    },
  );

  it('does nothing when retention is off', async () => {
    for (let i = 0; i < 50; i++) store.enqueue(makeRecord({ timestamp: '2000-01-01T00:00:00.000Z' }));
    await store.flush();
    const retention = startRetention(store, () => undefined);
    expect(await retention.runNow()).toBe(0);
    await retention.stop();
    expect(query<number>('SELECT count(*) FROM requests')).toBe(50);
  });
});
