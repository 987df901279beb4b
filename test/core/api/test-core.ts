// An ApiCore over a real log store in a temp folder, with the proxy side played by the test:
// in-flight events and proxy state are emitted by hand, settings live in memory.
// (When app-core.ts lands, the suite also runs against startCore with a real proxy.)
import { join } from 'node:path';
import type { ProxyStatus, Settings } from '../../../electron/core/contract/types';
import type { ApiCore, CoreEvent } from '../../../electron/core/api/core-port';
import { createExportJobs } from '../../../electron/core/export/jobs';
import { createViewers } from '../../../electron/core/storage/viewers';
import { mountOf, settingsSchema } from '../../../electron/core/contract/settings-schema';
import { openLogStore } from '../../../electron/core/storage';
import { tempDir } from '../../helpers/records';

export interface TestCore extends ApiCore {
  /** The core's temp folder (the live log is log.sqlite in it); removed by dispose(). */
  dir: string;
  emit(event: CoreEvent): void;
  /** The next updateSettings that changes the port fails to bind. */
  failNextBind(): void;
  dispose(): Promise<void>;
}

export async function openTestCore(): Promise<TestCore> {
  const { dir, cleanup } = tempDir('inspector-api-');
  const store = await openLogStore(join(dir, 'log.sqlite'));
  const listeners = new Set<(e: CoreEvent) => void>();
  let settings: Settings = settingsSchema.parse({ upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com' }] });
  let bindFails = false;
  const emit = (event: CoreEvent) => listeners.forEach((l) => l(event));
  const viewers = createViewers({ livePath: store.path });
  const exports = createExportJobs({ emit: (payload) => emit({ type: 'exportProgress', payload }) });
  const proxy: ProxyStatus = { state: 'listening', url: 'http://127.0.0.1:8080', host: '127.0.0.1', port: 8080, error: null };
  return {
    store,
    viewers,
    exports,
    dir,
    proxyStatus: () => ({ ...proxy }),
    upstreams: () => settings.upstreams.map((u) => ({ name: u.name, baseUrl: u.baseUrl, mount: mountOf(u) })),
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
      return { kind: 'applied', settings, restarted };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit,
    failNextBind: () => void (bindFails = true),
    async dispose() {
      await viewers.closeAll();
      await exports.cancelAll();
      await store.close();
      cleanup();
    },
  };
}
