// A far page of the list in one read: the page `skip` rows past a cursor, in any order, as when the
// scrollbar is dragged to the bottom or the middle of a million rows. SQLite reaches an offset by
// stepping over every row before it (through the time index, or through a bounded sort of the
// filter's rows in any other order, whose cost grows with the offset), so the page is read from
// whichever end of the rows past the cursor is nearer: the bottom of the list is the first page of
// the reverse order. Counting those rows is what tells which end is nearer; the count and the page
// are read in one transaction, so they see the same rows. In an order no index serves, a page far
// from both ends is found by its first row's value instead (seek-value.ts). It runs in the reader thread.
import type { Db } from './database';
import type { ListCursor, ListSort, RequestFilter, RequestPage } from '../contract/model';
import { SORT_KEYS, isTimeSort, sortCursorOf, type ValueSort } from '../contract/sort-keys';
import { ROW_SELECT, toRow } from './rows';
import { beyondSql, orderSql } from './sort-sql';
import { bracket, pageInBracket } from './seek-value';
import type { statementCache } from './statement-cache';

type Prepared = ReturnType<typeof statementCache>;

/** Within this many rows of either end, the offset is cheap enough to take directly. */
const NEAR_END = 10_000;

/** Orders an index on (column, timestamp) serves: its sort is cheaper than the brackets' scans (bench/list-seek.ts). */
const INDEXED: ReadonlySet<string> = new Set(['model', 'provider', 'policy']);

export function seekPage(
  db: Db,
  prepared: Prepared,
  filter: RequestFilter,
  sort: ListSort,
  cursor: ListCursor | null,
  limit: number,
  skip: number,
): RequestPage<ListCursor> {
  return db.transaction(() => {
    const beyond = beyondSql(filter, sort, cursor);
    const key = isTimeSort(sort) ? null : `r.${SORT_KEYS[(sort as ValueSort).column].column.name}`;
    const order = { key: key ?? '', desc: sort.dir === 'desc' };
    // Deep in an order no index serves, the count comes with the brackets of the page (seek-value.ts).
    const column = isTimeSort(sort) ? null : (sort as ValueSort).column;
    const brackets =
      key !== null && skip > NEAR_END && !INDEXED.has(column!) ? bracket(db, prepared, beyond, order, skip) : null;
    const remaining =
      brackets?.remaining ??
      (prepared(`SELECT count(*) FROM requests r WHERE ${beyond.sql}`)
        .pluck()
        .get(...beyond.params) as number);
    const take = Math.max(0, Math.min(limit, remaining - skip));
    if (take === 0) return { rows: [], nextCursor: null, remaining };
    // Rows left after the page, read from the other end: the same page, the fewer rows stepped over.
    const after = remaining - skip - take;
    const reversed = after < skip;
    const inBracket =
      brackets !== null && after > NEAR_END ? pageInBracket(prepared, beyond, order, brackets, skip, take) : null;
    let raw: Parameters<typeof toRow>[0][];
    if (inBracket !== null) {
      raw = prepared(
        `SELECT ${ROW_SELECT} FROM requests r WHERE r.id IN (SELECT value FROM json_each(?)) ${orderSql(sort)}`,
      ).all(JSON.stringify(inBracket)) as Parameters<typeof toRow>[0][];
    } else {
      const ids = `SELECT r.id FROM requests r WHERE ${beyond.sql} ${orderSql(sort, reversed)} LIMIT ? OFFSET ?`;
      raw = prepared(`SELECT ${ROW_SELECT} FROM requests r WHERE r.id IN (${ids}) ${orderSql(sort)}`).all(
        ...beyond.params,
        take,
        reversed ? after : skip,
      ) as Parameters<typeof toRow>[0][];
    }
    const rows = raw.map(toRow);
    const last = rows.at(-1);
    const nextCursor =
      after > 0 && last
        ? isTimeSort(sort)
          ? { timestamp: last.timestamp, id: last.id }
          : sortCursorOf(last, sort as ValueSort)
        : null;
    return { rows, nextCursor, remaining };
  })();
}
