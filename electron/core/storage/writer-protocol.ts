import type { PackedRecords } from './record-pack';
import type { PruneRule } from './retention';
import type { ThreadOverride } from './thread-store';
import type { LogRecord } from '../contract/model';

/** A record as the worker unpacks it; `shed` means its bodies were dropped to respect the memory bound. */
export interface QueuedRecord {
  record: LogRecord;
  shed: boolean;
}

/** A committed row's [thread id, turn]; null for a row in no thread. */
export type Assigned = [threadId: number, turn: number] | null;

/**
 * The writer thread's settings; batching is the main thread's (LogWriter), so each message is about one
 * transaction.
 */
export interface WriterConfig {
  file: string;
  /** Rows per transaction at most. */
  maxBatch: number;
  busyTimeoutMs: number;
  /** First retry delay after a failed commit; doubles up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** The log's size from which the writer keeps the planner's statistics (statistics.ts). */
  analyzeMinRows: number;
}

export type ToWorker =
  /** One transaction's records, packed (record-pack.ts); `batch.bytes` is transferred. */
  | { type: 'records'; batch: PackedRecords }
  | { type: 'rebuild'; seq: number }
  | { type: 'clear'; seq: number; before: string | null }
  /** One retention batch; `done` carries how many rows went. */
  | { type: 'prune'; seq: number; rule: PruneRule }
  /** Threads from the rows again; or the user's split or merge recorded and applied. */
  | { type: 'threads'; seq: number; override: ThreadOverride | null }
  /** `done` carries the CPU µs this thread has used so far (benchmarks read it per committed row). */
  | { type: 'cpu'; seq: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /**
   * ids[i] is the id of the i-th oldest unsettled record; rejected records get id 0 and an entry in
   * `rejected`. `warnings`: rows stored whose derived tables had to be repaired (see write-repository.ts).
   */
  | {
      type: 'committed';
      ids: number[];
      /** threads[i] belongs to ids[i]. */
      threads: Assigned[];
      rejected: { index: number; reason: string }[];
      warnings: string[];
    }
  | { type: 'failed'; message: string; queued: number }
  | { type: 'done'; seq: number; error: string | null; result: number }
  | { type: 'closed'; error: string | null }
  | { type: 'fatal'; message: string };
