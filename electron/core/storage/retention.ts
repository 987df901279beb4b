// Retention: deleting the oldest rows in small batches, in the writer thread, between record
// batches. Two rules, either or both: rows older than maxAgeDays, and the database's used pages
// above maxSizeMB. The stats rollup loses exactly what the batch deletes, in the same transaction.
//
// token_ratios stay consistent with what remains: each batch subtracts the pruned rows'
// contributions from their groups (Chan's combination run backwards, O(batch), no rescan), and a
// group's min/max is re-read from its remaining rows only when a pruned row held one of them. Their
// distributions (token-distributions.ts) lose the pruned rows' bins exactly.
//
// Space: deleted pages go to SQLite's freelist and are reused by new rows, so the file stops
// growing. To also hand them back to the file system the database must be in auto_vacuum =
// INCREMENTAL, which SQLite only lets a database take before its first table exists (or through
// a full VACUUM). A migration can't do it: migrations run inside a transaction, where VACUUM is
// not allowed, and by then the tables exist. So new databases get it at creation
// (prepareAutoVacuum, before the first migration), and an older file keeps reusing its freed
// pages in place: it stays within its bound, it just doesn't shrink below its high-water mark.
import type { Db } from './database';
import { createRollup, FACT_SELECT, type RollupFact } from './stats-rollup';
import { createDistributions, sampleOf } from './token-distributions';
import type { Summary } from './token-ratios';

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

interface Pruned extends RollupFact {
  id: number;
  ratio: number | null;
}

/** Pages freed per batch that are given back to the file system (with incremental auto-vacuum). */
const VACUUM_PAGES = 2048;

export function createPruner(db: Db) {
  const cols = `id, ${FACT_SELECT},
    CASE WHEN success = 1 AND input_tokens > 0 AND output_tokens > 0 THEN CAST(output_tokens AS REAL) / input_tokens END AS ratio`;
  const oldestBefore = db.prepare(`SELECT ${cols} FROM requests WHERE timestamp < ? ORDER BY timestamp, id LIMIT ?`);
  const oldest = db.prepare(`SELECT ${cols} FROM requests ORDER BY timestamp, id LIMIT ?`);
  const remove = db.prepare('DELETE FROM requests WHERE id = ?');
  const rollup = createRollup(db);
  const distributions = createDistributions(db);
  const pageCount = db.prepare('PRAGMA page_count').pluck();
  const freePages = db.prepare('PRAGMA freelist_count').pluck();
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const incremental = (db.pragma('auto_vacuum', { simple: true }) as number) === 2;
  const getGroup = db.prepare(
    'SELECT sample_count AS n, avg_ratio AS mean, m2, min_ratio AS min, max_ratio AS max FROM token_ratios WHERE policy = ? AND model = ?',
  );
  const dropGroup = db.prepare('DELETE FROM token_ratios WHERE policy = ? AND model = ?');
  const setGroup = db.prepare(
    'UPDATE token_ratios SET sample_count = ?, avg_ratio = ?, m2 = ?, min_ratio = ?, max_ratio = ?, updated_at = ? WHERE policy = ? AND model = ?',
  );
  // policy '' in token_ratios stands for NULL in requests; both spellings are matched so the
  // index on requests (policy, ...) serves either.
  const range =
    db.prepare(`SELECT min(r) AS min, max(r) AS max FROM (SELECT CAST(output_tokens AS REAL) / input_tokens AS r FROM requests
    WHERE (policy = @policy OR (@policy = '' AND policy IS NULL)) AND model = @model AND success = 1 AND input_tokens > 0 AND output_tokens > 0)`);

  const usedBytes = () => ((pageCount.get() as number) - (freePages.get() as number)) * pageSize;

  function forget(rows: Pruned[], now: string) {
    const groups = new Map<string, { policy: string; model: string; xs: number[] }>();
    for (const r of rows) {
      if (r.ratio === null) continue;
      const key = `${r.policy}\u0000${r.model}`;
      const g = groups.get(key) ?? { policy: r.policy, model: r.model, xs: [] };
      g.xs.push(r.ratio);
      groups.set(key, g);
    }
    for (const { policy, model, xs } of groups.values()) {
      const s = getGroup.get(policy, model) as Summary | undefined;
      if (!s) continue;
      const nb = xs.length;
      const na = s.n - nb;
      if (na <= 0) {
        dropGroup.run(policy, model);
        continue;
      }
      const meanB = xs.reduce((a, x) => a + x, 0) / nb;
      const m2B = xs.reduce((a, x) => a + (x - meanB) ** 2, 0);
      // Chan et al. backwards: total = A (+) B, solve for A.
      const meanA = (s.n * s.mean - nb * meanB) / na;
      const delta = meanB - meanA;
      const m2A = Math.max(0, s.m2 - m2B - (delta * delta * na * nb) / s.n);
      let { min, max } = s;
      if (xs.some((x) => x <= s.min || x >= s.max)) {
        ({ min, max } = range.get({ policy, model }) as { min: number; max: number });
      }
      setGroup.run(na, meanA, m2A, min, max, now, policy, model);
    }
  }

  /** One batch, one transaction. Returns how many rows went (a full batch means there may be more). */
  const pruneBatch = db.transaction((rule: PruneRule): number => {
    let rows: Pruned[] = [];
    if (rule.olderThan !== null) rows = oldestBefore.all(rule.olderThan, rule.batch) as Pruned[];
    if (rows.length === 0 && rule.maxBytes !== null && usedBytes() > rule.maxBytes)
      rows = oldest.all(rule.batch) as Pruned[];
    for (const r of rows) remove.run(r.id);
    if (rows.length > 0) {
      forget(rows, new Date().toISOString());
      distributions.apply(rows.map(sampleOf), -1);
      rollup.apply(rows, -1);
    }
    return rows.length;
  });

  return (rule: PruneRule): number => {
    const deleted = pruneBatch(rule);
    // Outside the transaction: hand freed pages back in bounded steps, so one batch never turns
    // into a long rewrite of the file.
    if (incremental && (freePages.get() as number) > 0) db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
    return deleted;
  };
}
