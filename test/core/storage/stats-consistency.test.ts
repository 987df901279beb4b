// Stats from the rollups against stats from `requests`, read in one transaction while the writer
// commits batches in its thread: the rollups are written in the rows' transaction, so any snapshot
// sees both or neither. A reader that read the rollup and the rows in two snapshots, or a writer
// that let its in-memory rollup drift from the table, shows up here as counts that disagree.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Db } from '../../../electron/core/storage/database';
import { createQueries } from '../../../electron/core/storage/queries';
import { createStatsQuery } from '../../../electron/core/storage/stats-query';
import { openLogStore, type LogStore, type RequestFilter } from '../../../electron/core/storage';
import type { StatsRow } from '../../../electron/core/contract/model';
import { randomRecord, rng, tempDir } from '../../helpers/records';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 3, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const FILTERS: RequestFilter[] = [
  {},
  // Cuts hours and minutes at both ends: whole hours, whole minutes and part-minutes of rows.
  { since: iso(START + 17 * 60_000 + 12_345), until: iso(START + 2 * HOUR + 41 * 60_000 + 7_000) },
  { since: iso(START + HOUR), until: iso(START + 3 * HOUR) },
  { model: ['gpt-4o-mini'], since: iso(START + 30_000) },
];

const counts = (r: StatsRow) => [r.key, r.requests, r.errors, r.inputTokens, r.outputTokens, r.costUnknown];

describe('stats from the rollups under concurrent writes', () => {
  let store: LogStore;
  let db: Db;
  let cleanup: () => void;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
    db = openConnection(file, { readonly: true });
    db.pragma('query_only = ON');
  });
  afterAll(async () => {
    db?.close();
    await store?.close();
    cleanup?.();
  });

  it('equal the exact scan of `requests` within one read transaction, snapshot after snapshot', async () => {
    const queries = createQueries(db);
    const rollupStats = createStatsQuery(db, queries.getStats);
    const rand = rng(17);
    // Rows spread over four hours, in the writer's batches, while the test reads between them.
    const TOTAL = 12_000;
    let sent = 0;
    const writeMore = () => {
      for (let k = 0; k < 400 && sent < TOTAL; k++, sent++) {
        store.enqueue(randomRecord(rand, START + ((sent * 1_237) % (4 * HOUR)), sent));
      }
    };
    let committed = 0;
    store.on('committed', (rows) => (committed += rows.length));
    const seen = new Set<number>();
    let checks = 0;
    while (committed < TOTAL) {
      // Keep a few batches in flight, so reads land before, during and after the writer's commits.
      if (sent - committed < 1_200) writeMore();
      for (const filter of FILTERS) {
        const [fromRollup, exact] = db.transaction(
          () => [rollupStats(filter, 'model'), queries.getStats(filter, 'model')] as const,
        )();
        const where = `${JSON.stringify(filter)} after ${committed} committed`;
        expect(counts(fromRollup.total), where).toEqual(counts(exact.total));
        expect(fromRollup.groups.map(counts), where).toEqual(exact.groups.map(counts));
        expect(fromRollup.total.cost, where).toBeCloseTo(exact.total.cost, 6);
        if (filter === FILTERS[0]) seen.add(exact.total.requests);
        checks++;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await store.flush();
    const [last, lastExact] = db.transaction(
      () => [rollupStats(FILTERS[1]!, 'model'), queries.getStats(FILTERS[1]!, 'model')] as const,
    )();
    expect(last.groups.map(counts)).toEqual(lastExact.groups.map(counts));
    expect(queries.getStats({}, null).total.requests).toBe(TOTAL);
    expect(checks).toBeGreaterThan(100);
    // The reads saw the log at many sizes: they ran while the writer was committing.
    expect(seen.size).toBeGreaterThan(10);
  });
});
