import type { Db } from './database';
import type { LogRecord, TokenRatio } from '../contract/model';
import { createDistributions, sampleOf } from './token-distributions';

/** Running summary of one (policy, model) group: count, mean, sum of squared deviations, range. */
export interface Summary {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/**
 * The records that teach a ratio: successful, with both counts above zero (ARCHITECTURE.md's
 * definition: estimated counts, from the tokenizer when an upstream reports none, teach too).
 */
export function ratioOf(r: Pick<LogRecord, 'success' | 'inputTokens' | 'outputTokens'>): number | null {
  if (!r.success || !r.inputTokens || !r.outputTokens || r.inputTokens <= 0 || r.outputTokens <= 0) return null;
  return r.outputTokens / r.inputTokens;
}

/** Chan et al.'s pairwise combination: exact for mean and m2 up to rounding, whatever the batch sizes. */
function combine(a: Summary, b: Summary): Summary {
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

function add(s: Summary | undefined, x: number): Summary {
  return combine(s ?? { n: 0, mean: 0, m2: 0, min: x, max: x }, { n: 1, mean: x, m2: 0, min: x, max: x });
}

/** Updates token_ratios and their distributions for a batch, inside the caller's transaction. */
export function createRatioUpdater(db: Db) {
  const distributions = createDistributions(db);
  const select = db.prepare(
    'SELECT sample_count AS n, avg_ratio AS mean, m2, min_ratio AS min, max_ratio AS max FROM token_ratios WHERE policy = ? AND model = ?',
  );
  const upsert =
    db.prepare(`INSERT INTO token_ratios (policy, model, sample_count, avg_ratio, m2, min_ratio, max_ratio, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (policy, model) DO UPDATE SET sample_count = excluded.sample_count, avg_ratio = excluded.avg_ratio,
      m2 = excluded.m2, min_ratio = excluded.min_ratio, max_ratio = excluded.max_ratio, updated_at = excluded.updated_at`);

  return (records: readonly LogRecord[], now: string): void => {
    const groups = new Map<string, { policy: string; model: string; s: Summary }>();
    for (const r of records) {
      const x = ratioOf(r);
      if (x === null) continue;
      const policy = r.policy ?? '';
      const model = r.model ?? '';
      const key = `${policy}\u0000${model}`;
      const g = groups.get(key);
      if (g) g.s = add(g.s, x);
      else groups.set(key, { policy, model, s: add(undefined, x) });
    }
    for (const { policy, model, s } of groups.values()) {
      const prior = select.get(policy, model) as Summary | undefined;
      const next = prior ? combine(prior, s) : s;
      upsert.run(policy, model, next.n, next.mean, next.m2, next.min, next.max, now);
    }
    distributions.apply(records.map(sampleOf), 1);
  };
}

const RATIO_SOURCE = `SELECT coalesce(policy, '') AS policy, model, CAST(output_tokens AS REAL) / input_tokens AS ratio
  FROM requests WHERE success = 1 AND input_tokens > 0 AND output_tokens > 0`;

/** Recomputes the whole table and its distributions from requests; run inside a transaction by the writer. */
export function rebuildRatios(db: Db, now: string): void {
  createDistributions(db).rebuild();
  db.exec('DELETE FROM token_ratios');
  db.prepare(
    `INSERT INTO token_ratios (policy, model, sample_count, avg_ratio, m2, min_ratio, max_ratio, updated_at)
    SELECT policy, model, count(*), avg(ratio), sum((ratio - mean) * (ratio - mean)), min(ratio), max(ratio), ?
    FROM (SELECT policy, model, ratio, avg(ratio) OVER (PARTITION BY policy, model) AS mean FROM (${RATIO_SOURCE}))
    GROUP BY policy, model`,
  ).run(now);
}

export function readRatios(db: Db): TokenRatio[] {
  const rows = db
    .prepare(
      `SELECT policy, model, sample_count, avg_ratio, m2, min_ratio, max_ratio, updated_at
       FROM token_ratios ORDER BY sample_count DESC, policy, model`,
    )
    .all() as {
    policy: string;
    model: string;
    sample_count: number;
    avg_ratio: number;
    m2: number;
    min_ratio: number;
    max_ratio: number;
    updated_at: string;
  }[];
  return rows.map((r) => ({
    policy: r.policy === '' ? null : r.policy,
    model: r.model,
    sampleCount: r.sample_count,
    avgRatio: r.avg_ratio,
    stddevRatio: r.sample_count > 1 ? Math.sqrt(Math.max(0, r.m2) / (r.sample_count - 1)) : null,
    minRatio: r.min_ratio,
    maxRatio: r.max_ratio,
    updatedAt: r.updated_at,
  }));
}
