// The running core, without Electron: log store + settings + proxy, plus the API's view of
// them. Electron's main process and `npm run serve` both start it; the order matters both
// ways: the store is open before the proxy can log, and the proxy has stopped (every record
// handed over) before the store closes.
import { adaptCore, type AdaptedCore } from './api/core-adapter';
import { ProxyServer } from './proxy';
import { loadSettings, saveSettings, settingsSchema, type Settings, type SettingsInput } from './settings';
import { openLogStore, type LogStore } from './storage';
import { startRetention } from './storage/retention-scheduler';

export interface CoreOptions {
  settingsPath: string;
  dbPath: string;
  /** Applied on top of the file (CLI flags); never written back unless changed again through updateSettings. */
  overrides?: Partial<SettingsInput>;
  /** Throw if the proxy can't bind (serve), instead of starting with the proxy down (desktop: the UI shows why). */
  requireProxy?: boolean;
}

export interface Core {
  store: LogStore;
  proxy: ProxyServer;
  /** The API's view (handlers, IPC, WebSocket server). */
  api: AdaptedCore;
  /** Settings at startup; use getSettings() for the current ones. */
  settings: Settings;
  getSettings(): Settings;
  updateSettings: AdaptedCore['updateSettings'];
  /** Why the proxy isn't listening, or null. */
  proxyError: string | null;
  /** Stops the proxy (in-flight requests finish or are cut, each logged), then flushes and closes the store. */
  stop(): Promise<void>;
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const fileSettings = await loadSettings(options.settingsPath);
  const overrides = options.overrides ?? {};
  const settings = settingsSchema.parse({ ...fileSettings, ...overrides });
  const overridden = Object.keys(overrides) as (keyof Settings)[];
  const store = await openLogStore(options.dbPath);
  const proxy = new ProxyServer(settings, store);

  // A CLI override stays out of the file; a field the user changes afterwards is saved.
  const persist = (next: Settings) => {
    const onDisk: Record<string, unknown> = { ...next };
    for (const key of overridden) {
      if (JSON.stringify(next[key]) === JSON.stringify(settings[key])) onDisk[key] = fileSettings[key];
    }
    return saveSettings(options.settingsPath, settingsSchema.parse(onDisk));
  };
  const api = adaptCore({ store, proxy, settings, saveSettings: persist });

  let proxyError: string | null = null;
  try {
    await proxy.start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'bind failed';
    proxyError = `${code} ${settings.host}:${settings.port}: ${(error as Error).message}`;
    if (options.requireProxy === true) {
      await api.dispose();
      await store.close();
      throw new Error(`proxy could not listen: ${proxyError}`, { cause: error });
    }
    api.setProxyError(proxyError);
  }

  // Pruning by age/size runs in the writer thread between record batches; settings are read each
  // round, so a change in the settings screen applies without a restart.
  const retention = startRetention(store, () => api.getSettings().retention);

  let stopping: Promise<void> | null = null;
  return {
    store,
    proxy,
    api,
    settings,
    getSettings: () => api.getSettings(),
    updateSettings: (patch) => api.updateSettings(patch),
    proxyError,
    stop() {
      stopping ??= (async () => {
        // Exports first: each removes its temporary file before the process may exit.
        await api.dispose();
        await retention.stop();
        await proxy.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
