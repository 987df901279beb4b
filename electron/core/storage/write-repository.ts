import type { Db } from './database';
import { INSERT_EXCHANGE_SQL, INSERT_REQUEST_SQL, exchangeParams, requestParams } from './rows';
import { createRollup, factOf } from './stats-rollup';
import { createRatioUpdater, rebuildRatios } from './token-ratios';
import type { QueuedRecord } from './writer-protocol';

/** Every statement the writer runs, prepared once at open; values always bound. */
export function createWriteRepository(db: Db) {
  const insertRequest = db.prepare(INSERT_REQUEST_SQL);
  const insertExchange = db.prepare(INSERT_EXCHANGE_SQL);
  const updateRatios = createRatioUpdater(db);
  const rollup = createRollup(db);

  const insertOne = (q: QueuedRecord): number => {
    const id = Number(insertRequest.run(requestParams(q.record)).lastInsertRowid);
    insertExchange.run(exchangeParams(id, q.record.exchange, q.shed));
    return id;
  };

  /** One transaction: rows, their exchanges, the ratios they teach and their stats commit together or not at all. */
  const insertBatch = db.transaction((items: readonly QueuedRecord[]): number[] => {
    const ids = items.map(insertOne);
    rollup.apply(
      items.map((q) => factOf(q.record)),
      1,
    );
    updateRatios(
      items.map((q) => q.record),
      new Date().toISOString(),
    );
    return ids;
  });

  /** Inserts one record in its own savepoint, to find which record of a failed batch is at fault. */
  const insertSingle = db.transaction((q: QueuedRecord): number => {
    const id = insertOne(q);
    rollup.apply([factOf(q.record)], 1);
    updateRatios([q.record], new Date().toISOString());
    return id;
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

  return { insertBatch, insertSingle, rebuild, clear };
}

export type WriteRepository = ReturnType<typeof createWriteRepository>;
