// The row at a position deep inside a list sorted by a column no index covers, found without
// sorting the rows before it. SQLite reaches an offset in such an order with a sort that keeps
// every row up to it (half a million rows for the middle of a million: 0.7–2 s). Instead: a
// sample of the column (a few thousand rows read by random id, a b-tree seek each) says which
// values bracket the position; one scan counts the rows before each bracket exactly; the row is
// then read from inside the bracket, where few rows are (or, within a run of equal values, in id
// order, which the table's own order gives without a sort). Four statements, none of which sorts
// more than a bracket's rows. Runs inside seek-page.ts's read transaction.
import type { Db } from './database';
import type { SqlPart } from './filter-sql';
import type { statementCache } from './statement-cache';
import type { SortCursor } from '../contract/model';

type Prepared = ReturnType<typeof statementCache>;

/** Rows read at random ids for the sample; the brackets hold ~4 standard errors of its quantile. */
const SAMPLE_IDS = 8192;
const MIN_SAMPLE = 256;

export interface ValueOrder {
  /** The sort column as SQL on `requests r`. */
  key: string;
  desc: boolean;
}

/**
 * The (value, id) of the row at `position` (0-based) among the rows matching `beyond`, in the
 * order `key` then id, both descending or both ascending, NULLs last; `nonNull` of them have a
 * value. Null when the sample cannot place it (too few rows, or a bracket missed): the caller then
 * takes the offset the plain way.
 */
export function valueAt(
  db: Db,
  prepared: Prepared,
  beyond: SqlPart,
  { key, desc }: ValueOrder,
  position: number,
  nonNull: number,
): SortCursor | null {
  const dir = desc ? 'DESC' : 'ASC';
  const firstInTie = (value: unknown, offset: number) =>
    prepared(
      // `+key`: no index on the column (model, provider, policy have one) may replace the table's id order.
      `SELECT r.id FROM requests r WHERE ${beyond.sql} AND +${key} = ? ORDER BY r.id ${dir} LIMIT 1 OFFSET ?`,
    )
      .pluck()
      .get(...beyond.params, value, offset) as number | undefined;

  if (position >= nonNull) {
    const id = prepared(
      `SELECT r.id FROM requests r WHERE ${beyond.sql} AND ${key} IS NULL ORDER BY r.id ${dir} LIMIT 1 OFFSET ?`,
    )
      .pluck()
      .get(...beyond.params, position - nonNull) as number | undefined;
    return id === undefined ? null : { value: null, id };
  }

  const range = db.prepare('SELECT min(id), max(id) FROM requests').raw().get() as [number | null, number | null];
  const [lo, hi] = range;
  if (lo === null || hi === null) return null;
  const ids = Array.from({ length: SAMPLE_IDS }, () => lo + Math.floor(Math.random() * (hi - lo + 1)));
  const sample = prepared(
    `SELECT ${key} FROM requests r WHERE r.id IN (SELECT value FROM json_each(?)) AND ${beyond.sql}
      AND ${key} IS NOT NULL ORDER BY ${key} ${dir}`,
  )
    .pluck()
    .all(JSON.stringify(ids), ...beyond.params) as (string | number)[];
  const m = sample.length;
  if (m < MIN_SAMPLE) return null;
  // The sample's rank of the position, and brackets ~4 standard errors either side of it.
  const j = Math.floor((position / nonNull) * m);
  const d = 2 * Math.ceil(Math.sqrt(m)) + 2;
  if (j - d < 0 || j + d >= m) return null;
  const early = sample[j - d]!;
  const late = sample[j + d]!;
  const before = desc ? '>' : '<';
  // Rows strictly before `early`, up to and including it, strictly before `late`, up to and including it.
  const [a, a2, b2, b] = prepared(
    `SELECT coalesce(sum(${key} ${before} ?), 0), coalesce(sum(${key} ${before}= ?), 0),
      coalesce(sum(${key} ${before} ?), 0), coalesce(sum(${key} ${before}= ?), 0)
      FROM requests r WHERE ${beyond.sql} AND ${key} IS NOT NULL`,
  )
    .raw()
    .get(early, early, late, late, ...beyond.params) as [number, number, number, number];
  if (!(a <= position && position < b)) return null;
  if (position < a2) {
    const id = firstInTie(early, position - a);
    return id === undefined ? null : { value: early, id };
  }
  if (position >= b2) {
    const id = firstInTie(late, position - b2);
    return id === undefined ? null : { value: late, id };
  }
  const after = desc ? '<' : '>';
  const row = prepared(
    `SELECT ${key}, r.id FROM requests r WHERE ${beyond.sql} AND ${key} ${after} ? AND ${key} ${before} ?
      ORDER BY ${key} ${dir}, r.id ${dir} LIMIT 1 OFFSET ?`,
  )
    .raw()
    .get(...beyond.params, early, late, position - a2) as [string | number, number] | undefined;
  return row ? { value: row[0], id: row[1] } : null;
}
