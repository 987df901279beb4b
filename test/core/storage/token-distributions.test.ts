import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { bandOf, readDistributions } from '../../../electron/core/storage/token-distributions';
import {
  RELATIVE_ERROR,
  addValue,
  decodeSketch,
  encodeSketch,
  merge,
  quantile,
  type Sketch,
} from '../../../electron/core/inspect/distributions/sketch';
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

function withDb<T>(fn: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(file, { readonly });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The table as stored, byte for byte. */
const tableRows = () =>
  withDb((db) =>
    db
      .prepare(
        'SELECT policy, model, input_band, sample_count, hex(output_sketch) ' +
          'AS o, hex(ratio_sketch) AS r FROM token_distributions ORDER BY 1, 2, 3',
      )
      .all(),
  );

const exactQuantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

describe('token sketch', () => {
  it('answers every quantile within its stated relative error, and subtracts exactly', () => {
    const rand = rng(7);
    const xs = Array.from({ length: 5000 }, () => Math.max(1, Math.round(Math.exp(rand() * 10))));
    const s: Sketch = new Map();
    for (const x of xs) addValue(s, x);
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1]) {
      const exact = exactQuantile(xs, q);
      expect(Math.abs(quantile(s, q)! - exact) / exact, `q=${q}`).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
    }
    // Ratios below one have bins of their own (negative indices) and survive the stored form.
    addValue(s, 1e-4);
    addValue(s, 0.37);
    expect(decodeSketch(encodeSketch(s))).toEqual(s);
    const part: Sketch = new Map();
    for (const x of xs.slice(0, 2500)) addValue(part, x);
    const rest = new Map(s);
    merge(rest, part, -1);
    const expected: Sketch = new Map();
    for (const x of [...xs.slice(2500), 1e-4, 0.37]) addValue(expected, x);
    expect(rest).toEqual(expected);
    expect(quantile(new Map(), 0.5)).toBeNull();
  });

  it('bands input sizes by powers of four', () => {
    expect([1, 3, 4, 15, 16, 63, 64, 1023, 1024, 4 ** 10 - 1, 4 ** 10, 1e9].map(bandOf)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 4, 5, 9, 10, 10,
    ]);
  });
});

describe('token distributions', () => {
  it(
    'kept incrementally, they equal a rebuild after a ' + 'randomized workload with pruning and clearing (seeded)',
    async () => {
      for (const seed of [1, 2, 3]) {
        const rand = rng(seed);
        const start = Date.UTC(2026, 0, 1);
        let i = 0;
        let clock = start;
        for (let round = 0; round < 12; round++) {
          const size = [1, 3, 40, 250, 700][Math.floor(rand() * 5)]!;
          for (let k = 0; k < size; k++) {
            const r = randomRecord(rand, clock, i++);
            // Wide input sizes, so many bands are used; ratios from 1e-3 to 1e3.
            const inputTokens = r.inputTokens === null ? null : Math.floor(Math.exp(rand() * 14));
            store.enqueue({ ...r, inputTokens });
          }
          clock += 3_600_000;
          await store.flush();
          const action = rand();
          if (action < 0.5) {
            const olderThan = new Date(start + rand() * (clock - start)).toISOString();
            while ((await store.prune({ olderThan, maxBytes: null, batch: 1 + Math.floor(rand() * 300) })) > 0);
          } else if (action < 0.6) {
            await store.prune({ olderThan: null, maxBytes: 1, batch: 1 + Math.floor(rand() * 200) });
          } else if (action < 0.7) {
            await store.clearLogs(new Date(start + rand() * (clock - start)).toISOString());
          }
        }
        const incremental = tableRows();
        expect(incremental.length, `seed ${seed}`).toBeGreaterThan(10);
        await store.rebuildTokenRatios();
        expect(tableRows(), `seed ${seed}`).toEqual(incremental);

        // And the rebuild is what `requests` says, within the sketch's error: per (policy, model),
        // the sum of bands answers each quantile within 1 % of the exact one.
        const exact = withDb(
          (db) =>
            db
              .prepare(
                `SELECT coalesce(policy, '') AS policy, model, output_tokens AS o, input_tokens AS i FROM requests
               WHERE success = 1 AND input_tokens > 0 AND output_tokens > 0`,
              )
              .all() as { policy: string; model: string; o: number; i: number }[],
        );
        type Group = { o: number[]; r: number[]; output: Sketch; ratio: Sketch };
        const groups = new Map<string, Group>();
        for (const x of exact) {
          const k = `${x.policy}|${x.model}`;
          const g: Group = groups.get(k) ?? { o: [], r: [], output: new Map(), ratio: new Map() };
          g.o.push(x.o);
          g.r.push(x.o / x.i);
          groups.set(k, g);
        }
        for (const row of withDb(readDistributions)) {
          const g = groups.get(`${row.policy}|${row.model}`)!;
          merge(g.output, row.output);
          merge(g.ratio, row.ratio);
        }
        for (const [k, g] of groups) {
          for (const q of [0.5, 0.9, 0.99]) {
            const o = exactQuantile(g.o, q);
            const r = exactQuantile(g.r, q);
            expect(Math.abs(quantile(g.output, q)! - o) / o, `${k} output q${q}`).toBeLessThanOrEqual(0.010001);
            expect(Math.abs(quantile(g.ratio, q)! - r) / r, `${k} ratio q${q}`).toBeLessThanOrEqual(0.010001);
          }
        }
        await store.clearLogs(null);
        expect(tableRows()).toEqual([]);
      }
    },
  );

  it('a log whose table is missing or stale gets it rebuilt from its rows at open', async () => {
    const rand = rng(5);
    for (let i = 0; i < 500; i++) store.enqueue(randomRecord(rand, Date.UTC(2026, 0, 1), i));
    store.enqueue(makeRecord({ policy: 'p', model: 'm', inputTokens: 10, outputTokens: 5 }));
    await store.flush();
    const before = tableRows();
    expect(before.length).toBeGreaterThan(5);
    await store.close();
    withDb((db) => {
      db.exec(
        "DELETE FROM token_distributions; UPDATE derived_tables SET complete = 0 WHERE name = 'token_distributions'",
      );
    }, false);
    store = await openLogStore(file);
    expect(tableRows()).toEqual(before);
    expect(
      withDb((db) =>
        db.prepare("SELECT complete FROM derived_tables WHERE name = 'token_distributions'").pluck().get(),
      ),
    ).toBe(1);
  });
});
