// The OTLP export thread: one per running export (settings `otlp.enabled`). Its own SQLite
// connection reads committed rows and writes only the outbox mark; encoding, gzip and HTTP all
// happen here, so the proxy's thread never does export work beyond posting a wake-up.
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../../storage/database';
import { errorMessage } from '../../storage/errors';
import { runExportLoop } from './export-loop';
import type { ExportThreadConfig, FromExportThread, ToExportThread } from './protocol';

const port = parentPort!;
const config = workerData as ExportThreadConfig;
const post = (m: FromExportThread) => port.postMessage(m);

const stop = new AbortController();
let wakeUp: (() => void) | null = null;
let woken = false;

port.on('message', (m: ToExportThread) => {
  if (m.type === 'stop') stop.abort();
  else woken = true;
  if (m.type === 'stop' || wakeUp) wakeUp?.();
});

function sleep(ms: number, wakeable: boolean): Promise<void> {
  if (stop.signal.aborted || (wakeable && woken)) {
    woken = false;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wakeUp = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakeUp = () => {
      if (stop.signal.aborted || wakeable) {
        woken = false;
        done();
      }
    };
  });
}

async function main(): Promise<void> {
  let db;
  try {
    // The outbox row is written here; a busy writer holds its lock for one batch (milliseconds).
    db = openConnection(config.dbPath, { busyTimeoutMs: 10_000 });
    // Checkpoints are the log writer's (every ~64 MiB of WAL, writer-worker.ts). With SQLite's
    // default here, every mark moved past ~4 MiB of WAL ran one on this thread: a checkpoint twice
    // a second at 1 000 req/s, a tenth of this thread's CPU, and the small, frequent checkpoints
    // the writer's setting exists to avoid.
    db.pragma('wal_autocheckpoint = 0');
  } catch (e) {
    post({ type: 'fatal', message: `the log can't be opened for export: ${errorMessage(e)}` });
    return;
  }
  try {
    await runExportLoop(db, config, {
      sleep,
      stopped: () => stop.signal.aborted,
      signal: stop.signal,
      status: (status) => post({ type: 'status', status }),
    });
  } catch (e) {
    post({ type: 'fatal', message: `the export stopped: ${errorMessage(e)}` });
  } finally {
    db.close();
  }
}

void main().finally(() => {
  post({ type: 'stopped' });
  port.close();
});
