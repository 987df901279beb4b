// The OTLP export as the app core runs it: one export thread while `otlp.enabled` is set,
// restarted when its settings change, woken when rows are committed, and its status merged into
// the app's (pushed, like every status). Stopping it waits for the thread to finish the request in
// flight or give it up; the outbox then holds exactly what the receiver accepted.
import type { Worker } from 'node:worker_threads';
import { backfillTimestamp, tracesUrl, type OtlpExportStatus } from '../../contract/otlp-settings';
import type { Settings } from '../../contract/settings-schema';
import type { CoreEvents } from '../../core-events';
import { openConnection } from '../../storage/database';
import { newestId } from '../../storage/outbox';
import { spawnWorker } from '../../storage/spawn-worker';
import type { ExportThreadConfig, FromExportThread, ToExportThread } from './protocol';
import { installId } from './resource';

/** Commits come up to a hundred times a second; the thread needs to hear of them a few times a second at most. */
const WAKE_EVERY_MS = 200;
const STOP_GRACE_MS = 5000;

export interface OtlpExporter {
  status(): OtlpExportStatus | null;
  /** Starts, restarts or stops the thread to match the settings. */
  apply(settings: Settings): Promise<void>;
  stop(): Promise<void>;
}

const defaultPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

export function threadConfig(
  settings: Settings,
  where: { dbPath: string; installId: () => string; newestId: () => number },
): ExportThreadConfig | null {
  const o = settings.otlp;
  if (!o?.enabled || !o.endpoint) return null;
  return {
    dbPath: where.dbPath,
    destination: { url: tracesUrl(o.endpoint), protocol: o.protocol, headers: o.headers },
    content: o.content ? { maxChars: o.contentMaxChars } : null,
    serviceName: o.serviceName,
    installId: where.installId(),
    backfillFrom: o.backfillFrom ? backfillTimestamp(o.backfillFrom) : null,
    startAfterId: where.newestId(),
    servers: settings.upstreams.map((u) => {
      const url = new URL(u.baseUrl);
      return [u.name, { address: url.hostname.replace(/^\[|\]$/g, ''), port: defaultPort(url) }];
    }),
  };
}

export function createOtlpExporter(options: {
  dbPath: string;
  dataDir: string;
  events: CoreEvents;
  onStatus: () => void;
}): OtlpExporter {
  let worker: Worker | null = null;
  let running: ExportThreadConfig | null = null;
  let current: OtlpExportStatus | null = null;
  let exited: Promise<void> = Promise.resolve();
  let wakeTimer: NodeJS.Timeout | null = null;
  let id: string | null = null;
  const where = {
    dbPath: options.dbPath,
    installId: () => (id ??= installId(options.dataDir)),
    // Read when the export is turned on, on this thread, so rows committed while the thread boots
    // are not taken for history. One primary-key seek on a connection opened for it.
    newestId: () => {
      const db = openConnection(options.dbPath, { readonly: true });
      try {
        return newestId(db);
      } finally {
        db.close();
      }
    },
  };
  /** Configurations equal but for when they were made. */
  const same = (a: ExportThreadConfig | null, b: ExportThreadConfig | null) =>
    JSON.stringify(a && { ...a, startAfterId: 0 }) === JSON.stringify(b && { ...b, startAfterId: 0 });

  const post = (m: ToExportThread) => worker?.postMessage(m);
  const unsubscribe = options.events.on('requestsAppended', () => {
    if (!worker || wakeTimer) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      post({ type: 'wake' });
    }, WAKE_EVERY_MS);
  });

  function start(config: ExportThreadConfig): void {
    const w = spawnWorker('otlp-worker', new URL('./otlp-worker.ts', import.meta.url), config);
    worker = w;
    running = config;
    const destination = config.destination.url;
    current = { state: 'exporting', destination, exported: 0, pending: 0, lastError: null, lastExportAt: null };
    w.on('message', (m: FromExportThread) => {
      if (worker !== w) return;
      if (m.type === 'status') current = { ...m.status, destination };
      else if (m.type === 'fatal') current = { ...current!, state: 'failing', lastError: m.message };
      else return;
      options.onStatus();
    });
    exited = new Promise((resolve) => {
      w.once('error', (e) => {
        if (worker === w)
          current = { ...current!, state: 'failing', lastError: `the export thread died: ${e.message}` };
        options.onStatus();
      });
      w.once('exit', () => resolve());
    });
    options.onStatus();
  }

  async function halt(): Promise<void> {
    const w = worker;
    if (!w) return;
    worker = null;
    running = null;
    current = null;
    w.postMessage({ type: 'stop' } satisfies ToExportThread);
    const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  // Settings changes run one after another: a restart must finish before the next begins.
  let queue: Promise<void> = Promise.resolve();
  const serially = (f: () => Promise<void>) => (queue = queue.then(f, f));

  return {
    status: () => current,
    apply(settings) {
      return serially(async () => {
        const next = threadConfig(settings, where);
        if (same(next, running)) return;
        await halt();
        if (next) start(next);
        else options.onStatus();
      });
    },
    stop() {
      return serially(async () => {
        unsubscribe();
        if (wakeTimer) clearTimeout(wakeTimer);
        await halt();
      });
    },
  };
}
