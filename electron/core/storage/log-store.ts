import type { PruneRule } from './retention';
import type { SpendHours } from './spend-query';
import type { DistributionRow } from './token-distributions';
import type { TokenDistribution } from '../contract/estimate';
import type {
  Cursor,
  ListCursor,
  ListSort,
  LogRecord,
  RequestDetail,
  RequestFilter,
  RequestPage,
  RequestRow,
  Stats,
  StatsGroupBy,
  TokenRatio,
  WriterStatus,
} from '../contract/model';
import type { ThreadCursor, ThreadEdit, ThreadPage, ThreadView } from '../contract/threads';
import type { MessageHash } from '../inspect/threads';

/** One page of the list, as the API's listRequests asks for it (the cursor already matched to the order). */
export interface ListQuery {
  filter: RequestFilter;
  /** Absent: newest first. */
  sort?: ListSort | undefined;
  cursor: ListCursor | null;
  limit: number;
  skip: number;
}

/** Where the proxy sends finished records. enqueue() never touches SQLite and never throws. */
export interface LogSink {
  enqueue(record: LogRecord): void;
}

export interface LogStoreEvents {
  /** Rows just committed, in commit order, with their ids. */
  committed: (rows: RequestRow[]) => void;
  /** Writer health changed (queue depth, failures, drops). */
  status: (status: WriterStatus) => void;
}

/**
 * The log database as the rest of the app sees it: a write queue (SQLite work happens in a
 * worker thread), read queries on a separate connection, and events after each commit.
 */
export interface LogStore extends LogSink {
  readonly path: string;
  /** Time order, newest first unless `dir` is 'asc': an index seek, on the calling thread. */
  listRequests(filter: RequestFilter, cursor: Cursor | null, limit: number, dir?: 'asc' | 'desc'): RequestPage;
  /**
   * In the reader thread, the pages that scan: any order but time (see sort-sql.ts), a page
   * `skip` rows past its cursor in any order (how the list reaches a far scroll position at once),
   * and a time-ordered page whose filter is no index seek (see seeksIndex in filter-sql.ts).
   */
  listScan(
    filter: RequestFilter,
    sort: ListSort,
    cursor: ListCursor | null,
    limit: number,
    skip?: number,
  ): Promise<RequestPage<ListCursor>>;
  /** A page of the list, read on the thread that suits it (see list-page.ts): what the API calls. */
  listPage(query: ListQuery): Promise<RequestPage<ListCursor>>;
  getRequest(id: number): RequestDetail | null;
  /** Runs in a reader thread: a grouped scan of a large log takes long enough to stall the proxy. */
  getStats(filter: RequestFilter, groupBy: StatsGroupBy | null): Promise<Stats>;
  getTokenRatios(): TokenRatio[];
  /** In the reader thread: spend per hour since `fromHour` from the rollup, with the newest id it includes. */
  spendHours(fromHour: string): Promise<SpendHours>;
  /** The turn before `id` in its thread (a seek): null for a first turn or a request in no thread. */
  previousTurn(id: number): RequestRow | null;
  /** The request's message hashes (see inspect/threads/message-hashes.ts): [] for a request in no thread. */
  messageHashes(id: number): MessageHash[];
  /** A thread's summary and turns; null when no request has that thread id. */
  getThread(threadId: number): ThreadView | null;
  /** In the reader thread: threads with a request matching `filter`, most recently active first. */
  listThreads(filter: RequestFilter, cursor: ThreadCursor | null, limit: number): Promise<ThreadPage>;
  /** In the writer: records the user's split or merge and applies it; rejects with the reason for a senseless one. */
  editThread(edit: ThreadEdit): Promise<void>;
  /** In the writer: every thread assigned again from the rows, the user's edits applied. */
  rebuildThreads(): Promise<void>;
  /** In the reader thread: each (policy, model)'s distribution and calibration (inspect/distributions/model.ts). */
  getTokenDistributions(): Promise<TokenDistribution[]>;
  /** In the reader thread: token_distributions decoded, what estimates are computed from. */
  getDistributionRows(): Promise<DistributionRow[]>;
  /** Recomputes token_ratios from requests, in the writer, serialised with commits. */
  rebuildTokenRatios(): Promise<void>;
  /**
   * Deletes the rows that started before `before` (every row when null), with their exchanges,
   * and re-learns token_ratios from what remains, in one transaction. Resolves with the count.
   */
  clearLogs(before: string | null): Promise<number>;
  /**
   * One retention batch in the writer (see retention.ts): deletes at most `rule.batch` of the
   * oldest rows the rule selects, keeping token_ratios consistent. Resolves with the count.
   */
  prune(rule: PruneRule): Promise<number>;
  writerStatus(): WriterStatus;
  /** CPU µs the writer thread has used so far, once what was enqueued before the call is committed. */
  writerCpuMicros(): Promise<number>;
  /** Bytes on disk: the database file plus its WAL. */
  databaseSize(): number;
  /** Resolves once every record enqueued before the call is committed (or dropped). */
  flush(): Promise<void>;
  /** Flushes, checkpoints the WAL and closes. Idempotent. */
  close(): Promise<void>;
  on<E extends keyof LogStoreEvents>(event: E, listener: LogStoreEvents[E]): () => void;
}
