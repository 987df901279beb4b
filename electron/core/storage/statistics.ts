// The query planner's statistics for the log (ANALYZE, with STAT4 samples), kept by the writer. Without
// them SQLite takes any range on an index for a narrow one: `model:claude*` on a log that is mostly Claude
// was served from the model index and a sort of every match (466 ms at 1 M rows) instead of by walking the
// list's own order until a page is full (2.4 ms with statistics). With them, a prefix few rows share still
// goes to the model index. Only `requests` is analysed: it is the table every filter reads. Connections
// already open load the first statistics with the schema change that creating their tables makes; later
// refreshes reach connections opened after them (the reader thread reopens after 30 s idle).
import type { Db } from './database';

/** Below this, every plan is quick, and statistics of a few rows would mislead more than they tell. */
export const ANALYZE_MIN_ROWS = 10_000;

export interface PlannerStatistics {
  /** Rows were added or deleted: churn that makes the statistics stale. */
  changed(rows: number): void;
  /**
   * ANALYZE when the churn since the last one reached what it counted (at least `minRows`): a log that
   * doubles, or turns over under retention, gets new statistics, at ~1 s per million rows.
   */
  refreshIfStale(): void;
}

export function createPlannerStatistics(db: Db, minRows = ANALYZE_MIN_ROWS): PlannerStatistics {
  let analysed = 0;
  let churn = 0;
  try {
    analysed = analysedRows(db);
    // Churn is not kept across writer threads: a log never analysed counts all its rows as churn.
    if (analysed === 0) churn = db.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  } catch {
    // Statistics never stop the writer from starting: without these figures they come after minRows of churn.
  }
  return {
    changed(rows) {
      churn += rows;
    },
    refreshIfStale() {
      if (churn < Math.max(minRows, analysed)) return;
      churn = 0;
      db.exec('ANALYZE requests');
      analysed = analysedRows(db);
    },
  };
}

/** The rows the last ANALYZE of `requests` counted: its lines' largest first number (a partial index's is smaller). */
function analysedRows(db: Db): number {
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get() === undefined) return 0;
  const stats = db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'requests'").pluck().all() as string[];
  let rows = 0;
  for (const stat of stats) {
    const n = Number.parseInt(stat, 10);
    if (Number.isFinite(n) && n > rows) rows = n;
  }
  return rows;
}
