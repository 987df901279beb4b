import type { Db } from './database';
import { filterSql, type SqlPart } from './filter-sql';
import { statementCache } from './statement-cache';
import { ROW_SELECT, exchangeSelect, toDetail, toRow } from './rows';
import { isTimeSort, sortCursorOf, type ValueSort } from '../contract/sort-keys';
import { sortedPageSql } from './sort-sql';
import { seekPage } from './seek-page';
import { readRatios } from './token-ratios';
import { CALIBRATION_WINDOW, describeDistributions } from '../inspect/distributions/model';
import { readDistributions, readRecentSamples, type DistributionRow } from './token-distributions';
import type { TokenDistribution } from '../contract/estimate';
import type {
  Cursor,
  ListCursor,
  ListSort,
  RequestDetail,
  RequestFilter,
  RequestPage,
  SortCursor,
  Stats,
  StatsGroupBy,
  StatsRow,
  TokenRatio,
} from '../contract/model';

export const MAX_PAGE = 1000;

const GROUP_COLUMN: Record<StatsGroupBy, string> = { model: 'r.model', provider: 'r.provider', policy: 'r.policy' };

const STATS_SELECT = `count(*) AS requests,
  coalesce(sum(r.success = 0), 0) AS errors,
  coalesce(sum(r.input_tokens), 0) AS inputTokens,
  coalesce(sum(r.output_tokens), 0) AS outputTokens,
  coalesce(sum(r.cost), 0) AS cost,
  coalesce(sum(r.cost IS NULL), 0) AS costUnknown,
  percentile_cont(r.latency_ms, 0.5) AS latencyP50,
  percentile_cont(r.latency_ms, 0.95) AS latencyP95`;

/**
 * One keyset page of `requests r` in time order: newest first, or oldest first, after `cursor`.
 * `select` names the columns (with `joins`, those of other tables too); a `LIMIT ?` is left to bind.
 */
export function timePageSql(
  select: string,
  filter: RequestFilter,
  cursor: Cursor | null,
  dir: 'asc' | 'desc' = 'desc',
  joins = '',
): SqlPart {
  // SQLite bounds an index range by one limit per side only. A cursor past the filter's own
  // bound on the side it walks towards (`until` newest first, `since` oldest first) already
  // implies it, so leave that bound out and let the cursor seek straight to the page instead of
  // walking from the bound through every row already seen.
  const bound = dir === 'desc' ? 'until' : 'since';
  const limit = filter[bound];
  const implied =
    cursor && limit !== undefined && (dir === 'desc' ? cursor.timestamp < limit : cursor.timestamp >= limit);
  const where = filterSql(implied ? { ...filter, [bound]: undefined } : filter);
  let sql = `SELECT ${select} FROM requests r${joins ? ` ${joins}` : ''} WHERE ${where.sql}`;
  const params = [...where.params];
  if (cursor) {
    sql += ` AND (r.timestamp, r.id) ${dir === 'desc' ? '<' : '>'} (?, ?)`;
    params.push(cursor.timestamp, cursor.id);
  }
  sql += dir === 'desc' ? ' ORDER BY r.timestamp DESC, r.id DESC LIMIT ?' : ' ORDER BY r.timestamp, r.id LIMIT ?';
  return { sql, params };
}

/** Read-side queries on the main thread's own connection (the writer has another, in its worker). */
export function createQueries(db: Db) {
  const prepared = statementCache(db);
  const detail = db.prepare(`SELECT ${ROW_SELECT}, ${exchangeSelect()}
    FROM requests r LEFT JOIN exchanges e ON e.request_id = r.id WHERE r.id = ?`);

  const pageSize = (limit: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));

  const queries = {
    /** Newest first (or oldest first) by (timestamp, id); a cursor pages on, stable under inserts. */
    listRequests(
      filter: RequestFilter,
      cursor: Cursor | null,
      limit: number,
      dir: 'asc' | 'desc' = 'desc',
    ): RequestPage {
      const n = pageSize(limit);
      const { sql, params } = timePageSql(ROW_SELECT, filter, cursor, dir);
      const raw = prepared(sql).all(...params, n + 1) as Parameters<typeof toRow>[0][];
      const rows = raw.slice(0, n).map(toRow);
      const last = rows.at(-1);
      return { rows, nextCursor: raw.length > n && last ? { timestamp: last.timestamp, id: last.id } : null };
    },

    /** Sorted by another column (see sort-sql.ts): a scan per page, so callers run it off the main thread. */
    listSorted(
      filter: RequestFilter,
      sort: ValueSort,
      cursor: SortCursor | null,
      limit: number,
    ): RequestPage<SortCursor> {
      const n = pageSize(limit);
      const { sql, params } = sortedPageSql(ROW_SELECT, filter, sort, cursor);
      const raw = prepared(sql).all(...params, n + 1) as Parameters<typeof toRow>[0][];
      const rows = raw.slice(0, n).map(toRow);
      const last = rows.at(-1);
      return { rows, nextCursor: raw.length > n && last ? sortCursorOf(last, sort) : null };
    },

    /**
     * Either order, `skip` rows past `cursor`: what the reader thread answers for the list. A far
     * page (skip > 0) is read from the nearer end of the rows past the cursor (seek-page.ts).
     */
    listPage(
      filter: RequestFilter,
      sort: ListSort,
      cursor: ListCursor | null,
      limit: number,
      skip: number,
    ): RequestPage<ListCursor> {
      if (skip > 0) return seekPage(db, prepared, filter, sort, cursor, pageSize(limit), skip);
      return isTimeSort(sort)
        ? queries.listRequests(filter, cursor as Cursor | null, limit, sort.dir)
        : queries.listSorted(filter, sort as ValueSort, cursor as SortCursor | null, limit);
    },

    getRequest(id: number): RequestDetail | null {
      const raw = detail.get(id) as Parameters<typeof toDetail>[0] | undefined;
      return raw ? toDetail(raw) : null;
    },

    getStats(filter: RequestFilter, groupBy: StatsGroupBy | null): Stats {
      const where = filterSql(filter);
      const total = prepared(`SELECT NULL AS key, ${STATS_SELECT} FROM requests r WHERE ${where.sql}`).get(
        ...where.params,
      ) as StatsRow;
      let groups: StatsRow[] = [];
      if (groupBy) {
        const col = GROUP_COLUMN[groupBy];
        groups = prepared(
          `SELECT ${col} AS key, ${STATS_SELECT} FROM requests r ` +
            `WHERE ${where.sql} GROUP BY ${col} ORDER BY requests DESC, key`,
        ).all(...where.params) as StatsRow[];
      }
      const finish = (s: StatsRow): StatsRow => ({ ...s, errorRate: s.requests > 0 ? s.errors / s.requests : 0 });
      return { total: finish(total), groups: groups.map(finish) };
    },

    getTokenRatios(): TokenRatio[] {
      return readRatios(db);
    },

    /** Each (policy, model)'s distribution with its calibration over its newest requests. */
    getTokenDistributions(): TokenDistribution[] {
      const rows = readDistributions(db);
      const groups = [...new Map(rows.map((r) => [`${r.policy}\u0000${r.model}`, r])).values()];
      return describeDistributions(rows, readRecentSamples(db, groups, CALIBRATION_WINDOW));
    },

    getDistributionRows(): DistributionRow[] {
      return readDistributions(db);
    },

    /** For tests and the query-plan check: the SQL a list call would run. */
    explainList(filter: RequestFilter, cursor: Cursor | null, dir: 'asc' | 'desc' = 'desc'): string[] {
      const { sql, params } = timePageSql(ROW_SELECT, filter, cursor, dir);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 100) as { detail: string }[]).map((r) => r.detail);
    },
  };
  return queries;
}

export type Queries = ReturnType<typeof createQueries>;
