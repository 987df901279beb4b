import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore, type TokenRatio } from '../../../electron/core/storage';
import { makeRecord, randomRecord, rng, tempDir } from '../../helpers/records';

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

const key = (r: TokenRatio) => `${r.policy}|${r.model}`;

function expectSameRatios(a: TokenRatio[], b: TokenRatio[]) {
  expect(a.map(key).sort()).toEqual(b.map(key).sort());
  const byKey = new Map(b.map((r) => [key(r), r]));
  for (const x of a) {
    const y = byKey.get(key(x))!;
    expect(x.sampleCount).toBe(y.sampleCount);
    expect(Math.abs(x.avgRatio - y.avgRatio)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs((x.stddevRatio ?? 0) - (y.stddevRatio ?? 0))).toBeLessThanOrEqual(1e-9);
    expect(x.minRatio).toBe(y.minRatio);
    expect(x.maxRatio).toBe(y.maxRatio);
  }
}

describe('token ratios', () => {
  it('the incremental table equals rebuildTokenRatios() after a randomized workload', async () => {
    const rand = rng(2026);
    let i = 0;
    // Batches of very different sizes, so the pairwise merge is exercised at every scale.
    for (const size of [1, 2, 3, 700, 5, 1500, 1, 64, 2000, 9]) {
      for (let k = 0; k < size; k++) store.enqueue(randomRecord(rand, Date.UTC(2026, 0, 1), i++));
      await store.flush();
    }
    const incremental = store.getTokenRatios();
    expect(incremental.length).toBeGreaterThan(10);
    await store.rebuildTokenRatios();
    const rebuilt = store.getTokenRatios();
    expectSameRatios(incremental, rebuilt);
  });

  it('learns only from successful requests with both counts above zero, per (policy, model)', async () => {
    const rows = [
      makeRecord({ policy: 'p', model: 'm', inputTokens: 100, outputTokens: 50 }), // 0.5
      makeRecord({ policy: 'p', model: 'm', inputTokens: 100, outputTokens: 150 }), // 1.5
      makeRecord({ policy: 'p', model: 'm', inputTokens: 100, outputTokens: 900, success: false }),
      makeRecord({ policy: 'p', model: 'm', inputTokens: 0, outputTokens: 10 }),
      makeRecord({ policy: 'p', model: 'm', inputTokens: 10, outputTokens: 0 }),
      makeRecord({ policy: 'p', model: 'm', inputTokens: null, outputTokens: 10 }),
      makeRecord({ policy: null, model: 'm', inputTokens: 10, outputTokens: 20 }), // 2
    ];
    for (const r of rows) store.enqueue(r);
    await store.flush();
    const ratios = store.getTokenRatios();
    expect(ratios).toHaveLength(2);
    const p = ratios.find((r) => r.policy === 'p')!;
    expect(p).toMatchObject({ model: 'm', sampleCount: 2, avgRatio: 1, minRatio: 0.5, maxRatio: 1.5 });
    expect(p.stddevRatio).toBeCloseTo(Math.SQRT1_2, 12);
    const none = ratios.find((r) => r.policy === null)!;
    expect(none).toMatchObject({ model: 'm', sampleCount: 1, avgRatio: 2, stddevRatio: null });
  });

  it(
    'a failing ratio update never costs the row: the row ' +
      'lands, the ratios are rebuilt, and the writer says what failed',
    async () => {
      // A trigger (made by another connection, as any SQLite client could) makes the ratio update fail.
      const other = new Database(store.path);
      other.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON token_ratios WHEN NEW.model = 'boom'
      BEGIN SELECT RAISE(ABORT, 'ratio update refused'); END`);
      other.close();
      store.enqueue(makeRecord({ correlationId: 'fine', model: 'ok', inputTokens: 10, outputTokens: 5 }));
      store.enqueue(makeRecord({ correlationId: 'boom', model: 'boom', inputTokens: 10, outputTokens: 5 }));
      await store.flush();
      expect(store.listRequests({}, null, 10).rows.map((r) => r.correlationId)).toEqual(['boom', 'fine']);
      // The rebuild from requests is refused by the trigger too: the table keeps what it could learn.
      expect(store.getTokenRatios().map((r) => r.model)).toEqual(['ok']);
      expect(store.writerStatus()).toMatchObject({ committed: 2, dropped: 0 });
      expect(store.writerStatus().lastError).toMatch(/token_ratios.*ratio update refused/);
      // The hourly summary was recomputed for the row's hour: stats count both rows.
      expect((await store.getStats({}, null)).total.requests).toBe(2);
    },
  );
});

describe('clearLogs', () => {
  it('deletes rows older than a time with their exchanges and keeps ratios equal to a rebuild', async () => {
    const rand = rng(99);
    for (let i = 0; i < 2000; i++) store.enqueue(randomRecord(rand, Date.UTC(2026, 0, 1), i));
    await store.flush();
    const cut = new Date(Date.UTC(2026, 0, 1) + 1_800_000).toISOString();
    const older = (await store.getStats({ until: cut }, null)).total.requests;
    expect(older).toBeGreaterThan(0);
    expect(await store.clearLogs(cut)).toBe(older);
    expect((await store.getStats({ until: cut }, null)).total.requests).toBe(0);
    expect((await store.getStats({}, null)).total.requests).toBe(2000 - older);
    const db = new Database(store.path, { readonly: true });
    expect(
      db.prepare('SELECT count(*) FROM exchanges WHERE request_id NOT IN (SELECT id FROM requests)').pluck().get(),
    ).toBe(0);
    db.close();
    const afterClear = store.getTokenRatios();
    await store.rebuildTokenRatios();
    expectSameRatios(afterClear, store.getTokenRatios());
    expect(await store.clearLogs(null)).toBe(2000 - older);
    expect(store.getTokenRatios()).toEqual([]);
  });
});
