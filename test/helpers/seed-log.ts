// Large logs for export and viewer tests and benchmarks, written straight into the database:
// through the writer a million rows take minutes, and its pacing isn't what those measure.
import type { Db } from '../../electron/core/storage/database';
import { INSERT_REQUEST_SQL, requestParams } from '../../electron/core/storage/rows';
import { rebuildRollups } from '../../electron/core/storage/stats-rollup';
import { randomRecord, rng } from './records';

export interface SeedOptions {
  rows: number;
  /** Of the random records (see randomRecord): the same seed gives the same log. */
  seed: number;
  /** One row every `stepMs` from 2026-01-01T00:00:00Z, oldest first. */
  stepMs: number;
  /** The exchanges row's request_headers (JSON text). */
  requestHeaders?: string;
  requestBody?: (i: number) => string | null;
}

/**
 * Inserts random rows with their exchanges into a migrated log, in transactions of 50 000, then
 * derives the stats rollup from them as the writer would have (rows written around the writer
 * must rebuild it, or stats disagree with the rows).
 */
export function seedRandomRows(db: Db, opts: SeedOptions): void {
  const insert = db.prepare(INSERT_REQUEST_SQL);
  const exchange = db.prepare('INSERT INTO exchanges (request_id, request_headers, request_body) VALUES (?, ?, ?)');
  const rand = rng(opts.seed);
  const start = Date.UTC(2026, 0, 1);
  const headers = opts.requestHeaders ?? '{}';
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = randomRecord(rand, start, i);
      r.timestamp = new Date(start + i * opts.stepMs).toISOString();
      exchange.run(insert.run(requestParams(r)).lastInsertRowid, headers, opts.requestBody?.(i) ?? null);
    }
  });
  for (let i = 0; i < opts.rows; i += 50_000) batch(i, Math.min(opts.rows, i + 50_000));
  db.transaction(() => rebuildRollups(db))();
}
