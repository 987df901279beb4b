import { spawnWorker } from '../storage/spawn-worker';
import { removeTempFiles, tempPathBeside } from './atomic-file';
import { ExportError } from './errors';
import type { FromExportThread, ThreadData, ThreadJob } from './export-protocol';
import type { ExportProgress, ExportSummary } from './index';

export interface ThreadOptions {
  onProgress?: (progress: ExportProgress) => void;
  /** Aborting asks the thread to stop at its next step; the promise then rejects with code 'cancelled'. */
  signal?: AbortSignal;
  /**
   * How long a cancelled thread gets to stop by itself before it is terminated. Its steps are
   * short, except a snapshot's VACUUM: one SQLite call that neither the flag nor a terminate can
   * cut short (V8 stops the thread once the call returns). 0 terminates it at once.
   */
  cancelGraceMs?: number;
}

const CANCEL_GRACE_MS = 2000;

/**
 * Runs one export in a thread of its own (export-worker.ts) and resolves with its summary, or
 * rejects with an ExportError as exportLog would. The calling thread only relays messages, and
 * picks the temporary file's name: a thread that dies (out of memory, terminated) can't remove
 * its own half-written file, so the caller does.
 */
export function exportInThread(job: ThreadJob, options: ThreadOptions = {}): Promise<ExportSummary> {
  if (options.signal?.aborted)
    return Promise.reject(new ExportError('cancelled', 'Export cancelled; nothing was written.'));
  const flag = new SharedArrayBuffer(4);
  const tempPath = tempPathBeside(job.destination);
  const worker = spawnWorker('export-worker', new URL('./export-worker.ts', import.meta.url), {
    job: { ...job, tempPath },
    cancel: flag,
  } satisfies ThreadData);
  let forceStop: NodeJS.Timeout | undefined;
  const grace = options.cancelGraceMs ?? CANCEL_GRACE_MS;
  const cancel = () => {
    if (grace === 0) return void worker.terminate();
    Atomics.store(new Int32Array(flag), 0, 1);
    forceStop = setTimeout(() => void worker.terminate(), grace);
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  return new Promise<ExportSummary>((resolve, reject) => {
    let outcome: { ok: true; summary: ExportSummary } | { ok: false; error: ExportError } | null = null;
    worker.on('message', (m: FromExportThread) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') outcome = { ok: true, summary: m.summary };
      else outcome = { ok: false, error: new ExportError(m.code, m.message) };
    });
    worker.on('error', (e) => {
      outcome ??= { ok: false, error: new ExportError('io', `The export thread failed: ${e.message}`, { cause: e }) };
    });
    // Settled on exit, not on the last message: only then is the thread done with the temp file.
    worker.on('exit', (code) => {
      clearTimeout(forceStop);
      options.signal?.removeEventListener('abort', cancel);
      if (outcome?.ok === true) return resolve(outcome.summary);
      const error =
        options.signal?.aborted === true
          ? new ExportError('cancelled', 'Export cancelled; nothing was written.')
          : (outcome?.error ?? new ExportError('io', `The export thread stopped unexpectedly (exit code ${code}).`));
      void removeTempFiles(tempPath).then(() => reject(error));
    });
  });
}
