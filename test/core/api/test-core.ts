// An ApiCore over a real log store in a temp folder, with the proxy side played by the test:
// in-flight events and proxy state are emitted by hand, settings live in memory.
// (When app-core.ts lands, the suite also runs against startCore with a real proxy.)
import { join } from 'node:path';
import { z } from 'zod';
import type { ProxyStatus, Settings } from '../../../electron/core/api/contract-types';
import type { ApiCore, CoreEvent } from '../../../electron/core/api/core-port';
import { openLogStore } from '../../../electron/core/storage';
import { tempDir } from '../../helpers/records';

export interface TestCore extends ApiCore {
  emit(event: CoreEvent): void;
  /** The next updateSettings that changes the port fails to bind. */
  failNextBind(): void;
  dispose(): Promise<void>;
}

const portSchema = z.strictObject({ port: z.number().int().min(0).max(65535).optional(), upstreams: z.array(z.unknown()).optional() });

export async function openTestCore(): Promise<TestCore> {
  const { dir, cleanup } = tempDir('inspector-api-');
  const store = await openLogStore(join(dir, 'log.sqlite'));
  const listeners = new Set<(e: CoreEvent) => void>();
  let settings: Settings = { host: '127.0.0.1', port: 8080, upstreams: [] };
  let bindFails = false;
  const proxy: ProxyStatus = { state: 'listening', url: 'http://127.0.0.1:8080', host: '127.0.0.1', port: 8080, error: null };
  return {
    store,
    proxyStatus: () => ({ ...proxy }),
    upstreams: () => [{ name: 'openai', baseUrl: 'https://api.openai.com' }],
    getSettings: () => settings,
    async updateSettings(patch) {
      const parsed = portSchema.safeParse(patch);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
        return { kind: 'invalid', message: 'Invalid settings.', issues };
      }
      if (parsed.data.port !== undefined && parsed.data.port !== settings.port && bindFails) {
        bindFails = false;
        return { kind: 'bind_failed', message: `EADDRINUSE 127.0.0.1:${parsed.data.port}` };
      }
      const restarted = parsed.data.port !== undefined && parsed.data.port !== settings.port;
      settings = { ...settings, ...parsed.data };
      return { kind: 'applied', settings, restarted };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit: (event) => listeners.forEach((l) => l(event)),
    failNextBind: () => void (bindFails = true),
    async dispose() {
      await store.close();
      cleanup();
    },
  };
}
