// The list sorted by any column: every page together equals an order computed here, in plain
// TypeScript, from the rows themselves (NULLs last in both directions, ties broken by id in the
// sort's direction); pages stay stable while rows are inserted; the scans run in the reader thread.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRequestsInput } from '../../../electron/core/contract/schemas';
import { openConnection } from '../../../electron/core/storage/database';
import { createQueries } from '../../../electron/core/storage/queries';
import { openLogStore, type LogStore, type RequestFilter, type RequestRow } from '../../../electron/core/storage';
import type { ValueSort } from '../../../electron/core/contract/sort-keys';
import {
  SORT_COLUMNS,
  type ListCursor,
  type ListSort,
  type LogRecord,
  type RequestPage,
  type SortCursor,
} from '../../../electron/core/contract/model';
import { randomRecord, rng, tempDir } from '../../helpers/records';

const START = Date.UTC(2026, 4, 1);
let store: LogStore;
let cleanup: () => void;

/** Varied records, with NULLs in every nullable sort column and many ties. */
function record(rand: () => number, i: number, startMs = START): LogRecord {
  const r = randomRecord(rand, startMs, i);
  return {
    ...r,
    ttfbMs: rand() < 0.2 ? null : Math.floor(rand() * 50) * 10,
    latencyMs: rand() < 0.1 ? null : r.latencyMs,
    status: r.status,
  };
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
  const rand = rng(11);
  for (let i = 0; i < 2500; i++) store.enqueue(record(rand, i));
  await store.flush();
});
afterAll(async () => {
  await store.close();
  cleanup();
});

const VALUE: Record<ValueSort['column'], (r: RequestRow) => string | number | null> = {
  path: (r) => r.path,
  provider: (r) => r.provider,
  model: (r) => r.model,
  policy: (r) => r.policy,
  status: (r) => r.status,
  streaming: (r) => (r.streaming ? 1 : 0),
  inputTokens: (r) => r.inputTokens,
  outputTokens: (r) => r.outputTokens,
  cost: (r) => r.cost,
  latency: (r) => r.latencyMs,
  ttfb: (r) => r.ttfbMs,
};

/** The order, written independently of the SQL. */
function compare(sort: ValueSort) {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return (a: RequestRow, b: RequestRow): number => {
    const x = VALUE[sort.column](a);
    const y = VALUE[sort.column](b);
    if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1;
    if (x !== y) return sign * (x < y ? -1 : 1);
    return sign * (a.id - b.id);
  };
}

function everyRow(): RequestRow[] {
  const out: RequestRow[] = [];
  for (let page = store.listRequests({}, null, 1000); ; page = store.listRequests({}, page.nextCursor, 1000)) {
    out.push(...page.rows);
    if (!page.nextCursor) return out;
  }
}

async function allSorted(filter: RequestFilter, sort: ValueSort, limit: number): Promise<RequestRow[]> {
  const out: RequestRow[] = [];
  let cursor: SortCursor | null = null;
  for (;;) {
    const page = (await store.listScan(filter, sort, cursor, limit)) as RequestPage<SortCursor>;
    out.push(...page.rows);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

const SORTABLE = SORT_COLUMNS.filter((c): c is ValueSort['column'] => c !== 'time');

describe('listScan in a value order', () => {
  it('covers every sortable column but time (time is the indexed path)', () => {
    expect(SORTABLE.sort()).toEqual(Object.keys(VALUE).sort());
  });

  for (const column of SORTABLE) {
    for (const dir of ['desc', 'asc'] as const) {
      it(`${column} ${dir}: all pages equal the independent order, NULLs last`, async () => {
        const sort = { column, dir };
        const expected = everyRow().sort(compare(sort));
        const got = await allSorted({}, sort, 97);
        expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        const values = got.map(VALUE[column]);
        const firstNull = values.indexOf(null);
        if (firstNull >= 0) expect(values.slice(firstNull).every((v) => v === null)).toBe(true);
      });
    }
  }

  it('the test data has NULLs and ties where the order has to handle them', () => {
    const rows = everyRow();
    for (const c of ['policy', 'status', 'inputTokens', 'cost', 'latency', 'ttfb'] as const) {
      expect(
        rows.some((r) => VALUE[c](r) === null),
        c,
      ).toBe(true);
    }
    expect(new Set(rows.map((r) => r.ttfbMs)).size).toBeLessThan(60);
  });

  it('sorts within a filter, and a page that ends inside the NULLs carries on from there', async () => {
    const filter: RequestFilter = { provider: ['openai', 'gemini'], streaming: false };
    const sort: ValueSort = { column: 'cost', dir: 'asc' };
    const expected = everyRow()
      .filter((r) => ['openai', 'gemini'].includes(r.provider) && !r.streaming)
      .sort(compare(sort));
    const got = await allSorted(filter, sort, 7);
    expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    const nulls = got.filter((r) => r.cost === null);
    expect(nulls.length).toBeGreaterThan(14);
    const page = await store.listScan(filter, sort, { value: null, id: nulls[5]!.id }, 3);
    expect(page.rows.map((r) => r.id)).toEqual(nulls.slice(6, 9).map((r) => r.id));
  });

  for (const sort of [
    { column: 'cost', dir: 'desc' },
    { column: 'ttfb', dir: 'asc' },
    { column: 'model', dir: 'asc' },
  ] satisfies ValueSort[]) {
    it(`${sort.column} ${sort.dir}: pages stay stable while rows are inserted between them`, async () => {
      const before = everyRow();
      const beforeIds = new Set(before.map((r) => r.id));
      const rand = rng(sort.column.length);
      const seen: RequestRow[] = [];
      let cursor: ListCursor | null = null;
      let i = 0;
      for (;;) {
        const page = await store.listScan({}, sort, cursor, 150);
        seen.push(...page.rows);
        // Rows of every value (NULLs too) arrive while the user scrolls.
        for (let k = 0; k < 30; k++)
          store.enqueue(record(rand, 50_000 + i++, START + (k % 2 ? 7_200_000 : -7_200_000)));
        await store.flush();
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
      const seenIds = new Set(seen.map((r) => r.id));
      expect(before.every((r) => seenIds.has(r.id))).toBe(true);
      // What was seen is in order (new rows included: each page continues the last one's order).
      expect([...seen].sort(compare(sort)).map((r) => r.id)).toEqual(seen.map((r) => r.id));
      expect(seen.filter((r) => beforeIds.has(r.id)).map((r) => r.id)).toEqual(
        before.sort(compare(sort)).map((r) => r.id),
      );
    });
  }

  it('runs in the reader thread: the event loop keeps turning during a sorted page', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const pages = await Promise.all([
        store.listScan({}, { column: 'latency', dir: 'desc' }, null, 1000),
        store.listScan({ text: 'zzz' }, { column: 'path', dir: 'asc' }, null, 10),
      ]);
      expect(pages[0].rows).toHaveLength(1000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('time order', () => {
  it('oldest first is newest first reversed, page by page through the index', () => {
    const newest = everyRow();
    const oldest: RequestRow[] = [];
    for (
      let page = store.listRequests({}, null, 333, 'asc');
      ;
      page = store.listRequests({}, page.nextCursor, 333, 'asc')
    ) {
      oldest.push(...page.rows);
      if (!page.nextCursor) break;
    }
    expect(oldest.map((r) => r.id)).toEqual(newest.reverse().map((r) => r.id));
  });

  it('oldest first within a time range drops the implied bound and still seeks an index', () => {
    const since = new Date(START + 600_000).toISOString();
    const until = new Date(START + 1_800_000).toISOString();
    const rows: RequestRow[] = [];
    for (
      let page = store.listRequests({ since, until }, null, 50, 'asc');
      ;
      page = store.listRequests({ since, until }, page.nextCursor, 50, 'asc')
    ) {
      rows.push(...page.rows);
      if (!page.nextCursor) break;
    }
    const expected = everyRow()
      .filter((r) => r.timestamp >= since && r.timestamp < until)
      .reverse();
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    const db = openConnection(store.path, { readonly: true });
    try {
      const q = createQueries(db);
      for (const f of [{}, { since, until }, { model: ['gpt-4.1'] }, { success: false }] as RequestFilter[]) {
        for (const cursor of [null, { timestamp: since, id: 9 }]) {
          const plan = q.explainList(f, cursor, 'asc');
          expect(
            plan.some((l) => /USING (COVERING )?INDEX requests_/.test(l)),
            JSON.stringify({ f, plan }),
          ).toBe(true);
          expect(
            plan.some((l) => /TEMP B-TREE/.test(l)),
            JSON.stringify({ f, plan }),
          ).toBe(false);
        }
      }
    } finally {
      db.close();
    }
  });
});

describe('requests:list input', () => {
  const parse = (input: unknown) => listRequestsInput.safeParse(input);
  it('leaves the order out by default (newest first) and accepts every sortable column', () => {
    expect(parse({}).data?.sort).toBeUndefined();
    for (const column of SORT_COLUMNS) expect(parse({ sort: { column, dir: 'asc' } }).success, column).toBe(true);
  });

  it('refuses an unknown column or direction, and a cursor from another order', () => {
    const bad: unknown[] = [
      { sort: { column: 'correlationId', dir: 'asc' } },
      { sort: { column: 'cost', dir: 'up' } },
      { sort: { column: 'cost' } },
      { sort: { column: 'cost', dir: 'asc' }, cursor: { timestamp: '2026-01-01T00:00:00.000Z', id: 1 } },
      { sort: { column: 'time', dir: 'desc' }, cursor: { value: 3, id: 1 } },
      { sort: { column: 'cost', dir: 'asc' }, cursor: { value: 'cheap', id: 1 } },
      { sort: { column: 'model', dir: 'asc' }, cursor: { value: 4, id: 1 } },
      { sort: { column: 'model', dir: 'asc' }, cursor: { value: 'a', id: -1 } },
      { sort: { column: 'latency', dir: 'asc' }, cursor: { value: Number.NaN, id: 1 } },
      { skip: -1 },
      { skip: 2.5 },
      { skip: '10' },
    ];
    for (const input of bad) expect(parse(input).success, JSON.stringify(input)).toBe(false);
    expect(parse({ sort: { column: 'model', dir: 'asc' }, cursor: { value: null, id: 4 } }).success).toBe(true);
    expect(parse({ skip: 250_000 }).success).toBe(true);
    expect(parse({ sort: { column: 'cost', dir: 'desc' }, cursor: { value: 0.25, id: 4 } }).success).toBe(true);
  });
});

describe('a page far from its cursor (skip)', () => {
  const cases: { name: string; filter: RequestFilter; sort: ListSort }[] = [
    { name: 'newest first', filter: {}, sort: { column: 'time', dir: 'desc' } },
    {
      name: 'oldest first, filtered',
      filter: { provider: ['openai', 'anthropic'] },
      sort: { column: 'time', dir: 'asc' },
    },
    { name: 'by cost, NULLs last', filter: {}, sort: { column: 'cost', dir: 'desc' } },
    { name: 'by model, filtered', filter: { streaming: false }, sort: { column: 'model', dir: 'asc' } },
    // Reached through the NULLs at the end, and from a cursor inside them (read from the other end: NULLs first).
    { name: 'by ttfb, oldest values first', filter: {}, sort: { column: 'ttfb', dir: 'asc' } },
    {
      name: 'by latency, filtered by the language',
      filter: { query: 'status<500' },
      sort: { column: 'latency', dir: 'desc' },
    },
  ];
  for (const { name, filter, sort } of cases) {
    it(`${name}: is the page a walk from the same cursor reaches, read from either end`, async () => {
      // The walk, a page at a time; then each of its pages again by skipping from an earlier cursor.
      const pages: { cursor: ListCursor | null; ids: number[] }[] = [];
      let cursor: ListCursor | null = null;
      for (;;) {
        const page = await store.listScan(filter, sort, cursor, 97);
        pages.push({ cursor, ids: page.rows.map((r) => r.id) });
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(pages.length).toBeGreaterThan(8);
      const total = pages.reduce((n, p) => n + p.ids.length, 0);
      // Every page from several cursors: those nearer the start are stepped to, the others read backwards.
      for (const from of [0, 1, 2, pages.length - 3]) {
        for (let to = from + 1; to < pages.length; to++) {
          const far = await store.listScan(filter, sort, pages[from]!.cursor, 97, (to - from) * 97);
          expect(
            far.rows.map((r) => r.id),
            `page ${to} from ${from}`,
          ).toEqual(pages[to]!.ids);
          expect(far.remaining).toBe(total - from * 97);
          // Its cursor carries on where the walk's does.
          expect(far.nextCursor === null).toBe(to === pages.length - 1);
          if (far.nextCursor)
            expect((await store.listScan(filter, sort, far.nextCursor, 97)).rows.map((r) => r.id)).toEqual(
              pages[to + 1]!.ids,
            );
        }
      }
      // A skip that ends mid-page, read backwards: the rows after it, in order.
      const all = pages.flatMap((p) => p.ids);
      const tail = await store.listScan(filter, sort, pages[1]!.cursor, 50, total - 97 - 30);
      expect(tail.rows.map((r) => r.id)).toEqual(all.slice(total - 30));
      expect(tail.nextCursor).toBeNull();
      // Past the end: an empty page, not an error.
      expect(await store.listScan(filter, sort, pages[1]!.cursor, 97, pages.length * 97)).toEqual({
        rows: [],
        nextCursor: null,
        remaining: total - 97,
      });
    });
  }
});
