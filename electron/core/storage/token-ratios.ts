import type { Db } from './database';
import type { DerivedTable } from './derived-tables';
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

/** Groups kept in memory at most (one per policy × model; past the bound the cache starts over). */
const CACHED_GROUPS = 10_000;

/**
 * token_ratios and their distributions (token-distributions.ts) as one of the writer's derived
 * tables (see derived-tables.ts). Each group's summary is read once and then kept in memory, so a
 * batch costs one upsert per group it teaches.
 */
export function createRatioTable(db: Db): DerivedTable {
  const distributions = createDistributions(db);
  const select = db.prepare(
    'SELECT sample_count AS n, avg_ratio AS mean, m2, min_ratio AS min, max_ratio AS max ' +
      'FROM token_ratios WHERE policy = ? AND model = ?',
  );
  const upsert =
    db.prepare(`INSERT INTO token_ratios (policy, model, sample_count, avg_ratio, m2, min_ratio, max_ratio, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (policy, model) DO UPDATE SET sample_count = excluded.sample_count, avg_ratio = excluded.avg_ratio,
      m2 = excluded.m2, min_ratio = excluded.min_ratio, max_ratio = excluded.max_ratio,
      updated_at = excluded.updated_at`);
  const dropGroup = db.prepare('DELETE FROM token_ratios WHERE policy = ? AND model = ?');
  // policy '' in token_ratios stands for NULL in requests; both spellings are matched so the
  // index on requests (policy, ...) serves either.
  const range = db.prepare(`SELECT min(r) AS min, max(r) AS max
    FROM (SELECT CAST(output_tokens AS REAL) / input_tokens AS r FROM requests
      WHERE (policy = @policy OR (@policy = '' AND policy IS NULL)) AND model = @model
        AND success = 1 AND input_tokens > 0 AND output_tokens > 0)`);
  /** Stored summaries by policy NUL model; a group absent from the table is absent here too. */
  const cache = new Map<string, Summary>();

  const stored = (key: string, policy: string, model: string): Summary | undefined => {
    let s = cache.get(key);
    if (!s) {
      s = select.get(policy, model) as Summary | undefined;
      if (s) {
        if (cache.size >= CACHED_GROUPS) cache.clear();
        cache.set(key, s);
      }
    }
    return s;
  };
  const store = (key: string, policy: string, model: string, s: Summary, now: string) => {
    upsert.run(policy, model, s.n, s.mean, s.m2, s.min, s.max, now);
    if (cache.size >= CACHED_GROUPS) cache.clear();
    cache.set(key, s);
  };

  /** The ratios of some rows, by group. */
  const byGroup = (rows: Iterable<{ policy: string; model: string; ratio: number | null }>) => {
    const groups = new Map<string, { policy: string; model: string; xs: number[] }>();
    for (const r of rows) {
      if (r.ratio === null) continue;
      const key = `${r.policy}\u0000${r.model}`;
      const g = groups.get(key);
      if (g) g.xs.push(r.ratio);
      else groups.set(key, { policy: r.policy, model: r.model, xs: [r.ratio] });
    }
    return groups;
  };

  return {
    name: 'token_ratios',
    add({ records, now }) {
      const rows = records.map((r) => ({ policy: r.policy ?? '', model: r.model ?? '', ratio: ratioOf(r) }));
      for (const [key, { policy, model, xs }] of byGroup(rows)) {
        let s: Summary | undefined;
        for (const x of xs) s = add(s, x);
        const prior = stored(key, policy, model);
        store(key, policy, model, prior ? combine(prior, s!) : s!, now);
      }
      distributions.apply(records.map(sampleOf), 1);
    },
    // Chan et al. run backwards: O(rows deleted), no rescan; a group's min/max is re-read from its
    // remaining rows only when a deleted row held one of them.
    deleted(rows, now) {
      for (const [key, { policy, model, xs }] of byGroup(rows)) {
        const s = stored(key, policy, model);
        if (!s) continue;
        const nb = xs.length;
        const na = s.n - nb;
        if (na <= 0) {
          dropGroup.run(policy, model);
          cache.delete(key);
          continue;
        }
        const meanB = xs.reduce((a, x) => a + x, 0) / nb;
        const m2B = xs.reduce((a, x) => a + (x - meanB) ** 2, 0);
        // total = A (+) B, solved for A.
        const meanA = (s.n * s.mean - nb * meanB) / na;
        const delta = meanB - meanA;
        const m2A = Math.max(0, s.m2 - m2B - (delta * delta * na * nb) / s.n);
        let { min, max } = s;
        if (xs.some((x) => x <= s.min || x >= s.max)) {
          ({ min, max } = range.get({ policy, model }) as { min: number; max: number });
        }
        store(key, policy, model, { n: na, mean: meanA, m2: m2A, min, max }, now);
      }
      distributions.apply(rows.map(sampleOf), -1);
    },
    cleared(_before, now) {
      cache.clear();
      distributions.reset();
      rebuildRatios(db, now);
    },
    repair({ now }) {
      cache.clear();
      distributions.reset();
      rebuildRatios(db, now);
      return 'token_ratios rebuilt from the rows';
    },
    reset: () => {
      cache.clear();
      distributions.reset();
    },
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
