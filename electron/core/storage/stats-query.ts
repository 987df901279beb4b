// getStats from the hourly rollup: whole hours come from stats_hourly, the part-hours at the
// edges of a time range from `requests` itself, and both are summed here with their latency
// histograms merged. Filters the rollup has no column for (text, minimum cost or latency,
// correlation id) — and a log whose rollup isn't built — take the exact scan instead.
import type { Db } from './database';
import { filterSql } from './filter-sql';
import { statementCache } from './statement-cache';
import { addEncoded, bucketOf, emptyHistogram, percentile, type Histogram } from './latency-histogram';
import type { Queries } from './queries';
import { HOUR_START, rollupIsComplete } from './stats-rollup';
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

/** Conditions on stats_hourly equal to the filter's, with the hour bounds of the whole hours inside the range. */
function rollupWhere(f: RequestFilter): { sql: string; params: unknown[] } {
  // stats_hourly has the filter's columns, except policy, which stores no-policy as '', and its
  // time bounds are hour bounds.
  const inner = filterSql({ ...f, since: undefined, until: undefined, policy: undefined }, 's');
  const where = [inner.sql];
  const params = [...inner.params];
  if (f.policy?.length) {
    where.push(`s.policy IN (${f.policy.map(() => '?').join(', ')})`);
    params.push(...f.policy.map((p) => p ?? ''));
  }
  const { fromHour, beforeHour } = splitRange(f.since, f.until);
  if (fromHour !== null) {
    where.push('s.hour >= ?');
    params.push(fromHour);
  }
  if (beforeHour !== null) {
    where.push('s.hour < ?');
    params.push(beforeHour);
  }
  return { sql: where.join(' AND '), params };
}

/**
 * Splits [since, until) into whole hours, read from the rollup (hour >= fromHour and hour <
 * beforeHour, null: unbounded), and the part-hours at its ends, read from `requests`. Timestamps
 * are in toISOString's form (the writer refuses others), so an hour's first one is
 * HOUR + ':00:00.000Z': a bound at or before it leaves the hour whole.
 */
export function splitRange(since: string | undefined, until: string | undefined) {
  let fromHour: string | null = null;
  let beforeHour: string | null = null;
  const edges: [string, string][] = [];
  const clip = (lo: string, hi: string) => {
    const a = since !== undefined && since > lo ? since : lo;
    const b = until !== undefined && until < hi ? until : hi;
    if (a < b && !edges.some(([x, y]) => x === a && y === b)) edges.push([a, b]);
  };
  if (since !== undefined) {
    const hour = since.slice(0, 13);
    if (since.length < 13 || since <= hour + HOUR_START) fromHour = since.length < 13 ? since : hour;
    else {
      // The hour since falls in is cut: the rollup starts after it, the rows before it are read.
      fromHour = `${hour}\uffff`;
      clip(hour, `${hour}\uffff`);
    }
  }
  if (until !== undefined) {
    const hour = until.slice(0, 13);
    beforeHour = hour;
    if (until.length > 13 && until > hour + HOUR_START) clip(hour, `${hour}\uffff`);
  }
  return { fromHour, beforeHour, edges };
}

const GROUP: Record<StatsGroupBy, string> = { model: 'model', provider: 'provider', policy: 'policy' };

export function createStatsQuery(db: Db, exact: Queries['getStats']) {
  // A log without the rollup (or with one not yet built) is answered by the scan.
  const complete = rollupIsComplete(db);
  const cached = statementCache(db);
  // Rows as arrays: the sums below read them positionally, without an object per row.
  const prepared = (sql: string) => cached(sql).raw();

  return (filter: RequestFilter, groupBy: StatsGroupBy | null): Stats => {
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
    const where = rollupWhere(filter);
    const hours =
      prepared(`SELECT ${groupBy ? `s.${GROUP[groupBy]}` : 'NULL'}, s.requests, s.success, s.input_tokens, s.output_tokens,
      s.cost, s.cost_unknown, s.latency_hist FROM stats_hourly s WHERE ${where.sql}`);
    for (const [k, n, ok, inp, out, cost, unknown, hist] of hours.iterate(...where.params) as Iterable<
      [string, number, number, number, number, number, number, Buffer | null]
    >) {
      const key = groupBy === 'policy' && k === '' ? null : k;
      for (const a of add(key, n, ok, inp, out, cost, unknown)) addEncoded(a.latency, hist);
    }

    for (const [since, until] of splitRange(filter.since, filter.until).edges) {
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
}
