import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callNameOf,
  callNames,
  calls,
  eventNames,
  onName,
  type CallName,
  type InspectorBridge,
} from '../../../electron/core/contract/contract';
import { createDispatcher } from '../../../electron/core/api/dispatcher';
import { createEventHub } from '../../../electron/core/api/event-hub';
import { createHandlers } from '../../../electron/core/api/handlers';
import { wireIpc, type IpcWiring } from '../../../electron/core/api/ipc-wiring';
import { createBridge } from '../../../electron/core/api/preload-bridge';
import { createPageCheck } from '../../../electron/core/api/trusted-url';
import { createClient, type Client } from '../../../renderer/src/api/client';
import { createIpcTransport } from '../../../renderer/src/api/ipc-transport';
import { makeRecord } from '../../helpers/records';
import { StandInIpcMain, type StandInWindow } from '../../electron/ipc-stand-in';
import { contractSuite, nextEvent } from './contract-suite';
import { openTestCore, type TestCore } from './test-core';

const PAGE = 'file:///opt/inspector/dist/renderer/index.html';

/** Runs the preload in a window and returns what the page sees as window.inspector. */
function loadPage(win: StandInWindow): InspectorBridge {
  win.contextBridge.exposeInMainWorld('inspector', createBridge(win.ipcRenderer));
  return win.world.inspector as InspectorBridge;
}

function wire(core: TestCore, host: Parameters<typeof createHandlers>[1] = {}) {
  const ipcMain = new StandInIpcMain();
  const hub = createEventHub(core.events);
  const wiring = wireIpc({
    ipcMain,
    hub,
    dispatch: createDispatcher(createHandlers(core, host)),
    isTrustedUrl: createPageCheck(PAGE),
  });
  return { ipcMain, hub, wiring };
}

contractSuite('Electron IPC (in-memory stand-in)', async (core, host) => {
  const { ipcMain, hub, wiring } = wire(core, host);
  const win = ipcMain.openWindow(PAGE);
  wiring.attach(win.webContents);
  const transport = createIpcTransport(loadPage(win));
  const client = createClient(transport);
  return {
    client,
    broadcast: wiring.broadcast,
    // The page has no generic invoke: an unknown channel has no method to reach it by.
    rawCall: (channel, input) => transport.call((callNameOf(channel) ?? channel) as CallName, input),
    async close() {
      wiring.dispose();
      hub.close();
    },
  };
});

describe('IPC wiring: what the page gets, and who may call', () => {
  let core: TestCore;
  let ipcMain: StandInIpcMain;
  let wiring: IpcWiring;
  let closeHub: () => void;

  beforeEach(async () => {
    core = await openTestCore();
    const w = wire(core);
    ipcMain = w.ipcMain;
    wiring = w.wiring;
    closeHub = () => w.hub.close();
  });
  afterEach(async () => {
    wiring.dispose();
    closeHub();
    await core.dispose();
  });

  it('registers one handler per call and exposes exactly one method per call and event', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(callNames.map((n) => calls[n].channel).sort());
    const win = ipcMain.openWindow(PAGE);
    const bridge = loadPage(win);
    expect(Object.keys(bridge).sort()).toEqual([...callNames, ...eventNames.map(onName)].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('invoke');
  });

  it('refuses calls from a frame showing another page, and from windows it does not serve', async () => {
    const win = ipcMain.openWindow(PAGE);
    wiring.attach(win.webContents);
    const bridge = loadPage(win);
    expect(await bridge.getStatus()).toMatchObject({ ok: true });
    win.frameUrl = 'https://evil.example/';
    expect(await bridge.getStatus()).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    const stranger = loadPage(ipcMain.openWindow(PAGE));
    expect(await stranger.getStatus()).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('hands listeners the payload only, unsubscribes, and re-queues after a reload', async () => {
    const win = ipcMain.openWindow(PAGE);
    wiring.attach(win.webContents);
    const client: Client = createClient(createIpcTransport(loadPage(win)));
    await client.clientReady();
    const args: unknown[][] = [];
    const off = loadPage(win).onMenuCommand((...xs: unknown[]) => void args.push(xs));
    const first = nextEvent(client, 'menuCommand');
    wiring.broadcast('menuCommand', 'export');
    expect(await first).toBe('export');
    expect(args).toEqual([['export']]);
    off();

    // After a reload the new page must say it is ready before events flow again.
    win.webContents.navigate();
    const got: string[] = [];
    client.on('requestsAppended', (p) => got.push(...p.rows.map((r) => r.correlationId)));
    core.store.enqueue(makeRecord({ correlationId: 'after-reload' }));
    await core.store.flush();
    const delivered = nextEvent(client, 'requestsAppended');
    await client.getStatus();
    expect(got).toEqual([]);
    await client.clientReady();
    await delivered;
    expect(got).toEqual(['after-reload']);
    wiring.broadcast('menuCommand', 'settings');
    await nextEvent(client, 'menuCommand');
    expect(args).toHaveLength(1);
  });

  it('turns a rejected invoke (no handler any more) into an ApiError', async () => {
    const win = ipcMain.openWindow(PAGE);
    wiring.attach(win.webContents);
    const client = createClient(createIpcTransport(loadPage(win)));
    await client.getStatus();
    wiring.dispose();
    await expect(client.getStatus()).rejects.toMatchObject({
      name: 'ApiError',
      code: 'internal',
      message: expect.stringMatching(/No handler registered for 'status:get'/),
    });
  });

  it('stops sending to a destroyed window', async () => {
    const win = ipcMain.openWindow(PAGE);
    wiring.attach(win.webContents);
    const client = createClient(createIpcTransport(loadPage(win)));
    await client.clientReady();
    win.webContents.destroy();
    expect(() => wiring.broadcast('menuCommand', 'settings')).not.toThrow();
  });
});
