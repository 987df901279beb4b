// Builds the API's view of the core (ApiCore) from the running parts: the log store, the proxy
// server and the settings file. Settings updates are merged, validated with the settings
// schema, and applied by rebinding the proxy (the old listener keeps serving if the new port can't
// be bound). The file is written first and the proxy reconfigured after: a failed save
// changes nothing, and a failed bind puts the file back, so a failed update changes nothing anywhere.
import { mountOf, settingsSchema, type Settings } from '../contract/settings-schema';
import { errorMessage } from '../storage/errors';
import type { ProxyEvents, ReconfigureResult } from '../proxy';
import type { LogStore } from '../storage/log-store';
import type { ProxyStatus } from '../contract/types';
import type { ApiCore, CoreEvent, UpdateSettingsOutcome } from './core-port';
import { createExportJobs } from '../export/jobs';
import { createViewers } from '../storage/viewers';
import { createLiveReplies } from './live-replies';

export interface ProxyLike {
  address(): { host: string; port: number } | null;
  reconfigure(settings: Settings): Promise<ReconfigureResult>;
  on<E extends keyof ProxyEvents>(event: E, listener: ProxyEvents[E]): () => void;
}

export interface CoreParts {
  store: LogStore;
  proxy: ProxyLike;
  settings: Settings;
  saveSettings(settings: Settings): Promise<void>;
}

export interface AdaptedCore extends ApiCore {
  /** Records why the proxy isn't listening (e.g. the saved port was taken at launch). */
  setProxyError(message: string | null): void;
  /** Cancels running exports (waiting for their temporary files to go) and closes every viewer. */
  dispose(): Promise<void>;
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function adaptCore(parts: CoreParts): AdaptedCore {
  const { store, proxy } = parts;
  let settings = parts.settings;
  let proxyError: string | null = null;
  const listeners = new Set<(e: CoreEvent) => void>();
  const emit = (e: CoreEvent) => listeners.forEach((l) => l(e));
  const viewers = createViewers({ livePath: store.path });
  const exports = createExportJobs({ emit: (payload) => emit({ type: 'exportProgress', payload }) });
  // Updates run one at a time: two overlapping rebinds would race on which listener wins.
  let queue: Promise<unknown> = Promise.resolve();

  const replies = createLiveReplies();

  const unsubscribe = [
    proxy.on('requestStarted', (payload) => {
      replies.started(payload);
      emit({ type: 'requestStarted', payload });
    }),
    proxy.on('requestProgress', (payload) => emit({ type: 'requestProgress', payload: replies.progress(payload) })),
    proxy.on('requestFinished', (payload) => {
      replies.finished(payload.id);
      emit({ type: 'requestFinished', payload });
    }),
    proxy.on('listening', () => {
      proxyError = null;
      emit({ type: 'proxyChanged' });
    }),
  ];

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
      await parts.saveSettings(parsed.data);
    } catch (error) {
      return { kind: 'save_failed', message: `Settings not saved (${errorMessage(error)}); nothing changed.` };
    }
    const result = await proxy.reconfigure(parsed.data).catch((error: unknown) => ({ ok: false as const, message: errorMessage(error) }));
    if (!result.ok) {
      // The new port can't be bound and the old listener keeps serving the old settings: put
      // them back on disk too, so the file matches what runs.
      await parts.saveSettings(previous).catch((error: unknown) => console.error('settings: could not restore the file after a failed bind:', error));
      return { kind: 'bind_failed', message: result.message };
    }
    settings = parsed.data;
    emit({ type: 'proxyChanged' });
    return { kind: 'applied', settings, restarted: result.rebound };
  }

  return {
    store,
    viewers,
    exports,
    proxyStatus(): ProxyStatus {
      const address = proxy.address();
      if (address) return { state: 'listening', url: urlOf(address.host, address.port), host: address.host, port: address.port, error: null };
      return { state: proxyError ? 'bind_failed' : 'starting', url: null, host: null, port: null, error: proxyError };
    },
    upstreams: () => settings.upstreams.map((u) => ({ name: u.name, baseUrl: u.baseUrl, mount: mountOf(u) })),
    getSettings: () => settings,
    updateSettings(patch) {
      const run = queue.then(() => apply(patch));
      queue = run.catch(() => undefined);
      return run;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    setProxyError(message) {
      proxyError = message;
      emit({ type: 'proxyChanged' });
    },
    async dispose() {
      for (const u of unsubscribe) u();
      await viewers.closeAll();
      await exports.cancelAll();
      listeners.clear();
    },
  };
}
