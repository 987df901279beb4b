// Keeps token_distributions (migrations/0005) equal to a summary of `requests`: the ratio updater
// adds each batch's samples in the writer's transaction, retention subtracts the rows it deletes,
// and a rebuild recomputes the table (after a clear, a narrowed export, or a migration).
import type Database from 'better-sqlite3';
import type { Db } from './database';
import { addValue, decodeSketch, encodeSketch, isNegative, merge, type Sketch } from '../inspect/distributions/sketch';
import { bandOf, sampleOf, type DistributionRow, type Sample } from '../inspect/distributions/bands';

export {
  bandOf,
  bandRange,
  sampleOf,
  LAST_BAND,
  type DistributionRow,
  type Sample,
} from '../inspect/distributions/bands';

const emptyRow = (policy: string, model: string, band: number): DistributionRow => ({
  policy,
  model,
  band,
  count: 0,
  output: new Map(),
  ratio: new Map(),
});

function summarise(samples: Iterable<Sample | null>): Map<string, DistributionRow> {
  const rows = new Map<string, DistributionRow>();
  for (const s of samples) {
    if (s === null) continue;
    const band = bandOf(s.inputTokens);
    const key = `${s.policy}\u0000${s.model}\u0000${band}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(s.policy, s.model, band)));
    row.count++;
    addValue(row.output, s.outputTokens);
    addValue(row.ratio, s.outputTokens / s.inputTokens);
  }
  return rows;
}

/** Distribution rows kept decoded in memory at most (past the bound the cache starts over). */
const CACHED_ROWS = 2_000;

interface Stored {
  sample_count: number;
  output_sketch: Buffer;
  ratio_sketch: Buffer;
}

function completeFlag(db: Db): () => boolean {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare("SELECT complete FROM derived_tables WHERE name = 'token_distributions'").pluck();
  } catch {
    return () => false;
  }
  return () => stmt.get() === 1;
}

/** Statements prepared once per connection; every function runs inside the caller's transaction. */
export function createDistributions(db: Db) {
  const where = 'policy = ? AND model = ? AND input_band = ?';
  const select = db.prepare(`SELECT sample_count, output_sketch, ratio_sketch FROM token_distributions WHERE ${where}`);
  const upsert = db.prepare(`INSERT INTO token_distributions
      (policy, model, input_band, sample_count, output_sketch, ratio_sketch) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET sample_count = excluded.sample_count, output_sketch = excluded.output_sketch,
      ratio_sketch = excluded.ratio_sketch`);
  const remove = db.prepare(`DELETE FROM token_distributions WHERE ${where}`);
  const setComplete = db.prepare("UPDATE derived_tables SET complete = ? WHERE name = 'token_distributions'");
  const clear = db.prepare('DELETE FROM token_distributions');
  // Id order in pages: the upserts can't run while an iterator holds the connection, and a page at a
  // time keeps memory to the groups' bins whatever the log's size.
  const page = db.prepare(`SELECT id, policy, model, success, input_tokens AS inputTokens,
    output_tokens AS outputTokens FROM requests
    WHERE id > ? AND success = 1 AND input_tokens > 0 AND output_tokens > 0 ORDER BY id LIMIT ?`);
  const PAGE = 20_000;

  /**
   * Rows as stored, decoded, by policy NUL model NUL band: the writer's batches touch the same
   * groups again and again, and this spares each a SELECT and two decodes per group. A cache of the
   * table, never the other way round: reset() after a rollback or a change made other than by write().
   */
  const cache = new Map<string, { count: number; output: Sketch; ratio: Sketch }>();
  const stored = (id: string, key: readonly [string, string, number]) => {
    const held = cache.get(id);
    if (held) return held;
    const prior = select.get(...key) as Stored | undefined;
    return {
      count: prior?.sample_count ?? 0,
      output: decodeSketch(prior?.output_sketch ?? null),
      ratio: decodeSketch(prior?.ratio_sketch ?? null),
    };
  };

  function write(rows: Iterable<DistributionRow>, sign: 1 | -1): void {
    for (const d of rows) {
      const key = [d.policy, d.model, d.band] as const;
      const id = `${d.policy}\u0000${d.model}\u0000${d.band}`;
      const prior = stored(id, key);
      // Merged in place: a row refused below is dropped from the cache, so it is read again as stored.
      const count = prior.count + sign * d.count;
      const { output, ratio } = prior;
      merge(output, d.output, sign);
      merge(ratio, d.ratio, sign);
      if (count < 0 || isNegative(output) || isNegative(ratio) || (count === 0) !== (output.size === 0)) {
        // Should not happen; if it does, the table is rebuilt at the next open.
        setComplete.run(0);
        cache.delete(id);
        continue;
      }
      if (count === 0) {
        remove.run(...key);
        cache.delete(id);
        continue;
      }
      upsert.run(...key, count, encodeSketch(output), encodeSketch(ratio));
      prior.count = count;
      if (cache.size >= CACHED_ROWS && !cache.has(id)) cache.clear();
      cache.set(id, prior);
    }
  }

  /** Adds (sign 1) or subtracts (sign -1) samples; null samples (requests that teach nothing) are skipped. */
  const apply = (samples: Iterable<Sample | null>, sign: 1 | -1): void => write(summarise(samples).values(), sign);

  /** Recomputes the whole table from `requests`. */
  function rebuild(): void {
    cache.clear();
    clear.run();
    const all = new Map<string, DistributionRow>();
    let cursor = 0;
    for (;;) {
      const rows = page.all(cursor, PAGE) as (Parameters<typeof sampleOf>[0] & { id: number })[];
      if (rows.length === 0) break;
      for (const [key, d] of summarise(rows.map(sampleOf))) {
        const into = all.get(key);
        if (!into) all.set(key, d);
        else {
          into.count += d.count;
          merge(into.output, d.output);
          merge(into.ratio, d.ratio);
        }
      }
      cursor = rows.at(-1)!.id;
    }
    write(all.values(), 1);
    setComplete.run(1);
  }

  return { apply, rebuild, reset: () => cache.clear(), isComplete: completeFlag(db) };
}

export type Distributions = ReturnType<typeof createDistributions>;

/** Every row of the table, decoded. */
export function readDistributions(db: Db): DistributionRow[] {
  const rows = db
    .prepare(
      `SELECT policy, model, input_band AS band, sample_count AS count, output_sketch, ratio_sketch
       FROM token_distributions ORDER BY policy, model, input_band`,
    )
    .all() as (Omit<DistributionRow, 'output' | 'ratio'> & Omit<Stored, 'sample_count'>)[];
  return rows.map(({ output_sketch, ratio_sketch, ...r }) => ({
    ...r,
    output: decodeSketch(output_sketch),
    ratio: decodeSketch(ratio_sketch),
  }));
}

/**
 * The newest `limit` samples of each (policy, model), newest first: one seek per group on the
 * (model, timestamp) index, so the cost is the groups' windows, not the log's size.
 */
export function readRecentSamples(
  db: Db,
  groups: readonly { policy: string; model: string }[],
  limit: number,
): Map<string, Sample[]> {
  const stmt = db.prepare(`SELECT input_tokens AS inputTokens, output_tokens AS outputTokens FROM requests
    WHERE model = ? AND (policy = ? OR (? = '' AND policy IS NULL)) AND success = 1 AND input_tokens > 0
      AND output_tokens > 0 ORDER BY timestamp DESC, id DESC LIMIT ?`);
  const out = new Map<string, Sample[]>();
  for (const { policy, model } of groups) {
    const rows = stmt.all(model, policy, policy, limit) as { inputTokens: number; outputTokens: number }[];
    out.set(
      `${policy}\u0000${model}`,
      rows.map((r) => ({ policy, model, ...r })),
    );
  }
  return out;
}
