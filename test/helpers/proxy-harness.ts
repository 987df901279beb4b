// A proxy wired to a real log store (temp folder) and a fake upstream, for integration tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoreEvents, type CoreEvents } from '../../electron/core/core-events';
import { ProxyServer } from '../../electron/core/proxy';
import { settingsSchema, type Settings, type SettingsInput } from '../../electron/core/contract/settings-schema';
import type { NameLookup } from '../../electron/core/proxy/loop-guard';
import { openLogStore, type LogStore, type RequestRow } from '../../electron/core/storage';
import { startFakeUpstream, type FakeBehaviour, type FakeUpstream } from './fake-upstream';

export interface Harness {
  /** http://127.0.0.1:PORT of the proxy. */
  url: string;
  port: number;
  proxy: ProxyServer;
  /** The core event source the proxy emits its in-flight events into. */
  events: CoreEvents;
  upstream: FakeUpstream;
  store: LogStore;
  dir: string;
  settings: Settings;
  /**
   * Waits until nothing is in flight, flushes the writer, and returns every row, oldest first.
   * With `atLeast`, first waits for that many rows to be committed: for requests that may not
   * have reached the proxy yet when the test asks (a client that dropped its connection).
   */
  rows(atLeast?: number): Promise<RequestRow[]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { settings?: SettingsInput; upstream?: FakeBehaviour; lookup?: NameLookup } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'proxy-test-'));
  const store = await openLogStore(join(dir, 'log.sqlite'));
  const upstream = await startFakeUpstream(opts.upstream);
  const settings = settingsSchema.parse({
    host: '127.0.0.1',
    port: 0,
    upstreams: [{ name: 'fake', baseUrl: upstream.url, mount: '/' }],
    ...opts.settings,
  });
  const events = createCoreEvents();
  const proxy = new ProxyServer(settings, store, events, { lookup: opts.lookup });
  const address = await proxy.start();
  let committed = 0;
  let onCommit: (() => void) | null = null;
  store.on('committed', (rows) => {
    committed += rows.length;
    onCommit?.();
  });
  return {
    events,
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    proxy,
    upstream,
    store,
    dir,
    settings,
    async rows(atLeast = 0) {
      while (committed < atLeast) await new Promise<void>((resolve) => (onCommit = resolve));
      await proxy.whenIdle();
      await store.flush();
      return store.listRequests({}, null, 1000).rows.reverse();
    },
    async close() {
      await proxy.stop(1000);
      await upstream.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
