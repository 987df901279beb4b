import type { Worker } from 'node:worker_threads';
import { StorageError } from './errors';
import type { ReaderConfig, ReaderRequest, ReaderResponse, ReaderResult } from './reader-protocol';
import { spawnStorageWorker } from './spawn-worker';
import type { SpendHours } from './spend-query';
import type { ThreadCursor, ThreadPage, ThreadView } from '../contract/threads';
import type { DistributionRow } from './token-distributions';
import type { TokenDistribution } from '../contract/estimate';
import type {
  ListCursor,
  ListSort,
  RequestDetail,
  RequestFilter,
  RequestPage,
  Stats,
  StatsGroupBy,
  TokenRatio,
} from '../contract/model';

/** A request without its id: the reader numbers them. */
type Query = ReaderRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface ThreadState {
  worker: Worker;
  ready: boolean;
  linger: boolean;
}

interface Pending {
  resolve: (r: ReaderResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface ReaderOptions extends Omit<ReaderConfig, 'file'> {
  /**
   * How long one query may take before its caller gets a StorageError `timeout` and the thread is
   * replaced. better-sqlite3 has no progress handler or interrupt, and terminating a thread takes
   * effect only once its SQLite call returns, so this bounds the wait, not the work: what ends the
   * work is that every query runs over a schema checked to be ours (schema-check.ts).
   */
  budgetMs?: number;
  /**
   * How long the thread stays after its last answer before it closes (its isolate and page cache are
   * ~15-80 MB that a proxy nobody is looking at does not need); the next query starts a fresh one. A thread only
   * background queries have used closes as soon as it is idle.
   */
  idleMs?: number;
  /** Told when a thread starts or stops (tests, diagnostics). */
  onThread?: (state: 'started' | 'stopped') => void;
}

/** Long enough that a page being used keeps its thread (a stats refresh, paging), short enough to matter. */
const IDLE_MS = 30_000;

/**
 * The main thread's handle on a reader thread: one promise per query, answered in any order. The thread
 * starts with the first query and closes once idle for `idleMs`.
 */
export class StatsReader {
  /**
   * null before the first query, once idle, or after the thread died or was replaced: the next query starts one.
   * `linger`: whether it stays `idleMs` once idle; false while only background queries have used it.
   */
  private current: ThreadState | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: Error | null = null;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly options: ReaderOptions = {},
  ) {}

  getStats(filter: RequestFilter, groupBy: StatsGroupBy | null): Promise<Stats> {
    return this.ask({ type: 'stats', filter, groupBy }) as Promise<Stats>;
  }

  /** A page of the list that scans: in a non-time order (see sort-sql.ts), or `skip` rows past the cursor. */
  listScan(
    filter: RequestFilter,
    sort: ListSort,
    cursor: ListCursor | null,
    limit: number,
    skip: number,
  ): Promise<RequestPage<ListCursor>> {
    return this.ask({ type: 'list', filter, sort, cursor, limit, skip }) as Promise<RequestPage<ListCursor>>;
  }

  getRequest(rowId: number): Promise<RequestDetail | null> {
    return this.ask({ type: 'detail', rowId }) as Promise<RequestDetail | null>;
  }

  /** The grouped list: a scan of the matching rows. */
  listThreads(filter: RequestFilter, cursor: ThreadCursor | null, limit: number): Promise<ThreadPage> {
    return this.ask({ type: 'threads', filter, cursor, limit }) as Promise<ThreadPage>;
  }

  getThread(threadId: number): Promise<ThreadView | null> {
    return this.ask({ type: 'thread', threadId }) as Promise<ThreadView | null>;
  }

  getTokenRatios(): Promise<TokenRatio[]> {
    return this.ask({ type: 'ratios' }) as Promise<TokenRatio[]>;
  }

  /**
   * Spend per hour since `fromHour`, with the newest id it includes (see spend-query.ts). The spend ledger asks
   * once at start, with nobody looking: a background query, which does not keep a thread it had to start.
   */
  spendHours(fromHour: string): Promise<SpendHours> {
    return this.ask({ type: 'spend', fromHour }, 'background') as Promise<SpendHours>;
  }

  /** Calibration reads each group's newest requests: a few ms per group, off the proxy's thread. */
  getTokenDistributions(): Promise<TokenDistribution[]> {
    return this.ask({ type: 'distributions' }) as Promise<TokenDistribution[]>;
  }

  getDistributionRows(): Promise<DistributionRow[]> {
    return this.ask({ type: 'distributionRows' }) as Promise<DistributionRow[]>;
  }

  private spawn(linger: boolean): ThreadState {
    const { file, options } = this;
    const config: ReaderConfig = { file, readonly: options.readonly, expectedSchema: options.expectedSchema };
    const worker = spawnStorageWorker('reader-worker', config);
    const state: ThreadState = { worker, ready: false, linger };
    worker.unref();
    options.onThread?.('started');
    worker.once('exit', () => options.onThread?.('stopped'));
    worker.on('message', (m: ReaderResponse) => {
      if (m.type === 'ready') {
        state.ready = true;
        if (state === this.current) for (const p of this.pending.values()) this.startClock(p);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) {
        worker.unref();
        if (state === this.current) this.idleClock();
      }
      if (!p) return;
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    // A thread replaced after a timeout may still report; only the current one speaks for the reader.
    // A thread that can't start (the file locked past the busy timeout, gone, changed) fails its
    // queries with the reason; the next query tries a fresh thread.
    worker.on(
      'error',
      (e) =>
        state === this.current &&
        this.lose(new StorageError('io', this.file, `the reader thread failed: ${e.message}`)),
    );
    worker.on(
      'exit',
      () => state === this.current && this.lose(new StorageError('io', this.file, 'the reader thread stopped')),
    );
    return state;
  }

  private startClock(p: Pending): void {
    const budget = this.options.budgetMs;
    if (budget === undefined || p.timer !== undefined) return;
    p.timer = setTimeout(() => this.expire(budget), budget);
  }

  /**
   * Closes the current thread after `idleMs` without a query (at once if only background queries used it); a
   * query before then stops the clock.
   */
  private idleClock(): void {
    clearTimeout(this.idleTimer);
    const wait = this.current?.linger === false ? 0 : (this.options.idleMs ?? IDLE_MS);
    this.idleTimer = setTimeout(() => {
      const idle = this.current;
      if (!idle || this.pending.size > 0) return;
      // Forgotten first, so that its exit is not taken for a failure and the next query starts a fresh one.
      this.current = null;
      idle.worker.postMessage({ type: 'close' } satisfies ReaderRequest);
    }, wait);
    this.idleTimer.unref();
  }

  private ask(query: Query, use: 'foreground' | 'background' = 'foreground'): Promise<ReaderResult> {
    if (this.closed) return Promise.reject(this.closed);
    clearTimeout(this.idleTimer);
    this.current ??= this.spawn(use === 'foreground');
    if (use === 'foreground') this.current.linger = true;
    const { worker, ready } = this.current;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, timer: undefined };
      this.pending.set(id, p);
      if (ready) this.startClock(p);
      worker.ref();
      worker.postMessage({ ...query, id } satisfies ReaderRequest);
    });
  }

  /**
   * A query overran its budget: everything queued behind it on that thread fails too, and the next query gets
   * a fresh thread.
   */
  private expire(budgetMs: number): void {
    const stuck = this.current?.worker;
    this.lose(
      new StorageError(
        'timeout',
        this.file,
        `a query took longer than ${budgetMs / 1000} s and was ` +
          `stopped (the file may be very large, or locked by another program).`,
      ),
    );
    if (stuck) {
      stuck.unref();
      void stuck.terminate();
    }
  }

  /** The current thread is gone (or given up on): its queries fail with `error`. */
  private lose(error: Error): void {
    this.current = null;
    clearTimeout(this.idleTimer);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
  }

  /** Never rejects: a reader whose thread failed has nothing to close, and shutdown must go on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = new Error('the log is closed');
    const current = this.current;
    this.lose(this.closed);
    if (!current) return;
    const exited = new Promise<void>((resolve) => current.worker.once('exit', () => resolve()));
    // Idle, the thread is unref'd; without this a process with nothing else left to do would
    // exit (code 13, a top-level await unsettled) before the thread had closed its connection.
    current.worker.ref();
    current.worker.postMessage({ type: 'close' } satisfies ReaderRequest);
    await exited;
  }
}
