import type { ExportErrorCode } from './errors';
import type { ExportJob, ExportProgress, ExportSummary } from './index';

/** What the export thread is started with: the job minus what can't cross a thread boundary. */
export interface ThreadData {
  job: Omit<ExportJob, 'onProgress' | 'signal'> & { tempPath: string };
  /**
   * One Int32 the caller sets to 1 to cancel. Shared memory rather than a message: the DELETE and
   * VACUUM of a snapshot are single SQLite calls during which the thread's event loop can't
   * receive messages, and the check right after them must see a cancel sent meanwhile.
   */
  cancel: SharedArrayBuffer;
}

export type ThreadJob = Omit<ThreadData['job'], 'tempPath'>;

export type FromExportThread =
  | { type: 'progress'; progress: ExportProgress }
  | { type: 'done'; summary: ExportSummary }
  | { type: 'failed'; code: ExportErrorCode; message: string };
