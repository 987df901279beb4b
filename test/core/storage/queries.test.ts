import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../electron/core/storage/database';
import { migrate } from '../../../electron/core/storage/migrate';
import { createQueries } from '../../../electron/core/storage/queries';
import { openLogStore, type LogStore, type RequestFilter, type RequestRow } from '../../../electron/core/storage';
import type { LogRecord } from '../../../electron/core/contract/model';
import migrations from 'virtual:migrations';
import { randomRecord, rng, tempDir } from '../../helpers/records';

const START = Date.UTC(2026, 2, 1);
let store: LogStore;
let records: LogRecord[];
let cleanup: () => void;
let dir: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
  const rand = rng(42);
  records = Array.from({ length: 3000 }, (_, i) => randomRecord(rand, START, i));
  // Many rows share a timestamp, so paging must break ties by id.
  for (let i = 0; i < 200; i++) records[i] = { ...records[i]!, timestamp: new Date(START + 5000).toISOString() };
  for (const r of records) store.enqueue(r);
  await store.flush();
});
afterAll(async () => {
  await store.close();
  cleanup();
});

/** The filter's meaning, written independently of the SQL. */
function matches(r: RequestRow, f: RequestFilter): boolean {
  const text = f.text?.toLowerCase();
  return (
    (f.since === undefined || r.timestamp >= f.since) &&
    (f.until === undefined || r.timestamp < f.until) &&
    (!f.model?.length || f.model.includes(r.model)) &&
    (!f.provider?.length || f.provider.includes(r.provider)) &&
    (!f.policy?.length || f.policy.includes(r.policy)) &&
    (!f.statusClass?.length || f.statusClass.includes((r.status === null ? 0 : Math.floor(r.status / 100)) as 0)) &&
    (f.success === undefined || r.success === f.success) &&
    (f.streaming === undefined || r.streaming === f.streaming) &&
    (f.minCost === undefined || (r.cost !== null && r.cost >= f.minCost)) &&
    (f.minLatencyMs === undefined || (r.latencyMs !== null && r.latencyMs >= f.minLatencyMs)) &&
    (f.correlationId === undefined || r.correlationId === f.correlationId) &&
    (!text ||
      [r.model, r.path, r.correlationId, r.errorMessage, r.provider, r.policy].some((v) =>
        v?.toLowerCase().includes(text),
      ))
  );
}

const order = (a: RequestRow, b: RequestRow) =>
  a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : b.id - a.id;

function allPages(f: RequestFilter, limit: number): RequestRow[] {
  const out: RequestRow[] = [];
  let page = store.listRequests(f, null, limit);
  out.push(...page.rows);
  while (page.nextCursor) {
    page = store.listRequests(f, page.nextCursor, limit);
    out.push(...page.rows);
  }
  return out;
}

const FILTERS: Record<string, RequestFilter> = {
  none: {},
  timeRange: { since: new Date(START + 600_000).toISOString(), until: new Date(START + 1_800_000).toISOString() },
  model: { model: ['claude-sonnet-4-5'] },
  unknownModel: { model: [''] },
  twoModels: { model: ['gpt-4.1', 'llama3.2'] },
  provider: { provider: ['anthropic'] },
  policy: { policy: ['classify'] },
  noPolicy: { policy: [null] },
  policyOrNone: { policy: ['chat', null] },
  serverErrors: { statusClass: [5] },
  noStatus: { statusClass: [0] },
  failed: { success: false },
  succeeded: { success: true },
  streamed: { streaming: true },
  minCost: { minCost: 0.005 },
  minLatency: { minLatencyMs: 2500 },
  correlation: { correlationId: 'set in the test, once records exist' },
  text: { text: 'RATE' },
  textPath: { text: '/v1/messages' },
  likeMetachars: { text: '100%_' },
  combined: { provider: ['openai'], streaming: true, success: true, minLatencyMs: 500 },
};

describe('listRequests', () => {
  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`filter ${name}: every page together equals the independent computation`, () => {
      const f = name === 'correlation' ? { correlationId: records[1234]!.correlationId } : filter;
      const all = store.listRequests({}, null, 1000);
      expect(all.rows.length).toBe(1000);
      const expected = allPages({}, 997).filter((r) => matches(r, f));
      const got = allPages(f, 37);
      expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      expect([...got].sort(order).map((r) => r.id)).toEqual(got.map((r) => r.id));
      if (name === 'correlation') expect(got).toHaveLength(1);
    });
  }

  it('returns every row exactly once across all pages', () => {
    const rows = allPages({}, 101);
    expect(rows).toHaveLength(records.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(records.length);
  });

  it('pages stay stable while rows are being inserted', async () => {
    const f: RequestFilter = { provider: ['openai'] };
    const before = allPages(f, 1000).map((r) => r.id);
    const seen: number[] = [];
    let page = store.listRequests(f, null, 50);
    const rand = rng(7);
    let i = 0;
    for (;;) {
      seen.push(...page.rows.map((r) => r.id));
      // Newer and older rows arrive between pages, as they would while the user scrolls.
      for (let k = 0; k < 40; k++)
        store.enqueue(randomRecord(rand, START + (k % 2 ? 7_200_000 : -7_200_000), 10_000 + i++));
      await store.flush();
      if (!page.nextCursor) break;
      page = store.listRequests(f, page.nextCursor, 50);
    }
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    const seenSet = new Set(seen);
    expect(before.every((id) => seenSet.has(id))).toBe(true); // nothing that existed was skipped
  });

  it('uses an index for the list query with any single filter: no full scan, no sort', () => {
    const db = openConnection(store.path, { readonly: true });
    const q = createQueries(db);
    const single: RequestFilter[] = [
      {},
      { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
      { model: ['a'] },
      { provider: ['a'] },
      { policy: ['a'] },
      { policy: [null] },
      { statusClass: [5] },
      { success: false },
      { streaming: true },
      { minCost: 1 },
      { minLatencyMs: 100 },
      { correlationId: 'x' },
      { text: 'abc' },
    ];
    for (const f of single) {
      for (const cursor of [null, { timestamp: '2026-01-01T00:00:00.000Z', id: 5 }]) {
        const plan = q.explainList(f, cursor);
        const where = JSON.stringify({ f, cursor, plan });
        expect(
          plan.some((l) => /^(SEARCH|SCAN) r USING (COVERING )?INDEX requests_/.test(l)),
          where,
        ).toBe(true);
        expect(
          plan.some((l) => /^SCAN r$|TEMP B-TREE/.test(l)),
          where,
        ).toBe(false);
      }
    }
    db.close();
  });
});

describe('getStats', () => {
  const percentile = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    if (s.length === 0) return null;
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
  };
  const summarise = (rows: RequestRow[]) => ({
    requests: rows.length,
    errors: rows.filter((r) => !r.success).length,
    inputTokens: rows.reduce((a, r) => a + (r.inputTokens ?? 0), 0),
    outputTokens: rows.reduce((a, r) => a + (r.outputTokens ?? 0), 0),
    cost: rows.reduce((a, r) => a + (r.cost ?? 0), 0),
    costUnknown: rows.filter((r) => r.cost === null).length,
    latencyP50: percentile(
      rows.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs])),
      0.5,
    ),
    latencyP95: percentile(
      rows.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs])),
      0.95,
    ),
  });

  for (const groupBy of ['model', 'provider', 'policy'] as const) {
    // none and streamed are answered from the rollup; minCost (no rollup column) by the exact scan.
    for (const [fname, f] of Object.entries({
      none: {},
      streamed: { streaming: true },
      minCost: { minCost: 0 },
    } as Record<string, RequestFilter>)) {
      it(`grouped by ${groupBy}, filter ${fname}, equals an independent computation`, async () => {
        const rows = allPages(f, 1000);
        const stats = await store.getStats(f, groupBy);
        const check = (got: Record<string, unknown>, want: ReturnType<typeof summarise>) => {
          expect(got.requests).toBe(want.requests);
          expect(got.errors).toBe(want.errors);
          expect(got.errorRate).toBeCloseTo(want.requests ? want.errors / want.requests : 0, 12);
          expect(got.inputTokens).toBe(want.inputTokens);
          expect(got.outputTokens).toBe(want.outputTokens);
          expect(got.cost as number).toBeCloseTo(want.cost, 9);
          expect(got.costUnknown).toBe(want.costUnknown);
          // Percentiles come from the rollup's latency histogram: within its 1% bucket precision.
          expect(Math.abs((got.latencyP50 as number) - want.latencyP50!)).toBeLessThanOrEqual(want.latencyP50! * 0.01);
          expect(Math.abs((got.latencyP95 as number) - want.latencyP95!)).toBeLessThanOrEqual(want.latencyP95! * 0.01);
        };
        check(stats.total as never, summarise(rows));
        const keys = new Set(rows.map((r) => r[groupBy]));
        expect(stats.groups.map((g) => g.key).sort()).toEqual([...keys].sort());
        for (const g of stats.groups) check(g as never, summarise(rows.filter((r) => r[groupBy] === g.key)));
      });
    }
  }

  it('reports an empty filter as zeros, not NaN', async () => {
    const s = await store.getStats({ model: ['no-such-model'] }, 'model');
    expect(s.total).toMatchObject({ requests: 0, errors: 0, errorRate: 0, cost: 0, latencyP50: null });
    expect(s.groups).toEqual([]);
  });
});

it('a fresh migration of the test database matches what openLogStore built', () => {
  const { dir: d2, cleanup: c2 } = tempDir();
  const db = openConnection(join(d2, 'x.sqlite'));
  expect(migrate(db, 'x', migrations)).toBe(Math.max(...migrations.map((m) => Number(m.name.slice(0, 4)))));
  db.close();
  c2();
});

describe('stats off the main thread', () => {
  it('the event loop keeps turning while a grouped scan runs', async () => {
    // 3 000 rows (and more from the stability test) make a scan of tens of milliseconds; on the
    // main thread no timer could fire before it returned.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const pending = Promise.all([
        store.getStats({}, 'model'),
        store.getStats({}, 'provider'),
        store.getStats({ text: 'zzz' }, 'policy'),
      ]);
      const [byModel] = await pending;
      expect(byModel.total.requests).toBeGreaterThanOrEqual(3000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
