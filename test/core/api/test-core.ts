// An ApiCore over a real log store in a temp folder, with the proxy side played by the test:
// in-flight events and proxy state are emitted by hand, settings live in memory. The API over the
// real core, proxy included, is test/core/app-core-api.test.ts.
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ApiCore } from '../../../electron/core/api/core-port';
import type { EventPayload } from '../../../electron/core/contract/contract';
import type { AppStatus, ProxyStatus, Settings } from '../../../electron/core/contract/types';
import { mountOf, settingsSchema } from '../../../electron/core/contract/settings-schema';
import { createCoreEvents } from '../../../electron/core/core-events';
import { createExportJobs } from '../../../electron/core/export/jobs';
import { openLogStore } from '../../../electron/core/storage';
import { createViewers } from '../../../electron/core/storage/viewers';
import { createSpendService } from '../../../electron/core/spend/spend-service';
import { tempDir } from '../../helpers/records';

/** What the test plays: the proxy's in-flight events, an export's progress, or "the proxy changed" (status). */
export type PlayedEvent =
  | { type: 'requestStarted'; payload: EventPayload<'requestStarted'> }
  | { type: 'requestProgress'; payload: EventPayload<'requestProgress'> }
  | { type: 'requestFinished'; payload: EventPayload<'requestFinished'> }
  | { type: 'exportProgress'; payload: EventPayload<'exportProgress'> }
  | { type: 'proxyChanged' };

/** A request that reached the stand-in proxy listener (Resend sends there). */
export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestCore extends ApiCore {
  /** What reached the proxy's listener: a real loopback server standing in for the proxy. */
  proxied: ProxiedRequest[];
  /** The core's temp folder (the live log is log.sqlite in it); removed by dispose(). */
  dir: string;
  emit(event: PlayedEvent): void;
  /** The next updateSettings that changes the port fails to bind. */
  failNextBind(): void;
  dispose(): Promise<void>;
  /** The live log's reader thread: whether one runs now, and a promise of its next stop. */
  reader: { running(): boolean; stopped(): Promise<void> };
}

/** Short, so that a test can watch the reader thread close when idle and the next call start another. */
const READER_IDLE_MS = 300;

export async function openTestCore(): Promise<TestCore> {
  const { dir, cleanup } = tempDir('inspector-api-');
  const events = createCoreEvents();
  let readerRunning = false;
  const readerEvents = new EventEmitter();
  const store = await openLogStore(join(dir, 'log.sqlite'), {
    events,
    reader: {
      idleMs: READER_IDLE_MS,
      onThread: (state) => {
        readerRunning = state === 'started';
        readerEvents.emit(state);
      },
    },
  });
  let settings: Settings = settingsSchema.parse({ upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com' }] });
  let bindFails = false;
  const viewers = createViewers({ livePath: store.path });
  const exports = createExportJobs(events);
  // The proxy's listener, played: it records each request, says it started (as the proxy's
  // requestStarted does) and answers 200.
  const proxied: ProxiedRequest[] = [];
  const listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      proxied.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const id = String(req.headers['x-correlation-id'] ?? '');
      events.emit('requestStarted', {
        id,
        timestamp: new Date().toISOString(),
        method: req.method!,
        path: req.url!,
        provider: 'openai',
        model: '',
        policy: null,
        streaming: false,
      });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const port = (listener.address() as AddressInfo).port;
  const proxy: ProxyStatus = {
    state: 'listening',
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    error: null,
  };
  const status = (): AppStatus => ({
    proxy: { ...proxy },
    upstreams: settings.upstreams.map((u) => ({ name: u.name, baseUrl: u.baseUrl, mount: mountOf(u) })),
    writer: store.writerStatus(),
    database: { path: store.path, sizeBytes: store.databaseSize() },
    otlp: null,
  });
  const offStatus = store.on('status', () => events.emit('statusChanged', status()));
  const spend = createSpendService({ store, events, budgets: () => settings.budgets, pushIntervalMs: 10 });
  await spend.start();
  return {
    store,
    spend,
    viewers,
    exports,
    events,
    dir,
    proxied,
    status,
    getSettings: () => settings,
    async updateSettings(patch) {
      const parsed = settingsSchema.safeParse({ ...settings, ...patch });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
        return { kind: 'invalid', message: 'Invalid settings.', issues };
      }
      const restarted = parsed.data.port !== settings.port;
      if (restarted && bindFails) {
        bindFails = false;
        return { kind: 'bind_failed', message: `EADDRINUSE 127.0.0.1:${parsed.data.port}` };
      }
      settings = parsed.data;
      spend.budgetsChanged();
      return { kind: 'applied', settings, restarted };
    },
    emit(event) {
      if (event.type === 'proxyChanged') events.emit('statusChanged', status());
      else events.emit(event.type, event.payload as never);
    },
    failNextBind: () => void (bindFails = true),
    reader: {
      running: () => readerRunning,
      stopped: () => once(readerEvents, 'stopped').then(() => undefined),
    },
    async dispose() {
      offStatus();
      spend.stop();
      await viewers.closeAll();
      await exports.cancelAll();
      await store.close();
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
      cleanup();
    },
  };
}
