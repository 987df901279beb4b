import { spawnWorker } from '../storage/spawn-worker';
import { ExportError } from './errors';
import type { FromExportThread, ThreadData, ThreadJob } from './export-protocol';
import type { ExportProgress, ExportSummary } from './index';

export interface ThreadOptions {
  onProgress?: (progress: ExportProgress) => void;
  /** Aborting asks the thread to stop at its next step; the promise then rejects with code 'cancelled'. */
  signal?: AbortSignal;
}

/**
 * Runs one export in a thread of its own (export-worker.ts) and resolves with its summary, or
 * rejects with an ExportError as exportLog would. The calling thread only relays messages.
 */
export function exportInThread(job: ThreadJob, options: ThreadOptions = {}): Promise<ExportSummary> {
  if (options.signal?.aborted) return Promise.reject(new ExportError('cancelled', 'Export cancelled; nothing was written.'));
  const flag = new SharedArrayBuffer(4);
  const worker = spawnWorker('export-worker', new URL('./export-worker.ts', import.meta.url), { job, cancel: flag } satisfies ThreadData);
  const cancel = () => Atomics.store(new Int32Array(flag), 0, 1);
  options.signal?.addEventListener('abort', cancel, { once: true });
  return new Promise<ExportSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: FromExportThread) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.summary);
      } else {
        settled = true;
        reject(new ExportError(m.code, m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(new ExportError('io', `The export thread failed: ${e.message}`, { cause: e }));
    });
    worker.on('exit', (code) => {
      options.signal?.removeEventListener('abort', cancel);
      if (!settled) reject(new ExportError('io', `The export thread stopped unexpectedly (exit code ${code}).`));
    });
  });
}
