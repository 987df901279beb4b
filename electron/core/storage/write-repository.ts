import type { Db } from './database';
import { createDerivedTables, type DerivedTables, type InsertedBatch } from './derived-tables';
import { errorMessage } from './errors';
import { INSERT_EXCHANGE_SQL, INSERT_REQUEST_SQL, exchangeParams, requestParams } from './rows';
import { createBodyIndex } from './body-index';
import { createBodyStore } from './body-store';
import { hourOf } from './stats-rollup';
import { createThreadStore, threadInputOf } from './thread-store';
import { rebuildRatios } from './token-ratios';
import type { Assigned, QueuedRecord } from './writer-protocol';
import type { ThreadOverride, ThreadStore } from './thread-store';

/**
 * The derived tables, whose reset (a rollback) and deletions (retention, clearing) also make the
 * threads' live lookups forget what they hold in memory (thread-lookup-cache.ts).
 */
function withThreadLookups(tables: DerivedTables, threads: ThreadStore): DerivedTables {
  return {
    ...tables,
    deleted: (rows, now) => {
      threads.forget();
      tables.deleted(rows, now);
    },
    cleared: (before, now) => {
      threads.forget();
      tables.cleared(before, now);
    },
    reset: () => {
      threads.forget();
      tables.reset();
    },
  };
}

/**
 * Every statement the writer runs, prepared once at open; values always bound. The rows go in
 * first, then every derived table (derived-tables.ts) and the rows' threads, in the same transaction.
 */
export function createWriteRepository(db: Db) {
  const insertRequest = db.prepare(INSERT_REQUEST_SQL);
  const insertExchange = db.prepare(INSERT_EXCHANGE_SQL);
  const threads = createThreadStore(db);
  const derived = withThreadLookups(createDerivedTables(db), threads);
  const bodyIndex = createBodyIndex(db);
  const bodyStore = createBodyStore(db);

  const insertOne = (q: QueuedRecord): number => {
    const id = Number(insertRequest.run(requestParams(q.record)).lastInsertRowid);
    // A timestamp not in toISOString's form is the row's own fault (time-ordered paging relies on
    // the form), not its derived tables': the row is refused, like one SQLite refuses.
    hourOf(q.record.timestamp);
    const e = q.record.exchange;
    const templated = q.shed ? null : bodyStore.add(id, e.requestBody);
    insertExchange.run(exchangeParams(id, templated ? { ...e, requestBody: null } : e, q.shed));
    bodyIndex.add(id, e, q.shed, templated);
    return id;
  };

  /** The derived tables mirror the transaction in memory: when it rolls back, so must they. */
  const undoable =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (e) {
        derived.reset();
        throw e;
      }
    };

  /** The threads of rows just inserted, in id order: [thread id, turn], or null for a row in no thread. */
  const assignThreads = (items: readonly QueuedRecord[], ids: readonly number[]): Assigned[] =>
    items.map((q, i) => {
      const a = q.shed ? null : threads.add(ids[i]!, threadInputOf(q.record));
      return a === null ? null : [a.threadId, a.turn];
    });

  /** One transaction: rows, exchanges, every derived table and the threads commit together or not at all. */
  const insertBatch = undoable(
    db.transaction((items: readonly QueuedRecord[]): { ids: number[]; threads: Assigned[] } => {
      const ids = items.map(insertOne);
      derived.add({ records: items.map((q) => q.record), ids, now: new Date().toISOString() });
      return { ids, threads: assignThreads(items, ids) };
    }),
  );

  // Nested in insertSingle's transaction, each of these is a savepoint: a failure rolls back only its own writes.
  const addDerivedAlone = db.transaction((batch: InsertedBatch) => derived.add(batch));
  const assignThreadsAlone = db.transaction(assignThreads);

  /**
   * The derived tables of a row whose update failed (it should not: the writer only gets plausible
   * numbers, see plausible.ts). The row is never refused over them: each table repairs itself
   * (recomputed, or marked stale). Returns what to tell the user.
   */
  const repairDerived = (cause: unknown, batch: InsertedBatch): string => {
    derived.reset();
    const done = derived.tables.map((t) => {
      try {
        return db.transaction(() => t.repair(batch))();
      } catch (e) {
        t.reset();
        return `${t.name} could not be repaired (${errorMessage(e)})`;
      }
    });
    return `a derived-table update failed (${errorMessage(cause)}); the row was kept; ${done.join('; ')}`;
  };

  /**
   * Inserts one record in its own savepoint, to find which record of a failed batch is at fault.
   * Only the row itself can make it fail; `warning` says when its derived tables had to be repaired.
   */
  const insertSingle = undoable(
    db.transaction((q: QueuedRecord): { id: number; thread: Assigned; warning: string | null } => {
      const id = insertOne(q);
      const batch = { records: [q.record], ids: [id], now: new Date().toISOString() };
      let warning: string | null = null;
      try {
        addDerivedAlone(batch);
      } catch (e) {
        warning = repairDerived(e, batch);
      }
      try {
        return { id, thread: assignThreadsAlone([q], [id])[0]!, warning };
      } catch (e) {
        threads.markStale();
        const note =
          `thread assignment failed (${errorMessage(e)}); the ` + `row was kept, threads are rebuilt at the next start`;
        return { id, thread: null, warning: warning ?? note };
      }
    }),
  );

  const rebuild = undoable(
    db.transaction(() => {
      derived.reset();
      rebuildRatios(db, new Date().toISOString());
    }),
  );
  const deleteBefore = db.prepare('DELETE FROM requests WHERE timestamp < ?');
  const deleteAll = db.prepare('DELETE FROM requests');
  /** Deletes rows (exchanges follow by cascade) and what the derived tables hold of them, atomically. */
  const clear = undoable(
    db.transaction((before: string | null): number => {
      const { changes } = before === null ? deleteAll.run() : deleteBefore.run(before);
      derived.cleared(before, new Date().toISOString());
      return changes;
    }),
  );

  const rebuildThreads = db.transaction(() => threads.rebuild());
  const overrideThread = db.transaction((o: ThreadOverride) => threads.override(o, new Date().toISOString()));

  return { insertBatch, insertSingle, rebuild, clear, rebuildThreads, overrideThread, derived };
}

export type WriteRepository = ReturnType<typeof createWriteRepository>;
