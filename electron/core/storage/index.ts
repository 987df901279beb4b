import { EventEmitter } from 'node:events';
import migrations from 'virtual:migrations';
import type { CoreEventSink } from '../core-events';
import { logFileSize, openConnection } from './database';
import type { LogStore, LogStoreEvents } from './log-store';
import { migrate } from './migrate';
import { listPage } from './list-page';
import { createQueries } from './queries';
import { prepareAutoVacuum } from './retention';
import { StatsReader, type ReaderOptions } from './reader';
import { createRollup, HOURLY, MINUTELY } from './stats-rollup';
import { createDistributions } from './token-distributions';
import { createThreadQueries } from './thread-queries';
import { createThreadStore } from './thread-store';
import { createBodyIndex } from './body-index';
import { LogWriter, type WriterOptions } from './writer';

export type { LogStore, LogSink } from './log-store';
export type { ListQuery } from './log-store';
export type { PruneRule } from './retention';
export { StorageError, isStorageError } from './errors';
export type * from '../contract/model';

export interface LogStoreOptions {
  writer?: WriterOptions;
  /** The reader thread's idle time before it closes, and its start/stop callback (see reader.ts). */
  reader?: Pick<ReaderOptions, 'idleMs' | 'onThread'>;
  /** Where each commit's rows go as requestsAppended (the event hub batches them for the page). */
  events?: CoreEventSink;
}

/**
 * Opens (creating if needed) and migrates the log database, then starts its writer thread.
 * Refuses, with a StorageError naming the file, anything that isn't a log database this build understands.
 */
export async function openLogStore(path: string, options: LogStoreOptions = {}): Promise<LogStore> {
  // This connection reads time-ordered pages (index seeks) and single rows: 16 MiB holds their working set; the
  // scans that would fill a larger cache run in the reader thread.
  const db = openConnection(path, { cacheMiB: 16 });
  try {
    prepareAutoVacuum(db);
    migrate(db, path, migrations);
    // A log from before the rollup existed (or whose rebuild was interrupted) gets it built now,
    // once, before the writer starts adding to it.
    for (const level of [HOURLY, MINUTELY]) {
      const rollup = createRollup(db, level);
      if (!rollup.isComplete()) db.transaction(() => rollup.rebuild())();
    }
    const distributions = createDistributions(db);
    if (!distributions.isComplete()) db.transaction(() => distributions.rebuild())();
    // Threads parse every stored request body: once per log, when it first meets this version.
    const threadStore = createThreadStore(db);
    if (!threadStore.isComplete()) db.transaction(() => threadStore.rebuild())();
    const bodyIndex = createBodyIndex(db);
    if (!bodyIndex.isComplete()) db.transaction(() => bodyIndex.rebuild())();
    // This connection only reads from now on; checkpoints are the writer's job, off this thread.
    db.pragma('query_only = ON');
    db.pragma('wal_autocheckpoint = 0');
  } catch (e) {
    db.close();
    throw e;
  }
  const queries = createQueries(db);
  const threads = createThreadQueries(db);
  const stats = new StatsReader(path, options.reader);
  const writer = new LogWriter(path, options.writer);
  const events = new EventEmitter();
  const listRequests: LogStore['listRequests'] = (filter, cursor, limit, dir) =>
    queries.listRequests(filter, cursor, limit, dir);
  const listScan: LogStore['listScan'] = (filter, sort, cursor, limit, skip = 0) =>
    stats.listScan(filter, sort, cursor, limit, skip);
  writer.on('committed', (rows) => {
    events.emit('committed', rows);
    // Rows come in commit order, so the last one holds the newest id.
    options.events?.emit('requestsAppended', { rows, newestId: rows.at(-1)!.id, truncated: false });
  });
  writer.on('status', (s) => events.emit('status', s));
  let closing: Promise<void> | null = null;

  return {
    path,
    enqueue: (record) => writer.enqueue(record),
    listRequests,
    listScan,
    listPage: (query) => listPage({ listRequests, listScan }, query),
    getRequest: (id) => queries.getRequest(id),
    getStats: (filter, groupBy) => stats.getStats(filter, groupBy),
    getTokenRatios: () => queries.getTokenRatios(),
    spendHours: (fromHour) => stats.spendHours(fromHour),
    previousTurn: (id) => threads.previousTurn(id),
    messageHashes: (id) => threads.messageHashes(id),
    getThread: (threadId) => threads.thread(threadId),
    listThreads: (filter, cursor, limit) => stats.listThreads(filter, cursor, limit),
    editThread: (edit) => writer.overrideThread(edit),
    rebuildThreads: () => writer.rebuildThreads(),
    getTokenDistributions: () => stats.getTokenDistributions(),
    getDistributionRows: () => stats.getDistributionRows(),
    rebuildTokenRatios: () => writer.rebuildTokenRatios(),
    clearLogs: (before) => writer.clear(before),
    prune: (rule) => writer.prune(rule),
    writerStatus: () => writer.status(),
    writerCpuMicros: () => writer.threadCpuMicros(),
    databaseSize: () => logFileSize(path),
    flush: () => writer.flush(),
    close() {
      // The reader goes first, so no read of its can hold the WAL open while the writer truncates it.
      closing ??= stats
        .close()
        .then(() => writer.close())
        .then(() => {
          db.close();
        });
      return closing;
    },
    on<E extends keyof LogStoreEvents>(event: E, listener: LogStoreEvents[E]) {
      events.on(event, listener);
      return () => void events.off(event, listener);
    },
  };
}
