// A page deep inside a list sorted by a column no index covers, found without sorting the rows
// before it. SQLite reaches an offset in such an order with a sort that keeps every row up to it
// (half a million rows for the middle of a million: 0.7–2 s). Instead: a sample of the column (a
// few thousand rows read by random id, a b-tree seek each) says which values bracket the position;
// one scan counts the rows (the list's `remaining`) and the rows before each bracket exactly; the
// page is then read from inside its bracket, where few rows are, or, within a run of equal values,
// in id order, which the table's own order gives without a sort. About two scans in all. Runs
// inside seek-page.ts's read transaction.
import type { Db } from './database';
import type { SqlPart } from './filter-sql';
import type { statementCache } from './statement-cache';

type Prepared = ReturnType<typeof statementCache>;

/** Rows read at random ids for the sample; the brackets hold ~4 standard errors of its quantile. */
const SAMPLE_IDS = 8192;
const MIN_SAMPLE = 256;
/** Within about this many rows (or a fifth of them) of either end, the plain offset is cheaper than brackets. */
const NEAR = 30_000;

export interface ValueOrder {
  /** The sort column as SQL on `requests r`. */
  key: string;
  desc: boolean;
}

/** The values around a position and the exact number of rows before each, from one scan. */
export interface Brackets {
  /** Rows matching `beyond`, and those of them with a value. */
  remaining: number;
  nonNull: number;
  early: string | number;
  late: string | number;
  /** Rows before `early`, up to and including it, before `late`, up to and including it. */
  counts: [number, number, number, number];
}

/**
 * Counts the rows past the cursor, and brackets `position` (0-based, in the order `key` then id,
 * NULLs last) by two sampled values. Null when the sample is too thin to bracket anything: count
 * the plain way then.
 */
export function bracket(
  db: Db,
  prepared: Prepared,
  beyond: SqlPart,
  { key, desc }: ValueOrder,
  position: number,
): Brackets | null {
  const [lo, hi] = db.prepare('SELECT min(id), max(id) FROM requests').raw().get() as [number | null, number | null];
  if (lo === null || hi === null) return null;
  const ids = Array.from({ length: SAMPLE_IDS }, () => lo + Math.floor(Math.random() * (hi - lo + 1)));
  const matched = prepared(
    `SELECT ${key} FROM requests r WHERE r.id IN (SELECT value FROM json_each(?)) AND ${beyond.sql}
      ORDER BY ${key} ${desc ? 'DESC' : 'ASC'} NULLS LAST`,
  )
    .pluck()
    .all(JSON.stringify(ids), ...beyond.params) as (string | number | null)[];
  const sample = matched.filter((v): v is string | number => v !== null);
  const m = sample.length;
  if (m < MIN_SAMPLE) return null;
  // The matching rows estimated from the ids sampled: near either end the plain offset is cheaper.
  const scale = (hi - lo + 1) / new Set(ids).size;
  const total = matched.length * scale;
  const near = Math.min(NEAR, total / 5);
  if (position < near || total - position < near) return null;
  // The sample's rank of the position, and brackets ~4 standard errors either side of it, clamped
  // to the sample: a bracket that misses is seen in the exact counts below.
  const j = Math.floor(Math.min(1, position / (m * scale)) * m);
  const d = 2 * Math.ceil(Math.sqrt(m)) + 2;
  const early = sample[Math.max(0, j - d)]!;
  const late = sample[Math.min(m - 1, j + d)]!;
  const before = desc ? '>' : '<';
  const [remaining, nonNull, ...counts] = prepared(
    `SELECT count(*), count(${key}), coalesce(sum(${key} ${before} ?), 0), coalesce(sum(${key} ${before}= ?), 0),
      coalesce(sum(${key} ${before} ?), 0), coalesce(sum(${key} ${before}= ?), 0)
      FROM requests r WHERE ${beyond.sql}`,
  )
    .raw()
    .get(early, early, late, late, ...beyond.params) as number[];
  return { remaining: remaining!, nonNull: nonNull!, early, late, counts: counts as Brackets['counts'] };
}

/**
 * The ids of the `take` rows from `position` on, read from inside the bracket that holds them; null
 * when they are not all inside one (the position fell outside the brackets, or the page crosses a
 * bracket's end): take the offset the plain way then.
 */
export function pageInBracket(
  prepared: Prepared,
  beyond: SqlPart,
  { key, desc }: ValueOrder,
  b: Brackets,
  position: number,
  take: number,
): number[] | null {
  const dir = desc ? 'DESC' : 'ASC';
  const [a, a2, b2, bEnd] = b.counts;
  const end = position + take;
  const ids = (sql: string, ...params: unknown[]) =>
    prepared(sql)
      .pluck()
      .all(...params) as number[];
  // `+key`: no index on the column (model, provider, policy have one) may replace the table's id order.
  const tie = (value: unknown, offset: number) =>
    ids(
      `SELECT r.id FROM requests r WHERE ${beyond.sql} AND +${key} = ? ORDER BY r.id ${dir} LIMIT ? OFFSET ?`,
      ...beyond.params,
      value,
      take,
      offset,
    );
  if (position >= b.nonNull) {
    return ids(
      `SELECT r.id FROM requests r WHERE ${beyond.sql} AND ${key} IS NULL ORDER BY r.id ${dir} LIMIT ? OFFSET ?`,
      ...beyond.params,
      take,
      position - b.nonNull,
    );
  }
  if (position >= a && end <= a2) return tie(b.early, position - a);
  if (position >= b2 && end <= bEnd) return tie(b.late, position - b2);
  if (position >= a2 && end <= b2) {
    const [after, before] = desc ? ['<', '>'] : ['>', '<'];
    return ids(
      `SELECT r.id FROM requests r WHERE ${beyond.sql} AND ${key} ${after} ? AND ${key} ${before} ?
        ORDER BY ${key} ${dir}, r.id ${dir} LIMIT ? OFFSET ?`,
      ...beyond.params,
      b.early,
      b.late,
      take,
      position - a2,
    );
  }
  return null;
}
