// getStats from the hourly rollup: whole hours come from stats_hourly, the part-hours at the
// edges of a time range from `requests` itself, and both are summed here with their latency
// histograms merged. Filters the rollup has no column for (text, minimum cost or latency,
// correlation id) — and a log whose rollup isn't built — take the exact scan instead.
import type { Db } from './database';
import { filterSql } from './filter-sql';
import { statementCache } from './statement-cache';
import { addEncoded, bucketOf, emptyHistogram, percentile, type Histogram } from './latency-histogram';
import type { Queries } from './queries';
import { HOURLY, MINUTELY, rollupIsComplete, type Level } from './stats-rollup';
import type { RequestFilter, Stats, StatsGroupBy, StatsRow } from '../contract/model';

interface Acc {
  key: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  costUnknown: number;
  latency: Histogram;
}

const newAcc = (key: string | null): Acc => ({
  key,
  requests: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  cost: 0,
  costUnknown: 0,
  latency: emptyHistogram(),
});

function finish(a: Acc): StatsRow {
  return {
    key: a.key,
    requests: a.requests,
    errors: a.errors,
    errorRate: a.requests > 0 ? a.errors / a.requests : 0,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    cost: a.cost,
    costUnknown: a.costUnknown,
    latencyP50: percentile(a.latency, 0.5),
    latencyP95: percentile(a.latency, 0.95),
  };
}

/** Whether every condition of the filter is a column of stats_hourly (or the time range). */
export function rollupAnswers(f: RequestFilter): boolean {
  return (
    !f.text?.trim() &&
    !f.query?.trim() &&
    f.minCost === undefined &&
    f.minLatencyMs === undefined &&
    f.correlationId === undefined
  );
}

/** Conditions on a rollup table equal to the filter's, for its units from `from` (inclusive) to `before`. */
function rollupWhere(f: RequestFilter, level: Level, from: string | null, before: string | null) {
  // The rollup tables have the filter's columns, except policy, which stores no-policy as '', and
  // their time bounds are unit bounds.
  const inner = filterSql({ ...f, since: undefined, until: undefined, policy: undefined }, 's');
  const where = [inner.sql];
  const params = [...inner.params];
  if (f.policy?.length) {
    where.push(`s.policy IN (${f.policy.map(() => '?').join(', ')})`);
    params.push(...f.policy.map((p) => p ?? ''));
  }
  if (from !== null) {
    where.push(`s.${level.column} >= ?`);
    params.push(from);
  }
  if (before !== null) {
    where.push(`s.${level.column} < ?`);
    params.push(before);
  }
  return { sql: where.join(' AND '), params };
}

/**
 * Splits [since, until) into whole units of a level (hours by default), read from its rollup
 * (unit >= from and unit < before, null: unbounded), and the part-units at its ends, read from
 * a finer level or `requests`. Timestamps are in toISOString's form (the writer refuses others),
 * so an hour's first one is HOUR + ':00:00.000Z' (a minute's, MINUTE + ':00.000Z'): a bound at
 * or before it leaves the unit whole.
 */
export function splitRange(since: string | undefined, until: string | undefined, level: Level = HOURLY) {
  const { length, start } = level;
  let from: string | null = null;
  let before: string | null = null;
  const edges: [string, string][] = [];
  const clip = (lo: string, hi: string) => {
    const a = since !== undefined && since > lo ? since : lo;
    const b = until !== undefined && until < hi ? until : hi;
    if (a < b && !edges.some(([x, y]) => x === a && y === b)) edges.push([a, b]);
  };
  if (since !== undefined) {
    const unit = since.slice(0, length);
    if (since.length < length || since <= unit + start) from = since.length < length ? since : unit;
    else {
      // The unit since falls in is cut: the rollup starts after it, the rows before it are read.
      from = `${unit}\uffff`;
      clip(unit, `${unit}\uffff`);
    }
  }
  if (until !== undefined) {
    const unit = until.slice(0, length);
    before = unit;
    if (until.length > length && until > unit + start) clip(unit, `${unit}\uffff`);
  }
  return { from, before, edges };
}

const GROUP: Record<StatsGroupBy, string> = { model: 'model', provider: 'provider', policy: 'policy' };

export function createStatsQuery(db: Db, exact: Queries['getStats']) {
  // A log without the rollup (or with one not yet built) is answered by the scan.
  const complete = rollupIsComplete(db);
  // Without the minute rollup (a log from before it, read by a viewer), part-hours read the rows.
  const minutesComplete = rollupIsComplete(db, MINUTELY);
  const cached = statementCache(db);
  // Rows as arrays: the sums below read them positionally, without an object per row.
  const prepared = (sql: string) => cached(sql).raw();

  // One read transaction: the hours, the minutes and the rows at the ends are read from one snapshot.
  // Read as separate statements, a batch committed in between would be counted in some parts only.
  const stats = (filter: RequestFilter, groupBy: StatsGroupBy | null): Stats => {
    if (!complete() || !rollupAnswers(filter)) return exact(filter, groupBy);
    const total = newAcc(null);
    const groups = new Map<string | null, Acc>();
    const add = (
      key: string | null,
      requests: number,
      success: number,
      input: number,
      output: number,
      cost: number,
      unknown: number,
    ) => {
      const targets = [total];
      if (groupBy) {
        let g = groups.get(key);
        if (!g) groups.set(key, (g = newAcc(key)));
        targets.push(g);
      }
      for (const a of targets) {
        a.requests += requests;
        if (!success) a.errors += requests;
        a.inputTokens += input;
        a.outputTokens += output;
        a.cost += cost;
        a.costUnknown += unknown;
      }
      return targets;
    };
    const readRollup = (level: Level, from: string | null, before: string | null) => {
      const where = rollupWhere(filter, level, from, before);
      const units = prepared(`SELECT ${groupBy ? `s.${GROUP[groupBy]}` : 'NULL'}, s.requests, s.success, s.input_tokens,
        s.output_tokens, s.cost, s.cost_unknown, s.latency_hist FROM ${level.table} s WHERE ${where.sql}`);
      for (const [k, n, ok, inp, out, cost, unknown, hist] of units.iterate(...where.params) as Iterable<
        [string, number, number, number, number, number, number, Buffer | null]
      >) {
        const key = groupBy === 'policy' && k === '' ? null : k;
        for (const a of add(key, n, ok, inp, out, cost, unknown)) addEncoded(a.latency, hist);
      }
    };
    const readRows = (since: string, until: string) => {
      const w = filterSql({ ...filter, since, until });
      const rows =
        prepared(`SELECT ${groupBy ? `r.${GROUP[groupBy]}` : 'NULL'}, r.success, r.input_tokens, r.output_tokens,
        r.cost, r.latency_ms FROM requests r WHERE ${w.sql}`);
      for (const [key, ok, inp, out, cost, latency] of rows.iterate(...w.params) as Iterable<
        [string | null, number, number | null, number | null, number | null, number | null]
      >) {
        const targets = add(key, 1, ok, inp ?? 0, out ?? 0, cost ?? 0, cost === null ? 1 : 0);
        if (latency !== null) for (const a of targets) a.latency[bucketOf(latency)]! += 1;
      }
    };

    // Whole hours from stats_hourly; the part-hours at the ends from stats_minutely's whole minutes,
    // and only the part-minutes at the very ends from the rows.
    const hours = splitRange(filter.since, filter.until);
    readRollup(HOURLY, hours.from, hours.before);
    for (const [since, until] of hours.edges) {
      if (!minutesComplete()) {
        readRows(since, until);
        continue;
      }
      const minutes = splitRange(since, until, MINUTELY);
      readRollup(MINUTELY, minutes.from, minutes.before);
      for (const [a, b] of minutes.edges) readRows(a, b);
    }

    const rows = [...groups.values()].map(finish);
    // The exact query's order: most requests first, then key (NULL first, as SQL sorts it).
    rows.sort(
      (a, b) =>
        b.requests - a.requests ||
        (a.key === b.key ? 0 : a.key === null ? -1 : b.key === null ? 1 : a.key < b.key ? -1 : 1),
    );
    return { total: finish(total), groups: rows };
  };
  return db.transaction(stats);
}
