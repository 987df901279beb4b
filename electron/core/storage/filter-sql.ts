import type { RequestFilter } from '../contract/model';
import { parseQueryOrThrow } from '../contract/filter-query';
import { likeEscape, querySql, type SqlPart } from './query-sql';
import { bodyMatchQuery, bodyMatchSql } from './body-index';

export type { SqlPart } from './query-sql';

function inList(column: string, values: readonly unknown[], params: unknown[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
}

/**
 * Conditions on `requests` under the alias `a` (and, for body search, its exchange). Empty filter
 * -> '1'. Another alias serves a table with the same columns (stats_hourly, as `s`). The filter
 * text (`query`) is ANDed with the other fields; its relative times count back from `now`.
 */
export function filterSql(f: RequestFilter, a = 'r', now = Date.now()): SqlPart {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.since !== undefined) {
    where.push(`${a}.timestamp >= ?`);
    params.push(f.since);
  }
  if (f.until !== undefined) {
    where.push(`${a}.timestamp < ?`);
    params.push(f.until);
  }
  if (f.model?.length) where.push(inList(`${a}.model`, f.model, params));
  if (f.provider?.length) where.push(inList(`${a}.provider`, f.provider, params));
  if (f.policy?.length) {
    const named = f.policy.filter((p): p is string => p !== null);
    const parts: string[] = [];
    if (named.length) parts.push(inList(`${a}.policy`, named, params));
    if (named.length < f.policy.length) parts.push(`${a}.policy IS NULL`);
    where.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
  }
  if (f.statusClass?.length) {
    // Classes are validated small integers, written as literals like the booleans below.
    const classes = [...new Set(f.statusClass.map((c) => Math.trunc(Number(c))))].filter((c) => c >= 0 && c <= 5);
    where.push(classes.length ? `${a}.status_class IN (${classes.join(', ')})` : '0');
    // Only 2xx responses can succeed, so without class 2 this adds nothing to the meaning, but
    // it lets the planner use the small partial index of failures instead of walking every row.
    if (!classes.includes(2) && f.success === undefined) where.push(`${a}.success = 0`);
  }
  // Booleans are written as literals (two possible SQL shapes, no user text), so the planner
  // can see that `success = 0` matches the partial index of failures.
  if (f.success !== undefined) where.push(f.success ? `${a}.success = 1` : `${a}.success = 0`);
  if (f.streaming !== undefined) where.push(f.streaming ? `${a}.streaming = 1` : `${a}.streaming = 0`);
  if (f.minCost !== undefined) {
    where.push(`${a}.cost >= ?`);
    params.push(f.minCost);
  }
  if (f.minLatencyMs !== undefined) {
    where.push(`${a}.latency_ms >= ?`);
    params.push(f.minLatencyMs);
  }
  if (f.correlationId !== undefined) {
    where.push(`${a}.correlation_id = ?`);
    params.push(f.correlationId);
  }
  const text = f.text?.trim();
  if (text) {
    // LIKE is case-insensitive for ASCII; the pattern is escaped so % and _ in the query are literal.
    const pattern = `%${likeEscape(text)}%`;
    const fields = [
      `${a}.model`,
      `${a}.path`,
      `${a}.correlation_id`,
      `${a}.error_message`,
      `${a}.provider`,
      `${a}.policy`,
    ];
    const parts = fields.map((c) => `${c} LIKE ? ESCAPE '\\'`);
    params.push(...fields.map(() => pattern));
    // Bodies by their words, through the full-text index (body-index.ts), like `body:`.
    const match = f.searchBodies ? bodyMatchQuery(text) : null;
    if (match !== null) {
      parts.push(bodyMatchSql(a));
      params.push(match);
    }
    where.push(`(${parts.join(' OR ')})`);
  }
  const tree = f.query ? parseQueryOrThrow(f.query) : null;
  if (tree) {
    const q = querySql(tree, a, now);
    where.push(q.sql);
    params.push(...q.params);
  }
  return { sql: where.length ? where.join(' AND ') : '1', params };
}

/**
 * Whether a time-ordered page for `f` is an index seek, bounded by the page, as opposed to a walk
 * that may read the whole log before it has found a page (a text search with few matches read
 * 1.1 M rows in 1-2 s, with bodies in up to 10 s; a cost bound, 0.6 s; a policy list with NULL,
 * 3 s). Only a seek runs on the thread that proxies requests. Time bounds narrow any plan; beyond
 * them one indexed condition is a seek: one model, provider, policy or correlation id, or failures
 * (the partial index of failures). Two conditions may walk one index's rows for the other's few.
 */
export function seeksIndex(f: RequestFilter): boolean {
  const conditions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(f)) {
    if (key === 'since' || key === 'until' || key === 'searchBodies' || value === undefined) continue;
    if ((key === 'text' || key === 'query') && !(value as string).trim()) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    conditions.push([key, value]);
  }
  if (conditions.length === 0) return true;
  if (conditions.length > 1) return false;
  const [key, value] = conditions[0]!;
  switch (key) {
    case 'model':
    case 'provider':
    case 'policy':
      return (value as unknown[]).length === 1;
    case 'correlationId':
      return true;
    case 'success':
      return value === false;
    case 'statusClass':
      // Without class 2 the clause adds success = 0 (see filterSql): the index of failures.
      return !(value as number[]).includes(2);
    default:
      return false;
  }
}
