import type { Db } from './database';
import { errorMessage } from './errors';
import { INSERT_EXCHANGE_SQL, INSERT_REQUEST_SQL, exchangeParams, requestParams } from './rows';
import { createBodyIndex } from './body-index';
import { createRollup, factOf, hourOf } from './stats-rollup';
import { createThreadStore, threadInputOf } from './thread-store';
import { createRatioUpdater, rebuildRatios } from './token-ratios';
import type { LogRecord } from '../contract/model';
import type { Assigned, QueuedRecord } from './writer-protocol';
import type { ThreadOverride } from './thread-store';

/** Every statement the writer runs, prepared once at open; values always bound. */
export function createWriteRepository(db: Db) {
  const insertRequest = db.prepare(INSERT_REQUEST_SQL);
  const insertExchange = db.prepare(INSERT_EXCHANGE_SQL);
  const updateRatios = createRatioUpdater(db);
  const rollup = createRollup(db);
  const threads = createThreadStore(db);
  const bodyIndex = createBodyIndex(db);

  const insertOne = (q: QueuedRecord): number => {
    const id = Number(insertRequest.run(requestParams(q.record)).lastInsertRowid);
    // A timestamp not in toISOString's form is the row's own fault (time-ordered paging relies on
    // the form), not its derived tables': the row is refused, like one SQLite refuses.
    hourOf(q.record.timestamp);
    insertExchange.run(exchangeParams(id, q.record.exchange, q.shed));
    bodyIndex.add(id, q.record.exchange, q.shed);
    return id;
  };

  const updateDerived = (records: readonly LogRecord[]): void => {
    rollup.apply(records.map(factOf), 1);
    updateRatios(records, new Date().toISOString());
  };

  /** The threads of rows just inserted, in id order: [thread id, turn], or null for a row in no thread. */
  const assignThreads = (items: readonly QueuedRecord[], ids: readonly number[]): Assigned[] =>
    items.map((q, i) => {
      const a = q.shed ? null : threads.add(ids[i]!, threadInputOf(q.record));
      return a === null ? null : [a.threadId, a.turn];
    });

  /** One transaction: rows, exchanges, the ratios they teach, their stats and threads commit together or not at all. */
  const insertBatch = db.transaction((items: readonly QueuedRecord[]): { ids: number[]; threads: Assigned[] } => {
    const ids = items.map(insertOne);
    updateDerived(items.map((q) => q.record));
    return { ids, threads: assignThreads(items, ids) };
  });

  // Nested in insertSingle's transaction, each of these is a savepoint: a failure rolls back only its own writes.
  const updateDerivedAlone = db.transaction(updateDerived);
  const assignThreadsAlone = db.transaction(assignThreads);
  const rebuildRatiosAlone = db.transaction(() => rebuildRatios(db, new Date().toISOString()));

  /**
   * The derived tables of a row whose update failed (it should not: the writer only gets plausible
   * numbers, see plausible.ts). The row is never refused over them: stats_hourly is marked stale
   * (stats read the rows until the next start rebuilds it) and token_ratios is recomputed from the
   * rows. Returns what to tell the user.
   */
  const repairDerived = (cause: unknown): string => {
    rollup.markStale();
    try {
      rebuildRatiosAlone();
      return `a derived-table update failed (${errorMessage(cause)}); the row was kept, token_ratios rebuilt from the rows, and stats_hourly is rebuilt at the next start`;
    } catch (e) {
      return `token_ratios could not be updated (${errorMessage(e)}); the row was kept. Rebuild the ratios once the cause is gone; stats_hourly is rebuilt at the next start`;
    }
  };

  /**
   * Inserts one record in its own savepoint, to find which record of a failed batch is at fault.
   * Only the row itself can make it fail; `warning` says when its derived tables had to be repaired.
   */
  const insertSingle = db.transaction((q: QueuedRecord): { id: number; thread: Assigned; warning: string | null } => {
    const id = insertOne(q);
    let warning: string | null = null;
    try {
      updateDerivedAlone([q.record]);
    } catch (e) {
      warning = repairDerived(e);
    }
    try {
      return { id, thread: assignThreadsAlone([q], [id])[0]!, warning };
    } catch (e) {
      threads.markStale();
      const note = `thread assignment failed (${errorMessage(e)}); the row was kept, threads are rebuilt at the next start`;
      return { id, thread: null, warning: warning ?? note };
    }
  });

  const rebuild = db.transaction(() => rebuildRatios(db, new Date().toISOString()));
  const deleteBefore = db.prepare('DELETE FROM requests WHERE timestamp < ?');
  const deleteAll = db.prepare('DELETE FROM requests');
  /** Deletes rows (exchanges follow by cascade), their stats, and re-learns ratios from what remains, atomically. */
  const clear = db.transaction((before: string | null): number => {
    const { changes } = before === null ? deleteAll.run() : deleteBefore.run(before);
    rollup.forgetBefore(before);
    rebuildRatios(db, new Date().toISOString());
    return changes;
  });

  const rebuildThreads = db.transaction(() => threads.rebuild());
  const overrideThread = db.transaction((o: ThreadOverride) => threads.override(o, new Date().toISOString()));

  return { insertBatch, insertSingle, rebuild, clear, rebuildThreads, overrideThread };
}

export type WriteRepository = ReturnType<typeof createWriteRepository>;
