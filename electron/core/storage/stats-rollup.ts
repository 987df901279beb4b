// Keeps stats_hourly (migrations/0002) and stats_minutely (0007) equal to summaries of `requests`:
// the writer adds each batch's rows in its transaction, pruning subtracts the rows it deletes, and a
// rebuild recomputes hours or minutes from scratch (after a migration, a clear, or an export that
// narrows its copy). The two tables are the same summary at two time grains (a Level).
import type Database from 'better-sqlite3';
import type { Db } from './database';
import type { DerivedTable } from './derived-tables';
import { addEncoded, bucketOf, emptyHistogram, encodeHistogram, type Histogram } from './latency-histogram';
import type { LogRecord } from '../contract/model';

/** What one request contributes: its rollup keys and the values summed. */
export interface RollupFact {
  hour: string;
  minute: string;
  model: string;
  provider: string;
  /** '' for no policy. */
  policy: string;
  streaming: number;
  success: number;
  statusClass: number;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  latencyMs: number | null;
}

// Exactly Date.toISOString's form. Being this strict is what lets a query know an hour's first
// possible timestamp (HOUR_START after the hour), so a range starting on the hour reads it whole.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const HOUR_START = ':00:00.000Z';

/** A time grain of the rollup: its table, its time column, and how many characters of a timestamp name a unit. */
export interface Level {
  table: 'stats_hourly' | 'stats_minutely';
  column: 'hour' | 'minute';
  length: 13 | 16;
  /** What follows a unit's name in its first possible timestamp. */
  start: string;
}
export const HOURLY: Level = { table: 'stats_hourly', column: 'hour', length: 13, start: HOUR_START };
export const MINUTELY: Level = { table: 'stats_minutely', column: 'minute', length: 16, start: ':00.000Z' };

/** The hour a timestamp falls in, as stored in stats_hourly; throws for a timestamp not in toISOString's form. */
export function hourOf(timestamp: string): string {
  if (typeof timestamp !== 'string' || !ISO.test(timestamp)) {
    throw new Error(`timestamp ${JSON.stringify(timestamp)} is not ISO-8601 UTC in the form YYYY-MM-DDTHH:MM:SS.sssZ`);
  }
  return timestamp.slice(0, 13);
}

export function factOf(r: LogRecord): RollupFact {
  return {
    hour: hourOf(r.timestamp),
    minute: r.timestamp.slice(0, 16),
    model: r.model ?? '',
    provider: r.provider,
    policy: r.policy ?? '',
    streaming: r.streaming ? 1 : 0,
    success: r.success ? 1 : 0,
    statusClass: r.status === null ? 0 : Math.trunc(r.status / 100),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cost: r.cost,
    latencyMs: r.latencyMs,
  };
}

/** The same, read back from a `requests` row (pruning and rebuilds). */
export const FACT_SELECT = `substr(timestamp, 1, 13) AS hour, substr(timestamp, 1, 16) AS minute, model, provider,
  coalesce(policy, '') AS policy,
  streaming, success, status_class AS statusClass, input_tokens AS inputTokens, output_tokens AS outputTokens,
  cost, latency_ms AS latencyMs`;

interface Delta {
  fact: RollupFact;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  costUnknown: number;
  /** bucket -> count; sparse, because a batch touches few buckets of a key. */
  latency: Map<number, number>;
}

const keyOf = (f: RollupFact, unit: string) =>
  `${unit}\u0000${f.model}\u0000${f.provider}\u0000${f.policy}\u0000${f.streaming}${f.success}${f.statusClass}`;

/** The facts summed per rollup key (keyOf) at a level. */
function summarise(facts: Iterable<RollupFact>, level: Level): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const f of facts) {
    const key = keyOf(f, f[level.column]);
    let d = deltas.get(key);
    if (!d) {
      d = { fact: f, requests: 0, inputTokens: 0, outputTokens: 0, cost: 0, costUnknown: 0, latency: new Map() };
      deltas.set(key, d);
    }
    d.requests++;
    d.inputTokens += f.inputTokens ?? 0;
    d.outputTokens += f.outputTokens ?? 0;
    if (f.cost === null) d.costUnknown++;
    else d.cost += f.cost;
    if (f.latencyMs !== null) {
      const b = bucketOf(f.latencyMs);
      d.latency.set(b, (d.latency.get(b) ?? 0) + 1);
    }
  }
  return deltas;
}

interface Stored {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  cost_unknown: number;
  latency_hist: Buffer | null;
}

/** One rollup row as held in memory: what is stored, with the histogram decoded. */
interface Entry {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  costUnknown: number;
  latency: Histogram;
}

/**
 * Rows kept in memory at most. The writer's batches touch the current hour's keys again and again;
 * this spares each batch a SELECT and a histogram decode per key. A typical log has tens of keys
 * an hour; past the bound the cache starts over (each entry is a dense histogram, ~11 KiB).
 */
const CACHED_KEYS = 512;

/** Whether a level's table matches `requests` right now; always false on a log without the table. */
export function rollupIsComplete(db: Db, level: Level = HOURLY): () => boolean {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare('SELECT complete FROM derived_tables WHERE name = ?').pluck().bind(level.table);
  } catch {
    return () => false;
  }
  return () => stmt.get() === 1;
}

/** Statements prepared once per connection; every function runs inside the caller's transaction. */
export function createRollup(db: Db, level: Level = HOURLY) {
  const { table, column } = level;
  const keyWhere =
    `${column} = ? AND model = ? AND provider = ? AND policy ` +
    `= ? AND streaming = ? AND success = ? AND status_class = ?`;
  const select = db.prepare(
    `SELECT requests, input_tokens, output_tokens, cost, cost_unknown, latency_hist FROM ${table} WHERE ${keyWhere}`,
  );
  const upsert = db.prepare(`INSERT INTO ${table} (${column}, model, provider, policy, streaming, success, status_class,
      requests, input_tokens, output_tokens, cost, cost_unknown, latency_hist)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET requests = excluded.requests, input_tokens = excluded.input_tokens,
      output_tokens = excluded.output_tokens, cost = excluded.cost, cost_unknown = excluded.cost_unknown,
      latency_hist = excluded.latency_hist`);
  const remove = db.prepare(`DELETE FROM ${table} WHERE ${keyWhere}`);
  const setComplete = db.prepare(`UPDATE derived_tables SET complete = ? WHERE name = '${table}'`);
  const cache = new Map<string, Entry>();

  const load = (key: unknown[]): Entry | undefined => {
    const prior = select.get(...key) as Stored | undefined;
    if (!prior) return undefined;
    const latency = emptyHistogram();
    addEncoded(latency, prior.latency_hist);
    return {
      requests: prior.requests,
      inputTokens: prior.input_tokens,
      outputTokens: prior.output_tokens,
      cost: prior.cost,
      costUnknown: prior.cost_unknown,
      latency,
    };
  };

  /**
   * Adds (sign 1) or subtracts (sign -1) facts. A subtraction that finds less than it removes marks
   * the rollup stale. The cache is updated as the table is; a caller whose transaction rolls back
   * calls reset().
   */
  function apply(facts: Iterable<RollupFact>, sign: 1 | -1): void {
    for (const [id, d] of summarise(facts, level)) {
      const f = d.fact;
      const key = [f[column], f.model, f.provider, f.policy, f.streaming, f.success, f.statusClass];
      let e = cache.get(id);
      if (!e) {
        e = load(key);
        if (e) {
          if (cache.size >= CACHED_KEYS) cache.clear();
          cache.set(id, e);
        }
      }
      const requests = (e?.requests ?? 0) + sign * d.requests;
      if (requests < 0 || (sign < 0 && !e)) {
        // Should not happen; if it does, stats fall back to scanning until the next open rebuilds.
        setComplete.run(0);
        continue;
      }
      if (requests === 0) {
        remove.run(...key);
        cache.delete(id);
        continue;
      }
      if (!e) {
        e = { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0, costUnknown: 0, latency: emptyHistogram() };
        if (cache.size >= CACHED_KEYS) cache.clear();
        cache.set(id, e);
      }
      e.requests = requests;
      e.inputTokens += sign * d.inputTokens;
      e.outputTokens += sign * d.outputTokens;
      e.cost += sign * d.cost;
      e.costUnknown += sign * d.costUnknown;
      for (const [b, n] of d.latency) e.latency[b]! += sign * n;
      upsert.run(...key, requests, e.inputTokens, e.outputTokens, e.cost, e.costUnknown, encodeHistogram(e.latency));
    }
  }

  /** Forgets the cached rows: after a rollback, or a change to the table made other than by apply(). */
  const reset = (): void => cache.clear();

  const clearRange = db.prepare(`DELETE FROM ${table} WHERE ${column} >= ? AND ${column} <= ?`);
  const clearBefore = db.prepare(`DELETE FROM ${table} WHERE ${column} < ?`);
  const clearAll = db.prepare(`DELETE FROM ${table}`);
  // Pages of rows in (timestamp, id) order: better-sqlite3 can't run the upserts while an
  // iterator holds the connection, and a page at a time keeps memory flat on any size of log.
  const page = db.prepare(`SELECT id, timestamp, ${FACT_SELECT} FROM requests
    WHERE timestamp >= ? AND timestamp < ? AND (timestamp, id) > (?, ?) ORDER BY timestamp, id LIMIT ?`);
  const PAGE = 20_000;

  /** Recomputes units (hours or minutes) from `requests`: all of them, or those from `from` to `to` inclusive. */
  function rebuild(range?: { from: string; to: string }): void {
    reset();
    if (range) clearRange.run(range.from, range.to);
    else clearAll.run();
    const lo = range?.from ?? '';
    const hi = range ? `${range.to}\uffff` : '\uffff';
    let cursor: [string, number] = ['', 0];
    for (;;) {
      const rows = page.all(lo, hi, ...cursor, PAGE) as (RollupFact & { id: number; timestamp: string })[];
      if (rows.length === 0) break;
      apply(rows, 1);
      const last = rows.at(-1)!;
      cursor = [last.timestamp, last.id];
    }
    if (!range) setComplete.run(1);
  }

  /** After `DELETE FROM requests WHERE timestamp < before`: whole units go, the unit cut in two is recomputed. */
  function forgetBefore(before: string | null): void {
    reset();
    if (before === null) {
      clearAll.run();
      return;
    }
    const unit = before.slice(0, level.length);
    clearBefore.run(unit);
    if (before.length > level.length) rebuild({ from: unit, to: unit });
  }

  /** The summary no longer matches `requests`: stats scan the rows until the next open rebuilds it. */
  const markStale = (): void => void setComplete.run(0);

  return { apply, rebuild, forgetBefore, markStale, reset, isComplete: rollupIsComplete(db, level) };
}

/** Recomputes both levels from the rows (a narrowed export, a seeded log). */
export function rebuildRollups(db: Db): void {
  for (const level of [HOURLY, MINUTELY]) createRollup(db, level).rebuild();
}

/** stats_hourly or stats_minutely as one of the writer's derived tables (see derived-tables.ts). */
export function createRollupTable(db: Db, level: Level = HOURLY): DerivedTable {
  const rollup = createRollup(db, level);
  return {
    name: level.table,
    add: ({ records }) => rollup.apply(records.map(factOf), 1),
    deleted: (rows) => rollup.apply(rows, -1),
    cleared: (before) => rollup.forgetBefore(before),
    repair({ records }) {
      try {
        for (const unit of new Set(records.map((r) => r.timestamp.slice(0, level.length)))) {
          db.transaction(() => rollup.rebuild({ from: unit, to: unit }))();
        }
        return `${level.table} recomputed for the ${level.column}`;
      } catch {
        rollup.reset();
        rollup.markStale();
        return `${level.table} is rebuilt at the next start`;
      }
    },
    reset: rollup.reset,
  };
}

export type Rollup = ReturnType<typeof createRollup>;
