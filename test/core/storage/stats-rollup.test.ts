import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import migrations from 'virtual:migrations';
import { openConnection, type Db } from '../../../electron/core/storage/database';
import { migrate } from '../../../electron/core/storage/migrate';
import { createQueries } from '../../../electron/core/storage/queries';
import { requestParams } from '../../../electron/core/storage/rows';
import { splitRange } from '../../../electron/core/storage/stats-query';
import { createRollup, rebuildRollups } from '../../../electron/core/storage/stats-rollup';
import { rebuildRatios } from '../../../electron/core/storage/token-ratios';
import {
  openLogStore,
  type LogStore,
  type RequestFilter,
  type StatsGroupBy,
  type StatsRow,
} from '../../../electron/core/storage';
import type { LogRecord } from '../../../electron/core/contract/model';
import { makeRecord, randomRecord, rng, tempDir } from '../../helpers/records';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** 4 000 varied records over ten hours, some without a latency. */
function workload(seed: number, n = 4000, from = 0): LogRecord[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const r = randomRecord(rand, START + ((from + i) % 10) * HOUR, from + i);
    return i % 17 === 0 ? { ...r, latencyMs: null } : r;
  });
}

function expectSameStats(got: StatsRow, want: StatsRow, where: string) {
  expect({ ...got, cost: 0, latencyP50: 0, latencyP95: 0 }, where).toEqual({
    ...want,
    cost: 0,
    latencyP50: 0,
    latencyP95: 0,
  });
  expect(got.cost, where).toBeCloseTo(want.cost, 9);
  for (const p of ['latencyP50', 'latencyP95'] as const) {
    if (want[p] === null) expect(got[p], where).toBeNull();
    // The rollup's histogram buckets are 2% wide; a percentile is read at the bucket's middle.
    else
      expect(Math.abs(got[p]! - want[p]!), `${where} ${p}: ${got[p]} vs ${want[p]}`).toBeLessThanOrEqual(
        want[p]! * 0.01 + 1e-9,
      );
  }
}

/** getStats through the store (rollup) against the exact scan on a connection of the test's own. */
async function expectMatchesScan(store: LogStore, db: Db, filter: RequestFilter, groupBy: StatsGroupBy | null) {
  const exact = createQueries(db).getStats(filter, groupBy);
  const got = await store.getStats(filter, groupBy);
  const where = JSON.stringify({ filter, groupBy });
  expectSameStats(got.total, exact.total, where);
  expect(
    got.groups.map((g) => g.key),
    where,
  ).toEqual(exact.groups.map((g) => g.key));
  got.groups.forEach((g, i) => expectSameStats(g, exact.groups[i]!, `${where} ${g.key}`));
}

function dumpRollup(db: Db, table = 'stats_hourly', unit = 'hour') {
  return db
    .prepare(`SELECT * FROM ${table} ORDER BY ${unit}, model, provider, policy, streaming, success, status_class`)
    .all()
    .map((r) => ({ ...(r as Record<string, unknown>), cost: Math.round((r as { cost: number }).cost * 1e9) }));
}

describe('stats from the hourly rollup', () => {
  let store: LogStore;
  let db: Db;
  let cleanup: () => void;
  let file: string;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
    for (const r of workload(7)) store.enqueue(r);
    await store.flush();
    db = openConnection(file, { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await store.close();
    cleanup();
  });

  const FILTERS: Record<string, RequestFilter> = {
    none: {},
    sinceMidHour: { since: iso(START + 2.5 * HOUR) },
    untilMidHour: { until: iso(START + 6.25 * HOUR) },
    acrossHours: { since: iso(START + 1.1 * HOUR), until: iso(START + 8.9 * HOUR) },
    withinOneHour: { since: iso(START + 4.2 * HOUR), until: iso(START + 4.7 * HOUR) },
    alignedHours: { since: iso(START + 2 * HOUR), until: iso(START + 5 * HOUR) },
    dateOnly: { since: '2026-03-01', until: '2026-03-02' },
    hourPrefix: { since: '2026-03-01T03', until: '2026-03-01T07' },
    empty: { since: iso(START + 5 * HOUR), until: iso(START + 2 * HOUR) },
    models: { model: ['gpt-4.1', ''] },
    noPolicy: { policy: [null] },
    policyOrNone: { policy: ['chat', null], since: iso(START + 3.3 * HOUR) },
    serverErrors: { statusClass: [5] },
    noStatus: { statusClass: [0, 4] },
    failedStreams: { success: false, streaming: true },
    combined: { provider: ['openai', 'ollama'], success: true, until: iso(START + 7.5 * HOUR) },
  };

  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`filter ${name}: every grouping equals the exact scan`, async () => {
      for (const groupBy of [null, 'model', 'provider', 'policy'] as const)
        await expectMatchesScan(store, db, filter, groupBy);
    });
  }

  it('filters the rollup has no column for still give exact figures (the scan)', async () => {
    for (const filter of [{ text: 'gpt' }, { minCost: 0.005 }, { minLatencyMs: 1000 }] as RequestFilter[]) {
      const got = await store.getStats(filter, 'model');
      expect(got).toEqual(createQueries(db).getStats(filter, 'model'));
    }
  });

  it('stays equal to a rebuild from the rows through inserts, pruning and clearing', async () => {
    for (const r of workload(8, 2000, 4000)) store.enqueue(r);
    // Clearing cuts hour 0 in two; pruning then takes the rest of it and cuts hour 1.
    await store.clearLogs(iso(START + 0.6 * HOUR));
    while ((await store.prune({ olderThan: iso(START + 1.5 * HOUR), maxBytes: null, batch: 300 })) > 0);
    expect((await store.getStats({ until: iso(START + 1.5 * HOUR) }, null)).total.requests).toBe(0);
    for (const r of workload(9, 500, 6000)) store.enqueue(r);
    await store.flush();
    const live = dumpRollup(db);
    expect(live.length).toBeGreaterThan(100);
    await expectMatchesScan(store, db, {}, 'model');

    await store.close();
    const rw = openConnection(file);
    try {
      expect(rw.prepare("SELECT complete FROM derived_tables WHERE name = 'stats_hourly'").pluck().get()).toBe(1);
      rw.transaction(() => createRollup(rw).rebuild())();
      expect(live).toEqual(dumpRollup(rw));
    } finally {
      rw.close();
    }
    store = await openLogStore(file);
  });
});

it('a log from before the rollup gets it built when opened, with the same stats as a scan', async () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'old.sqlite');
  const old = openConnection(file);
  migrate(old, file, migrations.slice(0, 1));
  // The columns 0001 made: later migrations add theirs at the end, after the ones an old log has.
  const cols = (old.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('requests') as string[]).filter(
    (c) => c !== 'id',
  );
  const insert = old.prepare(`INSERT INTO requests (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  old.transaction(() => workload(11, 1500).forEach((r) => insert.run(requestParams(r).slice(0, cols.length))))();
  old.close();

  const store = await openLogStore(file);
  const db = openConnection(file, { readonly: true });
  try {
    expect(db.prepare('SELECT count(*) FROM stats_hourly').pluck().get()).toBeGreaterThan(100);
    await expectMatchesScan(store, db, {}, 'policy');
    await expectMatchesScan(store, db, { since: iso(START + 3.5 * HOUR) }, 'provider');
  } finally {
    db.close();
    await store.close();
    cleanup();
  }
});

it('a record whose timestamp is not ISO-8601 is rejected and reported; the rest of its batch lands', async () => {
  const { dir, cleanup } = tempDir();
  const store = await openLogStore(join(dir, 'log.sqlite'));
  try {
    store.enqueue(makeRecord({ correlationId: 'ok-1' }));
    store.enqueue(makeRecord({ correlationId: 'bad', timestamp: 'yesterday' }));
    store.enqueue(makeRecord({ correlationId: 'ok-2' }));
    await store.flush();
    expect(store.writerStatus()).toMatchObject({ committed: 2, dropped: 1 });
    expect(store.writerStatus().lastError).toMatch(/yesterday.*not ISO-8601/);
    expect(
      store
        .listRequests({}, null, 10)
        .rows.map((r) => r.correlationId)
        .sort(),
    ).toEqual(['ok-1', 'ok-2']);
    expect((await store.getStats({}, null)).total.requests).toBe(2);
  } finally {
    await store.close();
    cleanup();
  }
});

it('a range on hour boundaries is read from the rollup alone; only cut hours read rows', () => {
  expect(splitRange('2026-03-01T02:00:00.000Z', '2026-03-01T05:00:00.000Z')).toEqual({
    from: '2026-03-01T02',
    before: '2026-03-01T05',
    edges: [],
  });
  expect(splitRange('2026-03-01T02:30:00.000Z', '2026-03-01T05:00:00.001Z')).toEqual({
    from: '2026-03-01T02\uffff',
    before: '2026-03-01T05',
    edges: [
      ['2026-03-01T02:30:00.000Z', '2026-03-01T02\uffff'],
      ['2026-03-01T05', '2026-03-01T05:00:00.001Z'],
    ],
  });
  expect(splitRange('2026-03-01T02:10:00.000Z', '2026-03-01T02:20:00.000Z').edges).toEqual([
    ['2026-03-01T02:10:00.000Z', '2026-03-01T02:20:00.000Z'],
  ]);
  expect(splitRange('2026-03-01', undefined)).toEqual({ from: '2026-03-01', before: null, edges: [] });
});

it(
  'the writer keeps the rollups and ratios in memory, and still ' +
    'equals a rebuild across hours, clears, pruning and a rolled-back batch',
  async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'log.sqlite');
    // Small batches, so the same keys are updated from memory batch after batch.
    let store = await openLogStore(file, { writer: { maxBatch: 7 } });
    // In time order across three hour boundaries, in bursts, so batches straddle each boundary.
    const inOrder = (seed: number, n: number, from: number) =>
      workload(seed, n, from)
        .map((r, i) => ({ ...r, timestamp: iso(START + ((from + i) / 3000) * 3 * HOUR + 1) }))
        .sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
    const feed = async (records: LogRecord[]) => {
      for (let i = 0; i < records.length; i++) {
        store.enqueue(records[i]!);
        if (i % 50 === 49) await store.flush();
      }
      await store.flush();
    };
    const ratios = (db: Db) =>
      db
        .prepare(
          'SELECT policy, model, sample_count, avg_ratio, m2, min_ratio, max_ratio FROM token_ratios ORDER BY 1, 2',
        )
        .all()
        .map((r) => Object.values(r as object).map((v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));
    /** What the file holds now against what a rebuild from its rows gives, on a copy of the test's own. */
    const expectEqualToRebuild = async (where: string) => {
      await store.close();
      const rw = openConnection(file);
      try {
        expect(
          rw.prepare("SELECT sum(complete) FROM derived_tables WHERE name LIKE 'stats_%'").pluck().get(),
          where,
        ).toBe(2);
        const dump = () => ({
          hours: dumpRollup(rw),
          minutes: dumpRollup(rw, 'stats_minutely', 'minute'),
          ratios: ratios(rw),
          distributions: rw
            .prepare(
              'SELECT policy, model, input_band, sample_count, hex(output_sketch), ' +
                'hex(ratio_sketch) FROM token_distributions ORDER BY 1, 2, 3',
            )
            .all(),
        });
        const live = dump();
        expect(live.minutes.length, where).toBeGreaterThan(live.hours.length);
        rw.exec('BEGIN');
        rebuildRollups(rw);
        rebuildRatios(rw, '');
        expect(live, where).toEqual(dump());
        rw.exec('ROLLBACK');
      } finally {
        rw.close();
      }
      store = await openLogStore(file, { writer: { maxBatch: 7 } });
    };
    try {
      await feed(inOrder(21, 1500, 0));
      await expectEqualToRebuild('after inserts across hours');

      // A batch whose ratio update fails after the rollup took it in memory: the transaction rolls
      // back, and the rows then land one by one. Memory must not count the first attempt.
      const other = new Database(file);
      other.exec(`CREATE TABLE fail_once (on_update INTEGER);
      INSERT INTO fail_once VALUES (1);
      CREATE TRIGGER refuse_update BEFORE UPDATE ON token_ratios WHEN NEW.model = 'gpt-4.1'
        AND (SELECT on_update FROM fail_once) = 1 BEGIN SELECT RAISE(ABORT, 'ratio update refused'); END`);
      // One batch: a row of hour 1, then one of hour 2 whose ratio update fails. Only hour 2 is
      // recomputed by the repair, so hour 1 shows whether memory forgot the rolled-back attempt.
      store.enqueue(makeRecord({ timestamp: iso(START + 1.5 * HOUR), model: 'claude-x', latencyMs: 120 }));
      store.enqueue(
        makeRecord({ timestamp: iso(START + 2.5 * HOUR), model: 'gpt-4.1', inputTokens: 10, outputTokens: 5 }),
      );
      await store.flush();
      expect(store.writerStatus().lastError).toMatch(/ratio update refused/);
      other.exec('UPDATE fail_once SET on_update = 0');
      other.close();
      await feed(inOrder(23, 300, 1800));
      await expectEqualToRebuild('after a rolled-back batch');

      // The same when the failure comes after the distributions took the batch in memory: the
      // thread of the batch's second row cannot be stored.
      const again = new Database(file);
      again.exec(`CREATE TABLE fail_thread (on_insert INTEGER);
      INSERT INTO fail_thread VALUES (1);
      CREATE TRIGGER refuse_thread BEFORE INSERT ON request_threads WHEN (SELECT on_insert FROM fail_thread) = 1
        BEGIN SELECT RAISE(ABORT, 'thread refused'); END`);
      const sample = { model: 'gpt-4.1', inputTokens: 40, outputTokens: 9, success: true };
      store.enqueue(makeRecord({ timestamp: iso(START + 2.6 * HOUR), ...sample }));
      const base = makeRecord();
      store.enqueue(
        makeRecord({
          timestamp: iso(START + 2.7 * HOUR),
          ...sample,
          exchange: {
            ...base.exchange,
            requestBody: '{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}',
          },
        }),
      );
      await store.flush();
      expect(store.writerStatus().lastError).toMatch(/thread/);
      again.exec('UPDATE fail_thread SET on_insert = 0');
      again.close();
      await feed(inOrder(26, 100, 2000));
      await expectEqualToRebuild('after a batch rolled back behind the distributions');

      await store.clearLogs(iso(START + 0.4 * HOUR)); // cuts hour 0
      await feed(inOrder(24, 200, 2100));
      while ((await store.prune({ olderThan: iso(START + 1.3 * HOUR), maxBytes: null, batch: 97 })) > 0);
      await feed(inOrder(25, 200, 2300));
      await expectEqualToRebuild('after clearing and pruning');
      expect((await store.getStats({ until: iso(START + 1.3 * HOUR) }, null)).total.requests).toBe(0);
    } finally {
      await store.close();
      cleanup();
    }
  },
);
