// The one place where the writer keeps tables derived from `requests` (and `exchanges`): each is a
// DerivedTable, listed in DERIVED_TABLES, and the write path calls every one of them inside the
// transaction that changes the rows, so a derived table always equals a rebuild from the rows.
// A new derived table (threads, estimates, an export outbox…) is a module of its own plus one line
// in that list; the writer, retention and clearing need no change.
import type { Db } from './database';
import type { RollupFact } from './stats-rollup';
import { createRollupTable, MINUTELY } from './stats-rollup';
import { createRatioTable } from './token-ratios';
import type { LogRecord } from '../contract/model';

/** Rows just inserted in the current transaction: records[i] was stored under ids[i]. */
export interface InsertedBatch {
  records: readonly LogRecord[];
  ids: readonly number[];
  /** The batch's commit time (ISO), one per batch. */
  now: string;
}

/** A row that retention is deleting, as read back from `requests` (see FACT_SELECT in stats-rollup.ts). */
export interface DeletedRow extends RollupFact {
  id: number;
  /** output/input tokens when the row teaches a ratio (see ratioOf), else null. */
  ratio: number | null;
}

/**
 * A table the writer keeps equal to a summary of the rows. Every method runs inside the writer's
 * transaction (no await, nothing slow per row beyond what the rows themselves cost); an exception
 * rolls the whole transaction back, rows included, and then reset() is called.
 */
export interface DerivedTable {
  readonly name: string;
  /** Adds the batch's rows. */
  add(batch: InsertedBatch): void;
  /** Retention deleted these rows (already gone from `requests`). */
  deleted(rows: readonly DeletedRow[], now: string): void;
  /** `DELETE FROM requests WHERE timestamp < before` just ran (every row when null). */
  cleared(before: string | null, now: string): void;
  /**
   * add() failed for this batch (one row), which is kept anyway (see insertSingle in
   * write-repository.ts): bring the table back in line with the rows, or mark it stale so readers
   * don't trust it; returns what was done, for the user.
   */
  repair(batch: InsertedBatch): string;
  /**
   * Forget any state held in memory: the transaction it mirrored rolled back, or the table was
   * changed outside add(). Memory is a cache of the table, never the other way round.
   */
  reset(): void;
}

/** Every derived table, in the order they are updated. */
export const DERIVED_TABLES: readonly ((db: Db) => DerivedTable)[] = [
  (db) => createRollupTable(db),
  (db) => createRollupTable(db, MINUTELY),
  createRatioTable,
];

export type DerivedTables = ReturnType<typeof createDerivedTables>;

/** The tables of one writing connection, and the calls the write path makes on all of them. */
export function createDerivedTables(db: Db) {
  const tables = DERIVED_TABLES.map((make) => make(db));
  return {
    tables,
    add: (batch: InsertedBatch) => tables.forEach((t) => t.add(batch)),
    deleted: (rows: readonly DeletedRow[], now: string) => tables.forEach((t) => t.deleted(rows, now)),
    cleared: (before: string | null, now: string) => tables.forEach((t) => t.cleared(before, now)),
    reset: () => tables.forEach((t) => t.reset()),
  };
}
