// The writer thread: owns the only writing connection, so SQLite work (including automatic
// WAL checkpoints, which stall whoever commits) never runs on the event loop that proxies.
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type Db } from './database';
import { errorMessage, isTransientSqliteError } from './errors';
import { unpackRecords, type PackedRecords } from './record-pack';
import { createPruner } from './retention';
import { createPlannerStatistics, type PlannerStatistics } from './statistics';
import { createWriteRepository, type WriteRepository } from './write-repository';
import type { Assigned, FromWorker, QueuedRecord, ToWorker, WriterConfig } from './writer-protocol';

const config = workerData as WriterConfig;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

let db: Db;
let repo: WriteRepository;
let prune: ReturnType<typeof createPruner>;
let statistics: PlannerStatistics;
try {
  // 16 MiB of page cache: the writer only appends, and under steady traffic a larger cache fills with the
  // pages of rows it just wrote and never reads again (64 MiB of the process's RSS after ~25 000 rows with
  // bodies). Its CPU per row measured the same at 16 and 64 MiB (bench/writer.ts, alternating runs).
  db = openConnection(config.file, { busyTimeoutMs: config.busyTimeoutMs, cacheMiB: 16 });
  // Checkpoint every ~64 MiB of WAL instead of ~4 MiB: fewer, larger checkpoints cost less per row,
  // and they run here, never on the proxy's thread.
  db.pragma('wal_autocheckpoint = 16384');
  repo = createWriteRepository(db);
  prune = createPruner(db, repo.derived);
  statistics = createPlannerStatistics(db, config.analyzeMinRows);
} catch (e) {
  post({ type: 'fatal', message: errorMessage(e) });
  throw e;
}

/** Records of a batch that did not unpack (a bug of ours): settled in their place in the queue, as refused. */
interface Unreadable {
  unreadable: string;
}
const queue: (QueuedRecord | Unreadable)[] = [];
const isUnreadable = (item: QueuedRecord | Unreadable): item is Unreadable => 'unreadable' in item;
let timer: NodeJS.Timeout | null = null;
let retryDelay = 0;
let closing = false;

function schedule(delayMs: number) {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    drain();
  }, delayMs);
}

/** Commits the queue front to back, one transaction per batch, stopping at the first transient failure. */
function drain() {
  while (queue.length > 0) {
    if (isUnreadable(queue[0]!)) {
      let n = 0;
      while (n < queue.length && isUnreadable(queue[n]!)) n++;
      const refused = queue.splice(0, n) as Unreadable[];
      const rejected = refused.map((item, index) => ({ index, reason: item.unreadable }));
      post({
        type: 'committed',
        ids: rejected.map(() => 0),
        threads: rejected.map(() => null),
        rejected,
        warnings: [],
      });
      continue;
    }
    let end = 0;
    while (end < queue.length && end < config.maxBatch && !isUnreadable(queue[end]!)) end++;
    const batch = queue.slice(0, end) as QueuedRecord[];
    try {
      const { ids, threads } = repo.insertBatch(batch);
      queue.splice(0, batch.length);
      retryDelay = 0;
      statistics.changed(batch.length);
      post({ type: 'committed', ids, threads, rejected: [], warnings: [] });
    } catch (e) {
      if (isTransientSqliteError(e)) {
        // Keep the batch at the front and try again later: order and exactly-once are preserved
        // because a failed transaction rolled back entirely.
        retryDelay = retryDelay === 0 ? config.retryDelayMs : Math.min(retryDelay * 2, config.maxRetryDelayMs);
        post({ type: 'failed', message: errorMessage(e), queued: queue.length });
        schedule(retryDelay);
        return;
      }
      // Not transient: some record can never be stored. Find it, report it, and store the rest.
      if (!commitOneByOne(batch)) return;
    }
  }
  if (closing) finishClose();
  else refreshStatistics();
}

/** Between batches, with the queue empty: records that arrive meanwhile wait in the message queue, as in a commit. */
function refreshStatistics() {
  try {
    statistics.refreshIfStale();
  } catch {
    // Statistics only steer the planner: without fresh ones every query still answers. Tried again after
    // as much churn again.
  }
}

function commitOneByOne(batch: QueuedRecord[]): boolean {
  const ids: number[] = [];
  const threads: Assigned[] = [];
  const rejected: { index: number; reason: string }[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < batch.length; i++) {
    try {
      const { id, thread, warning } = repo.insertSingle(batch[i]!);
      ids.push(id);
      threads.push(thread);
      if (warning !== null) warnings.push(warning);
    } catch (e) {
      if (isTransientSqliteError(e)) {
        // Report what landed so far, keep the rest queued for the retry.
        if (ids.length > 0 || rejected.length > 0) post({ type: 'committed', ids, threads, rejected, warnings });
        queue.splice(0, i);
        post({ type: 'failed', message: errorMessage(e), queued: queue.length });
        retryDelay = config.retryDelayMs;
        schedule(retryDelay);
        return false;
      }
      ids.push(0);
      threads.push(null);
      rejected.push({ index: i, reason: errorMessage(e) });
    }
  }
  queue.splice(0, batch.length);
  statistics.changed(batch.length - rejected.length);
  post({ type: 'committed', ids, threads, rejected, warnings });
  return true;
}

function finishClose() {
  let error: string | null = null;
  try {
    // TRUNCATE leaves an empty -wal, so the closed file is complete on its own (copyable, attachable).
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  } catch (e) {
    error = errorMessage(e);
  }
  post({ type: 'closed', error });
  port.close();
}

/** Rows deleted, counted as churn for the planner's statistics. */
function counted(deleted: number): number {
  statistics.changed(deleted);
  return deleted;
}

function runExclusive(seq: number, fn: () => number | void) {
  // Serialised behind queued records so the result reflects everything enqueued before it.
  drain();
  let error: string | null = null;
  let result = 0;
  try {
    result = fn() ?? 0;
  } catch (e) {
    error = errorMessage(e);
  }
  post({ type: 'done', seq, error, result });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'records': {
      let items: QueuedRecord[];
      try {
        items = unpackRecords(msg.batch);
      } catch (e) {
        // A batch that does not unpack is a bug of ours: its records are reported as refused, so the
        // main thread counts them as dropped instead of waiting for them forever.
        const count: unknown = (msg.batch as Partial<PackedRecords> | undefined)?.count;
        const n = typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
        const unread: Unreadable = { unreadable: `unreadable batch: ${errorMessage(e)}` };
        for (let i = 0; i < n; i++) queue.push(unread);
        if (retryDelay === 0) drain();
        return;
      }
      for (const item of items) queue.push(item);
      if (retryDelay > 0) return; // a retry is already scheduled
      // The main thread already waited for the batch to fill: commit now, without a timer's wake-up.
      drain();
      return;
    }
    case 'rebuild':
      runExclusive(msg.seq, () => repo.rebuild());
      return;
    case 'clear':
      runExclusive(msg.seq, () => counted(repo.clear(msg.before)));
      refreshStatistics();
      return;
    case 'prune':
      runExclusive(msg.seq, () => counted(prune(msg.rule)));
      refreshStatistics();
      return;
    case 'threads': {
      const { override } = msg;
      runExclusive(msg.seq, () => (override ? repo.overrideThread(override) : repo.rebuildThreads()));
      return;
    }
    case 'cpu':
      runExclusive(msg.seq, () => {
        const { user, system } = process.threadCpuUsage();
        return user + system;
      });
      return;
    case 'close':
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      drain();
      return;
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});

post({ type: 'ready' });
// A large log opened without statistics gets them once the records waiting at start are in.
setImmediate(() => {
  if (queue.length === 0 && !closing) refreshStatistics();
});
