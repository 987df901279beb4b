import type { Worker } from 'node:worker_threads';
import type { ReaderRequest, ReaderResponse, ReaderResult } from './reader-protocol';
import { spawnStorageWorker } from './spawn-worker';
import type { ListCursor, ListSort, RequestFilter, RequestPage, Stats, StatsGroupBy } from '../contract/model';

/** A request without its id: the reader numbers them. */
type Query = ReaderRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The main thread's handle on the reader thread: one promise per query, answered in any order. */
export class StatsReader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: ReaderResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string, options: { readonly?: boolean } = {}) {
    this.worker = spawnStorageWorker('reader-worker', { file, ...options });
    this.worker.unref();
    this.worker.on('message', (m: ReaderResponse) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (!p) return;
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    this.worker.on('error', (e) => this.fail(new Error(`stats thread failed: ${e.message}`)));
    this.worker.on('exit', () => this.fail(new Error('the log is closed')));
  }

  getStats(filter: RequestFilter, groupBy: StatsGroupBy | null): Promise<Stats> {
    return this.ask({ type: 'stats', filter, groupBy }) as Promise<Stats>;
  }

  /** A page of the list that scans: in a non-time order (see sort-sql.ts), or `skip` rows past the cursor. */
  listScan(filter: RequestFilter, sort: ListSort, cursor: ListCursor | null, limit: number, skip: number): Promise<RequestPage<ListCursor>> {
    return this.ask({ type: 'list', filter, sort, cursor, limit, skip }) as Promise<RequestPage<ListCursor>>;
  }

  private ask(query: Query): Promise<ReaderResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...query, id } satisfies ReaderRequest);
    });
  }

  /** Never rejects: a reader that failed to start has nothing to close, and shutdown must go on. */
  async close(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Idle, the thread is unref'd; without this a process with nothing else left to do would
    // exit (code 13, a top-level await unsettled) before the thread had closed its connection.
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies ReaderRequest);
    await exited;
  }

  private fail(error: Error) {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
