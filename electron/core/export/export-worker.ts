// The export thread: one per export. The SQLite backup, VACUUM and the JSON/CSV encoding of a
// million rows take 10–60 s of CPU; run on the calling thread they would stall Electron's main
// loop (the window's IPC) or serve's loop (which also proxies every request).
import { parentPort, workerData } from 'node:worker_threads';
import type { FromExportThread, ThreadData } from './export-protocol';
import { exportLog, isExportError, type CancelSignal, type ExportProgress } from './index';

/** Progress messages at most this often: the renderer repaints a bar, it needs no more. */
const PROGRESS_EVERY_MS = 100;

const port = parentPort!;
const { job, cancel } = workerData as ThreadData;
const flag = new Int32Array(cancel);
const signal: CancelSignal = {
  get aborted() {
    return Atomics.load(flag, 0) === 1;
  },
};
const post = (m: FromExportThread) => port.postMessage(m);

let lastPost = 0;
let lastPhase: ExportProgress['phase'] | null = null;
const onProgress = (progress: ExportProgress) => {
  const now = Date.now();
  if (progress.phase === lastPhase && now - lastPost < PROGRESS_EVERY_MS) return;
  lastPost = now;
  lastPhase = progress.phase;
  post({ type: 'progress', progress });
};

exportLog({ ...job, onProgress, signal })
  .then(
    (summary) => post({ type: 'done', summary }),
    (e: unknown) =>
      post(
        isExportError(e)
          ? { type: 'failed', code: e.code, message: e.message }
          : { type: 'failed', code: 'io', message: `Export failed: ${e instanceof Error ? e.message : String(e)}` },
      ),
  )
  // Nothing else keeps the thread: closing the port lets it exit once the reply is flushed.
  .finally(() => port.close());
