// The running core, without Electron: log store + settings + proxy, the services beside them
// (exports, read-only viewers) and the one event source they all emit into. Electron's main
// process and `npm run serve` both start it and hand it to the API server as is. The order
// matters both ways: the store is open before the proxy can log, and the proxy has stopped
// (every record handed over) before the store closes.
// Settings updates are merged, validated with the settings schema, and applied by rebinding the
// proxy (the old listener keeps serving if the new port can't be bound). The file is written
// first and the proxy reconfigured after: a failed save changes nothing, and a failed bind puts
// the file back, so a failed update changes nothing anywhere.
import type { ApiCore, UpdateSettingsOutcome } from './api/core-port';
import { dirname } from 'node:path';
import type { AppStatus, ProxyStatus } from './contract/types';
import { createCoreEvents, type CoreEvents } from './core-events';
import { createExportJobs } from './export/jobs';
import { createOtlpExporter } from './export/otlp/exporter';
import { withLiveReplies } from './inspect/conversation/live-replies';
import { ProxyServer } from './proxy';
import { loadSettings, mountOf, saveSettings, settingsSchema, type Settings, type SettingsInput } from './settings';
import { openLogStore } from './storage';
import { errorMessage } from './storage/errors';
import { startRetention } from './storage/retention-scheduler';
import { createViewers } from './storage/viewers';
import { createSpendService } from './spend/spend-service';
import { runEstimate } from './inspect/estimate';

export interface CoreOptions {
  settingsPath: string;
  dbPath: string;
  /** Applied on top of the file (CLI flags); never written back unless changed again through updateSettings. */
  overrides?: Partial<SettingsInput>;
  /** Where the OTLP export keeps this installation's id; default: the settings file's folder. */
  dataDir?: string;
  /** Throw if the proxy can't bind (serve), instead of starting with the proxy down (desktop: the UI shows why). */
  requireProxy?: boolean;
}

export interface Core extends ApiCore {
  readonly events: CoreEvents;
  readonly proxy: ProxyServer;
  /** Settings at startup; use getSettings() for the current ones. */
  readonly settings: Settings;
  /** Where the proxy listens, or why it doesn't. */
  proxyStatus(): ProxyStatus;
  /**
   * Stops exports, viewers, the proxy (in-flight requests finish or are cut, each logged), then flushes and
   * closes the store.
   */
  stop(): Promise<void>;
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const fileSettings = await loadSettings(options.settingsPath);
  const overrides = options.overrides ?? {};
  const startup = settingsSchema.parse({ ...fileSettings, ...overrides });
  const overridden = Object.keys(overrides) as (keyof Settings)[];
  const events = createCoreEvents();
  const logStore = await openLogStore(options.dbPath, { events });
  let settings = startup;
  const spend = createSpendService({ store: logStore, events, budgets: () => settings.budgets });
  // Deleting rows lowers what the budgets have spent: the ledger is read again from what remains.
  const store = {
    ...logStore,
    clearLogs: async (before: string | null) => {
      const deleted = await logStore.clearLogs(before);
      await spend.reload();
      return deleted;
    },
  };
  // Loaded before the proxy listens, so the hard cap holds from the first request.
  await spend.start();
  const proxy = new ProxyServer(startup, store, withLiveReplies(events), {
    budget: spend.gate,
    inspector: { estimate: (input) => runEstimate(input, store, settings) },
  });
  const viewers = createViewers({ livePath: store.path });
  const exports = createExportJobs(events);
  let proxyError: string | null = null;
  const otlp = createOtlpExporter({
    dbPath: store.path,
    dataDir: options.dataDir ?? dirname(options.settingsPath),
    events,
    onStatus: () => statusChanged(),
  });

  const proxyStatus = (): ProxyStatus => {
    const address = proxy.address();
    if (address)
      return {
        state: 'listening',
        url: urlOf(address.host, address.port),
        host: address.host,
        port: address.port,
        error: null,
      };
    return { state: proxyError ? 'bind_failed' : 'starting', url: null, host: null, port: null, error: proxyError };
  };
  const status = (): AppStatus => ({
    proxy: proxyStatus(),
    upstreams: settings.upstreams.map((u) => ({ name: u.name, baseUrl: u.baseUrl, mount: mountOf(u) })),
    writer: store.writerStatus(),
    database: { path: store.path, sizeBytes: store.databaseSize() },
    otlp: otlp.status(),
  });
  // Status is pushed, never polled: each part that changes it (the writer's queue and the database
  // size after a commit, the proxy's listener, the settings) says so, and the page gets the whole.
  const statusChanged = () => events.emit('statusChanged', status());
  const unsubscribe = [
    store.on('status', statusChanged),
    proxy.on('listening', () => {
      proxyError = null;
      statusChanged();
    }),
  ];

  // A CLI override stays out of the file; a field the user changes afterwards is saved.
  const persist = (next: Settings) => {
    const onDisk: Record<string, unknown> = { ...next };
    for (const key of overridden) {
      if (JSON.stringify(next[key]) === JSON.stringify(startup[key])) onDisk[key] = fileSettings[key];
    }
    return saveSettings(options.settingsPath, settingsSchema.parse(onDisk));
  };

  async function apply(patch: Record<string, unknown>): Promise<UpdateSettingsOutcome> {
    const parsed = settingsSchema.safeParse({ ...settings, ...patch });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
        message: i.message,
      }));
      return { kind: 'invalid', message: `Invalid settings: ${issues[0]?.message ?? 'see issues'}`, issues };
    }
    const previous = settings;
    // Saved first: a change that can't be saved must not run in memory only (and be gone at the
    // next start). The save is atomic, so a failed one left the old file in place.
    try {
      await persist(parsed.data);
    } catch (error) {
      return { kind: 'save_failed', message: `Settings not saved (${errorMessage(error)}); nothing changed.` };
    }
    const result = await proxy
      .reconfigure(parsed.data)
      .catch((error: unknown) => ({ ok: false as const, message: errorMessage(error) }));
    if (!result.ok) {
      // The new port can't be bound and the old listener keeps serving the old settings: put
      // them back on disk too, so the file matches what runs.
      await persist(previous).catch((error: unknown) =>
        console.error('settings: could not restore the file after a failed bind:', error),
      );
      return { kind: 'bind_failed', message: result.message };
    }
    settings = parsed.data;
    spend.budgetsChanged();
    await otlp.apply(settings);
    statusChanged();
    return { kind: 'applied', settings, restarted: result.rebound };
  }
  // Updates run one at a time: two overlapping rebinds would race on which listener wins.
  let updates: Promise<unknown> = Promise.resolve();

  const disposeServices = async () => {
    for (const u of unsubscribe) u();
    await viewers.closeAll();
    // Before the store closes: the export thread has its own connection to the log.
    await otlp.stop();
    // Exports first among the rest: each removes its temporary file before the process may exit.
    await exports.cancelAll();
  };

  try {
    await proxy.start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'bind failed';
    proxyError = `${code} ${startup.host}:${startup.port}: ${(error as Error).message}`;
    if (options.requireProxy === true) {
      spend.stop();
      await disposeServices();
      await store.close();
      throw new Error(`proxy could not listen: ${proxyError}`, { cause: error });
    }
    statusChanged();
  }

  // Pruning by age/size runs in the writer thread between record batches; settings are read each
  // round, so a change in the settings screen applies without a restart.
  const retention = startRetention(store, () => settings.retention);
  await otlp.apply(settings);

  let stopping: Promise<void> | null = null;
  return {
    store,
    proxy,
    viewers,
    exports,
    events,
    spend,
    settings: startup,
    status,
    proxyStatus,
    getSettings: () => settings,
    updateSettings(patch) {
      const run = updates.then(() => apply(patch));
      updates = run.catch(() => undefined);
      return run;
    },
    stop() {
      stopping ??= (async () => {
        await disposeServices();
        await retention.stop();
        await proxy.stop();
        spend.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
