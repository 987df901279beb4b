import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { saneRecord } from './plausible';
import type { PruneRule } from './retention';
import { RecordPacker } from './record-pack';
import { recordToRow } from './rows';
import { spawnStorageWorker } from './spawn-worker';
import { ANALYZE_MIN_ROWS } from './statistics';
import type { LogRecord, RequestRow, WriterStatus } from '../contract/model';
import { systemClock, throttle } from '../contract/throttle';
import type { Assigned, FromWorker, ToWorker, WriterConfig } from './writer-protocol';
import type { ThreadOverride } from './thread-store';

export interface WriterOptions extends Partial<Omit<WriterConfig, 'file'>> {
  /**
   * How long the first record of a batch waits for others to share its transaction (and its post
   * to the writer thread). Longer batches cost the writer less per row; rows reach the page later.
   */
  maxBatchDelayMs?: number;
  /** Records accepted but not yet committed, at most; beyond it records are dropped and counted. */
  maxQueuedRecords?: number;
  /**
   * Body bytes held in the queue (as packed, UTF-8), at most; beyond it records keep their metadata but shed
   * their bodies.
   */
  maxQueuedBytes?: number;
  /** How long close() waits for a failing database before giving up on what is still queued. */
  closeTimeoutMs?: number;
  /** A writer thread that stopped is started again after this, doubling up to maxRestartDelayMs. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

const DEFAULTS = {
  maxBatch: 500,
  // At 1 000 req/s, 100 rows a transaction: the writer's CPU per row with bodies is 104 µs against 156
  // at 50 ms and twice that at 10 ms, and the main thread's wake-ups halve (BENCHMARKS.md, "Writer"); a
  // finished request's row still completes on the page well within 250 ms (it draws at most every 100 ms).
  maxBatchDelayMs: 100,
  busyTimeoutMs: 2000,
  retryDelayMs: 50,
  maxRetryDelayMs: 5000,
  analyzeMinRows: ANALYZE_MIN_ROWS,
  maxQueuedRecords: 100_000,
  maxQueuedBytes: 256 * 1024 * 1024,
  closeTimeoutMs: 15_000,
  restartDelayMs: 1000,
  maxRestartDelayMs: 30_000,
};

/**
 * What the main thread remembers of a record in the worker: the row it publishes once committed (its
 * id and thread filled in then), not the bodies.
 */
interface Pending {
  row: RequestRow;
  bytes: number;
}

export class LogWriter extends EventEmitter<{ committed: [RequestRow[]]; status: [WriterStatus] }> {
  /** Null between a writer thread that stopped and the one that replaces it. */
  private worker: Worker | null = null;
  private readonly opts: typeof DEFAULTS;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartDelay = 0;
  /** Records enqueued and not yet posted, packed as they come (record-pack.ts). */
  private readonly outbox = new RecordPacker();
  /** Posts the outbox maxBatchDelayMs after its first record; the worker's ref keeps the process alive meanwhile. */
  private outboxTimer: NodeJS.Timeout | null = null;
  /** Records accepted and not yet settled, oldest first: those posted to the thread, then the outbox's. */
  private inWorker: Pending[] = [];
  private queuedBytes = 0;
  private posted = 0;
  private settled = 0;
  private waiters: { target: number; resolve: () => void }[] = [];
  private jobs = new Map<number, { resolve: (result: number) => void; reject: (e: Error) => void }>();
  private nextJob = 1;
  private closed: Promise<void> | null = null;
  /** Routine status goes out at most every 100 ms; the timer never holds the process open. */
  private readonly statusThrottle = throttle(() => this.emit('status', this.status()), 100, {
    ...systemClock,
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  });
  private readonly counts: WriterStatus = {
    queued: 0,
    committed: 0,
    failed: 0,
    dropped: 0,
    bodiesShed: 0,
    lastError: null,
    lastErrorAt: null,
    state: 'ok',
  };

  constructor(
    private readonly file: string,
    options: WriterOptions = {},
  ) {
    super();
    this.opts = { ...DEFAULTS, ...options };
    this.startWorker();
  }

  private startWorker() {
    const { maxBatch, busyTimeoutMs, retryDelayMs, maxRetryDelayMs, analyzeMinRows } = this.opts;
    const worker = spawnStorageWorker('writer-worker', {
      file: this.file,
      maxBatch,
      busyTimeoutMs,
      retryDelayMs,
      maxRetryDelayMs,
      analyzeMinRows,
    });
    this.worker = worker;
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    // A thread can end without an error (terminated, or exiting): either way, once, unless we closed it.
    const gone = (reason: string) => {
      if (this.worker === worker && !this.closed) this.onWorkerGone(reason);
    };
    worker.on('error', (e) => gone(`writer thread failed: ${e.message}`));
    worker.on('exit', (code) => gone(`writer thread exited (code ${code})`));
    // Idle, the worker must not keep a quitting process alive; with work queued it must.
    this.refd = false;
    worker.unref();
    this.updateRef();
  }

  /** The request path's only contact with storage: O(1), no SQLite, never throws. */
  enqueue(given: LogRecord): void {
    // Here, not in the worker: the row published after the commit must be the row stored.
    let record = saneRecord(given);
    if (this.closed) {
      this.drop(1, 'record arrived after the log was closed');
      return;
    }
    if (this.counts.queued >= this.opts.maxQueuedRecords) {
      this.drop(1, `write queue full (${this.opts.maxQueuedRecords} records): the database is not keeping up`);
      return;
    }
    // Counted as packed: a string's length undercounts its UTF-8 up to 3 × (CJK text), and the packed
    // bytes are what the queue holds until the writer has them. Over the bound, the record is packed again
    // without its bodies.
    let bytes = this.outbox.add(record, false);
    if (bytes > 0 && this.queuedBytes + bytes > this.opts.maxQueuedBytes) {
      this.outbox.dropLast();
      bytes = 0;
      this.counts.bodiesShed++;
      record = { ...record, exchange: { ...record.exchange, requestBody: null, responseBody: null } };
      this.outbox.add(record, true);
    }
    this.queuedBytes += bytes;
    this.counts.queued++;
    this.inWorker.push({ row: recordToRow(record, 0), bytes });
    this.updateRef();
    // Batches are made here, not in the writer thread: one message per transaction. Waking the
    // thread once per record (one post per event-loop turn, ~1 record each at 1 000 req/s) cost it
    // more CPU than the inserts themselves.
    if (this.outbox.count >= this.opts.maxBatch) this.postOutbox();
    else this.outboxTimer ??= setTimeout(() => this.postOutbox(), this.opts.maxBatchDelayMs);
  }

  private postOutbox() {
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    this.outboxTimer = null;
    // Between writer threads, records wait in the outbox (bounded by maxQueuedRecords) for the next one.
    if (this.worker === null) return;
    const batch = this.outbox.take();
    if (batch === null) return;
    this.posted += batch.count;
    this.worker.postMessage({ type: 'records', batch } satisfies ToWorker, [batch.bytes]);
    // The queue grew: its depth is part of the status the page shows, which is pushed, not polled.
    this.publishStatus(false);
  }

  private send(m: ToWorker) {
    this.worker?.postMessage(m);
  }

  status(): WriterStatus {
    return { ...this.counts };
  }

  /** Resolves once every record enqueued before the call is committed or counted as dropped. */
  flush(): Promise<void> {
    this.postOutbox();
    const target = this.posted + this.outbox.count;
    if (this.settled >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  /** Threads from the rows again (the user's overrides applied), in the writer, serialised with commits. */
  async rebuildThreads(): Promise<void> {
    await this.job((seq) => ({ type: 'threads', seq, override: null }));
  }

  /** Records a split or merge and applies it to the rows; rejects with the reason when it makes no sense. */
  async overrideThread(override: ThreadOverride): Promise<void> {
    await this.job((seq) => ({ type: 'threads', seq, override }));
  }

  async rebuildTokenRatios(): Promise<void> {
    await this.job((seq) => ({ type: 'rebuild', seq }));
  }

  /** Deletes rows older than `before` (all rows when null); resolves with how many were deleted. */
  clear(before: string | null): Promise<number> {
    return this.job((seq) => ({ type: 'clear', seq, before }));
  }

  /** One retention batch, queued behind the records enqueued so far; resolves with the rows deleted. */
  prune(rule: PruneRule): Promise<number> {
    return this.job((seq) => ({ type: 'prune', seq, rule }));
  }

  /** CPU µs the writer thread has used since it started (its own thread only, not the process). */
  threadCpuMicros(): Promise<number> {
    return this.job((seq) => ({ type: 'cpu', seq }));
  }

  private job(message: (seq: number) => ToWorker): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the log is closed'));
    if (this.worker === null) return Promise.reject(new Error('the log writer is restarting; try again shortly'));
    this.postOutbox();
    const seq = this.nextJob++;
    return new Promise((resolve, reject) => {
      this.jobs.set(seq, { resolve, reject });
      this.updateRef();
      this.send(message(seq));
    });
  }

  close(): Promise<void> {
    if (this.closed) return this.closed;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.postOutbox();
    const worker = this.worker;
    if (worker === null) {
      // Closed between writer threads: what waits in the outbox has no thread to go to.
      const lost = this.outbox.count;
      this.posted += lost;
      this.closed = Promise.resolve().then(() => {
        this.counts.state = 'closed';
        this.settleAll(`closed while the writer thread was restarting; ${lost} queued records were lost`);
      });
      return this.closed;
    }
    worker.ref();
    this.closed = new Promise<void>((resolve) => {
      const timeout = setTimeout(() => {
        const lost = this.inWorker.length;
        if (lost > 0) this.drop(lost, `closed while the database was failing; ${lost} queued records were lost`);
        void worker.terminate().then(() => resolve());
      }, this.opts.closeTimeoutMs);
      worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
      this.send({ type: 'close' });
    }).then(() => {
      this.counts.state = 'closed';
      this.settleAll();
      this.publishStatus(true);
    });
    return this.closed;
  }

  private onMessage(m: FromWorker) {
    switch (m.type) {
      case 'ready':
        if (this.counts.state === 'restarting') {
          this.counts.state = 'ok';
          this.postOutbox();
          this.publishStatus(true);
        }
        return;
      case 'committed':
        return this.onCommitted(m.ids, m.threads, m.rejected, m.warnings);
      case 'failed':
        this.counts.failed++;
        this.counts.state = 'retrying';
        this.setError(m.message);
        return this.publishStatus(true);
      case 'done': {
        const job = this.jobs.get(m.seq);
        this.jobs.delete(m.seq);
        if (m.error) job?.reject(new Error(m.error));
        else job?.resolve(m.result);
        this.updateRef();
        // A clear, prune or rebuild changed the log and its size on disk.
        this.publishStatus(false);
        return;
      }
      case 'closed':
        if (m.error) this.setError(`closing the database: ${m.error}`);
        return;
      case 'fatal':
        return this.onWorkerGone(`cannot open the database for writing: ${m.message}`);
      default: {
        const never: never = m;
        throw new Error(`unknown writer message ${JSON.stringify(never)}`);
      }
    }
  }

  private onCommitted(
    ids: number[],
    threads: Assigned[],
    rejected: { index: number; reason: string }[],
    warnings: string[],
  ) {
    const done = this.inWorker.splice(0, ids.length);
    const rows: RequestRow[] = [];
    for (let i = 0; i < done.length; i++) {
      const p = done[i]!;
      this.queuedBytes -= p.bytes;
      const id = ids[i]!;
      if (id > 0) {
        const t = threads[i];
        const row = p.row;
        row.id = id;
        if (t) {
          row.threadId = t[0];
          row.turn = t[1];
        }
        rows.push(row);
      }
    }
    this.counts.queued -= done.length;
    this.counts.committed += rows.length;
    if (rejected.length > 0) {
      this.counts.dropped += rejected.length;
      this.setError(`${rejected.length} record(s) could not be stored: ${rejected[0]!.reason}`);
    } else if (warnings.length > 0) {
      this.setError(warnings[0]!);
    } else if (this.counts.state === 'retrying') {
      this.counts.state = 'ok';
      this.counts.lastError = null;
    }
    this.restartDelay = 0;
    this.settled += done.length;
    this.resolveWaiters();
    this.updateRef();
    if (rows.length > 0) this.emit('committed', rows);
    this.publishStatus(rejected.length > 0 || warnings.length > 0);
  }

  private refd = false;
  private updateRef() {
    const busy = this.counts.queued > 0 || this.jobs.size > 0;
    if (busy === this.refd || this.worker === null) return;
    this.refd = busy;
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  private drop(n: number, reason: string) {
    this.counts.dropped += n;
    this.setError(reason);
    this.publishStatus(true);
  }

  private setError(message: string) {
    this.counts.lastError = message;
    this.counts.lastErrorAt = new Date().toISOString();
  }

  /**
   * The writer thread stopped on its own (it crashed, ran out of memory, or could not open the file).
   * What it held is counted as dropped — whether its last transaction committed is not known, and a row
   * twice would be worse than a row counted lost — and a new thread is started after a back-off, so
   * that one failure does not end the log for the rest of the session.
   */
  private onWorkerGone(reason: string) {
    this.worker = null;
    this.refd = false;
    // Posted and not settled: the oldest of inWorker (the rest are still in the outbox, for the next thread).
    const lost = this.posted - this.settled;
    let lostBytes = 0;
    for (const p of this.inWorker.splice(0, lost)) lostBytes += p.bytes;
    this.counts.queued -= lost;
    this.queuedBytes -= lostBytes;
    this.counts.dropped += lost;
    this.settled = this.posted;
    this.resolveWaiters();
    for (const job of this.jobs.values()) job.reject(new Error(reason));
    this.jobs.clear();
    this.restartDelay = Math.min(
      this.restartDelay === 0 ? this.opts.restartDelayMs : this.restartDelay * 2,
      this.opts.maxRestartDelayMs,
    );
    this.counts.state = 'restarting';
    this.setError(
      `${reason}${lost > 0 ? `; ${lost} records it held were not written` : ''}; ` +
        `starting it again in ${Math.round(this.restartDelay / 1000)} s`,
    );
    this.publishStatus(true);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.closed) this.startWorker();
    }, this.restartDelay);
    // Records waiting in the outbox keep the process up until they have a thread; an idle log does not.
    if (this.outbox.count === 0) this.restartTimer.unref();
  }

  /** Counts whatever never reached the file as dropped, so no waiter hangs and nothing vanishes uncounted. */
  private settleAll(reason?: string) {
    const lost = this.inWorker.length;
    this.outbox.clear();
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    this.outboxTimer = null;
    if (lost > 0) {
      this.inWorker = [];
      this.counts.queued = 0;
      this.queuedBytes = 0;
      this.counts.dropped += lost;
      this.setError(reason ?? `${lost} records were not written`);
    }
    this.settled = this.posted;
    this.resolveWaiters();
    for (const job of this.jobs.values()) job.reject(new Error(reason ?? 'the log is closed'));
    this.jobs.clear();
    this.publishStatus(true);
  }

  private resolveWaiters() {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.settled >= w.target) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Status goes out at most every 100 ms while things are routine, at once when something went wrong. */
  private publishStatus(now: boolean) {
    if (now) this.statusThrottle.flush(true);
    else this.statusThrottle();
  }
}
