// A far page in an order no index serves, found by its first row's value (seek-value.ts) rather
// than by sorting every row before it: the same page as the plain offset gives, in every order,
// through runs of equal values, NULLs, text, a filter and a cursor, on a log big enough that the
// value path is taken (positions over 10 000 rows from either end).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Db } from '../../../electron/core/storage/database';
import { createQueries, type Queries } from '../../../electron/core/storage/queries';
import {
  INSERT_EXCHANGE_SQL,
  INSERT_REQUEST_SQL,
  exchangeParams,
  requestParams,
} from '../../../electron/core/storage/rows';
import { beyondSql, orderSql } from '../../../electron/core/storage/sort-sql';
import { statementCache } from '../../../electron/core/storage/statement-cache';
import { bracket, pageInBracket } from '../../../electron/core/storage/seek-value';
import { openLogStore } from '../../../electron/core/storage';
import { SORT_KEYS, type ValueSort } from '../../../electron/core/contract/sort-keys';
import type { ListSort, RequestFilter, SortCursor } from '../../../electron/core/contract/model';
import { randomRecord, rng, tempDir } from '../../helpers/records';

const N = 60_000;
let db: Db;
let queries: Queries;
let cleanup: () => void;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const file = join(dir, 'log.sqlite');
  await (await openLogStore(file)).close();
  db = openConnection(file);
  const insert = db.prepare(INSERT_REQUEST_SQL);
  const exchange = db.prepare(INSERT_EXCHANGE_SQL);
  const rand = rng(5);
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const r = randomRecord(rand, Date.UTC(2026, 5, 1), i);
      const id = Number(insert.run(requestParams(r)).lastInsertRowid);
      exchange.run(exchangeParams(id, r.exchange, false));
    }
  })();
  queries = createQueries(db);
}, 60_000);
afterAll(() => {
  db?.close();
  cleanup?.();
});

/** The page the plain offset gives: what the value path must equal. */
function offsetPage(filter: RequestFilter, sort: ListSort, cursor: SortCursor | null, skip: number, n = 200) {
  const beyond = beyondSql(filter, sort, cursor);
  return db
    .prepare(`SELECT r.id FROM requests r WHERE ${beyond.sql} ${orderSql(sort)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...beyond.params, n, skip) as number[];
}

const ORDERS: ValueSort[] = (
  ['status', 'streaming', 'cost', 'latency', 'path', 'model', 'outputTokens'] as const
).flatMap((column) => (['desc', 'asc'] as const).map((dir) => ({ column, dir })));

describe('a far page found by value', () => {
  for (const sort of ORDERS) {
    it(`${sort.column} ${sort.dir}: the page at a position, read inside its bracket, as the plain offset`, () => {
      const prepared = statementCache(db);
      const order = { key: `r.${SORT_KEYS[sort.column].column.name}`, desc: sort.dir === 'desc' };
      const beyond = beyondSql({}, sort, null);
      for (const position of [20_500, 41_234]) {
        const want = offsetPage({}, sort, null, position);
        // The sample is random: what it places must be right every time it places it.
        let placed = 0;
        for (let k = 0; k < 2; k++) {
          const b = bracket(db, prepared, beyond, order, position)!;
          expect(b.remaining).toBe(N);
          const ids = pageInBracket(prepared, beyond, order, b, position, 200);
          if (ids === null) continue;
          placed++;
          expect(ids, `${position}`).toEqual(want);
        }
        expect(placed, `${position}: the sample placed it`).toBeGreaterThan(0);
        const page = queries.listPage({}, sort, null, 200, position);
        expect(page.rows.map((r) => r.id)).toEqual(want);
        expect(page.remaining).toBe(N);
      }
    });
  }

  it('within a filter and from a cursor, the page equals the plain offset', () => {
    const filter: RequestFilter = { streaming: false };
    for (const sort of ORDERS.filter((s) => ['cost', 'status', 'path'].includes(s.column))) {
      const first = queries.listPage(filter, sort, null, 200, 0);
      const cursor = first.nextCursor as SortCursor;
      const skip = 15_000;
      const page = queries.listPage(filter, sort, cursor, 200, skip);
      expect(page.remaining! - skip - 200, 'far from both ends').toBeGreaterThan(10_000);
      expect(
        page.rows.map((r) => r.id),
        `${sort.column} ${sort.dir}`,
      ).toEqual(offsetPage(filter, sort, cursor, skip));
    }
  });
});
