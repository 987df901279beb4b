import type { PruneRule } from './retention';
import type { LogRecord } from '../contract/model';

/** A record on its way to the worker; `shed` means its bodies were dropped to respect the memory bound. */
export interface QueuedRecord {
  record: LogRecord;
  shed: boolean;
}

export interface WriterConfig {
  file: string;
  /** Rows per transaction at most. */
  maxBatch: number;
  /** How long the first queued record may wait for others to share its transaction. */
  maxBatchDelayMs: number;
  busyTimeoutMs: number;
  /** First retry delay after a failed commit; doubles up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export type ToWorker =
  | { type: 'records'; items: QueuedRecord[] }
  | { type: 'rebuild'; seq: number }
  | { type: 'clear'; seq: number; before: string | null }
  /** One retention batch; `done` carries how many rows went. */
  | { type: 'prune'; seq: number; rule: PruneRule }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /**
   * ids[i] is the id of the i-th oldest unsettled record; rejected records get id 0 and an entry in
   * `rejected`. `warnings`: rows stored whose derived tables had to be repaired (see write-repository.ts).
   */
  | { type: 'committed'; ids: number[]; rejected: { index: number; reason: string }[]; warnings: string[] }
  | { type: 'failed'; message: string; queued: number }
  | { type: 'done'; seq: number; error: string | null; result: number }
  | { type: 'closed'; error: string | null }
  | { type: 'fatal'; message: string };
