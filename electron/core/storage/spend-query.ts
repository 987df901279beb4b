// Spend per hour and (provider, model, policy) since an hour, for the spend ledger (core/spend)
// to load: from stats_hourly when it is complete, else from `requests`. Runs in the reader thread.
// The sums and the newest id come from one read transaction, so the caller can add exactly the
// rows committed after it (id > maxId) and count none twice.
import type { Db } from './database';
import { rollupIsComplete } from './stats-rollup';

export interface SpendHourRow {
  /** UTC hour, 'YYYY-MM-DDTHH'. */
  hour: string;
  provider: string;
  model: string;
  policy: string | null;
  cost: number;
  requests: number;
  costUnknown: number;
}

export interface SpendHours {
  rows: SpendHourRow[];
  /** The newest row id these sums include (0 for an empty log). */
  maxId: number;
}

const USE_ROLLUP = false;

export function createSpendQuery(db: Db) {
  // Prepared on first use: the reader thread starts on any log it may be handed, and only the
  // live one is asked for spend.
  let read: ((fromHour: string) => SpendHours) | null = null;
  const prepare = () => {
    const complete = rollupIsComplete(db);
    const fromRollup = db.prepare(`SELECT hour, provider, model, nullif(policy, '') AS policy, sum(cost) AS cost,
        sum(requests) AS requests, sum(cost_unknown) AS costUnknown
      FROM stats_hourly WHERE hour >= ? GROUP BY hour, provider, model, policy`);
    const fromRows = db.prepare(`SELECT substr(timestamp, 1, 13) AS hour, provider, model, policy,
        total(cost) AS cost, count(*) AS requests, sum(cost IS NULL) AS costUnknown
      FROM requests WHERE timestamp >= ? GROUP BY 1, 2, 3, 4`);
    const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM requests').pluck();
    const tx = db.transaction((fromHour: string): SpendHours => {
      // The rows, not stats_hourly: the writer now keeps the rollup in memory and writes it apart from
      // the rows' transaction, so only `requests` agrees with max(id) in one snapshot.
      const rows = (USE_ROLLUP && complete() ? fromRollup : fromRows).all(fromHour) as SpendHourRow[];
      return { rows, maxId: maxId.get() as number };
    });
    // A deferred transaction that only reads: both statements see one snapshot of the WAL.
    return (fromHour: string) => tx.deferred(fromHour);
  };
  return (fromHour: string): SpendHours => (read ??= prepare())(fromHour);
}
