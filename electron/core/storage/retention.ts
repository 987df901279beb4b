// Retention: deleting the oldest rows in small batches, in the writer thread, between record
// batches. Two rules, either or both: rows older than maxAgeDays, and the database's used pages
// above maxSizeMB. Every derived table (derived-tables.ts) loses exactly what the batch deletes, in
// the same transaction: the rollup and token_ratios by subtraction, their distributions bin by bin.
//
// Space: deleted pages go to SQLite's freelist and are reused by new rows, so the file stops
// growing. To also hand them back to the file system the database must be in auto_vacuum =
// INCREMENTAL, which SQLite only lets a database take before its first table exists (or through
// a full VACUUM). A migration can't do it: migrations run inside a transaction, where VACUUM is
// not allowed, and by then the tables exist. So new databases get it at creation
// (prepareAutoVacuum, before the first migration), and an older file keeps reusing its freed
// pages in place: it stays within its bound, it just doesn't shrink below its high-water mark.
import type { Db } from './database';
import type { DeletedRow, DerivedTables } from './derived-tables';
import { FACT_SELECT } from './stats-rollup';

export interface PruneRule {
  /** Delete rows that started before this ISO time; null: no age rule. */
  olderThan: string | null;
  /** Delete oldest rows while the used pages exceed this many bytes; null: no size rule. */
  maxBytes: number | null;
  /** Rows per batch at most: bounds how long one batch holds the writer. */
  batch: number;
}

/** Called on the main connection before migrate(): a brand-new file gets incremental auto-vacuum. */
export function prepareAutoVacuum(db: Db): void {
  const tables = db
    .prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .pluck()
    .get() as number;
  if (tables > 0 || (db.pragma('auto_vacuum', { simple: true }) as number) === 2) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  // Once the header exists (journal_mode = WAL writes it), the new mode only takes effect through
  // a VACUUM; on an empty file that costs nothing.
  db.exec('VACUUM');
}

/** Pages freed per batch that are given back to the file system (with incremental auto-vacuum). */
const VACUUM_PAGES = 2048;

export function createPruner(db: Db, derived: DerivedTables) {
  const cols = `id, ${FACT_SELECT},
    CASE WHEN success = 1 AND input_tokens > 0 AND output_tokens > 0
      THEN CAST(output_tokens AS REAL) / input_tokens END AS ratio`;
  const oldestBefore = db.prepare(`SELECT ${cols} FROM requests WHERE timestamp < ? ORDER BY timestamp, id LIMIT ?`);
  const oldest = db.prepare(`SELECT ${cols} FROM requests ORDER BY timestamp, id LIMIT ?`);
  const remove = db.prepare('DELETE FROM requests WHERE id = ?');
  const pageCount = db.prepare('PRAGMA page_count').pluck();
  const freePages = db.prepare('PRAGMA freelist_count').pluck();
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const incremental = (db.pragma('auto_vacuum', { simple: true }) as number) === 2;

  const usedBytes = () => ((pageCount.get() as number) - (freePages.get() as number)) * pageSize;

  /** One batch, one transaction. Returns how many rows went (a full batch means there may be more). */
  const pruneBatch = db.transaction((rule: PruneRule): number => {
    let rows: DeletedRow[] = [];
    if (rule.olderThan !== null) rows = oldestBefore.all(rule.olderThan, rule.batch) as DeletedRow[];
    if (rows.length === 0 && rule.maxBytes !== null && usedBytes() > rule.maxBytes)
      rows = oldest.all(rule.batch) as DeletedRow[];
    for (const r of rows) remove.run(r.id);
    if (rows.length > 0) derived.deleted(rows, new Date().toISOString());
    return rows.length;
  });

  return (rule: PruneRule): number => {
    let deleted: number;
    try {
      deleted = pruneBatch(rule);
    } catch (e) {
      derived.reset(); // the transaction rolled back; memory must not keep what it undid
      throw e;
    }
    // Outside the transaction: hand freed pages back in bounded steps, so one batch never turns
    // into a long rewrite of the file.
    if (incremental && (freePages.get() as number) > 0) db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
    return deleted;
  };
}
