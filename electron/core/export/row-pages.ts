import type { Db } from '../storage/database';
import { filterSql } from '../storage/filter-sql';
import { timePageSql } from '../storage/queries';
import { ROW_SELECT, exchangeSelect, toDetail } from '../storage/rows';
import { statementCache } from '../storage/statement-cache';
import type { Cursor, RequestDetail, RequestFilter } from '../contract/model';

export interface RowPagesOptions {
  filter: RequestFilter;
  includeBodies: boolean;
  includeHeaders: boolean;
  /** Rows per page; bounds memory together with the body cap (defaults: 2000 bare, 100 with bodies). */
  pageSize?: number;
}

/** A row as exported: the detail without the bodies or headers that were left out. */
export type ExportRow = RequestDetail;

function selectSql(filter: RequestFilter, cursor: Cursor | null, options: RowPagesOptions) {
  const select = `${ROW_SELECT}, ${exchangeSelect({ headers: options.includeHeaders, bodies: options.includeBodies })}`;
  return timePageSql(select, filter, cursor, 'asc', 'LEFT JOIN exchanges e ON e.request_id = r.id');
}

/** How many rows the filter selects, for progress. */
export function countRows(db: Db, filter: RequestFilter): number {
  const where = filterSql(filter);
  return db
    .prepare(`SELECT count(*) FROM requests r WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/**
 * Yields the filter's rows oldest first, a keyset page at a time, so a million rows never sit in
 * memory at once. Every page is read inside one read transaction opened before the first: in WAL
 * mode that pins one snapshot, so rows committed while the export runs (by the proxy's writer,
 * another process) are neither half-included nor duplicated across pages.
 */
export function* rowPages(db: Db, options: RowPagesOptions): Generator<ExportRow[]> {
  const pageSize = options.pageSize ?? (options.includeBodies ? 100 : 2000);
  const prepared = statementCache(db);
  db.exec('BEGIN');
  try {
    let cursor: Cursor | null = null;
    for (;;) {
      const { sql, params } = selectSql(options.filter, cursor, options);
      const raw = prepared(sql).all(...params, pageSize) as Parameters<typeof toDetail>[0][];
      if (raw.length === 0) return;
      const rows = raw.map(toDetail);
      yield rows;
      if (raw.length < pageSize) return;
      const last = rows.at(-1)!;
      cursor = { timestamp: last.timestamp, id: last.id };
    }
  } finally {
    db.exec('COMMIT');
  }
}
