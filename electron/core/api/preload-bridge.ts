// The object the preload exposes as window.inspector, built over an ipcRenderer-shaped value
// so it can be tested without Electron. One named method per call and one onX per event,
// checked against the contract with `satisfies`: adding a call to the contract without adding
// it here fails the type check. The page never sees ipcRenderer, a channel name or an
// IpcRendererEvent (whose `sender` would hand it ipcRenderer back).
import { calls, events, type CallResult, type EventPayload, type InspectorBridge } from './contract';
import type { Envelope } from './errors';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): InspectorBridge {
  // The result is an Envelope produced by our own main process (ipc-wiring.ts).
  const invoke = <T>(channel: string) => (input?: unknown) =>
    (input === undefined ? ipc.invoke(channel) : ipc.invoke(channel, input)) as Promise<T>;
  const subscribe = <P>(channel: string) => (listener: (payload: P) => void) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as P);
    ipc.on(channel, wrapped);
    return () => void ipc.removeListener(channel, wrapped);
  };

  return {
    listRequests: invoke<Envelope<CallResult<'listRequests'>>>(calls.listRequests.channel),
    getRequest: invoke<Envelope<CallResult<'getRequest'>>>(calls.getRequest.channel),
    getStats: invoke<Envelope<CallResult<'getStats'>>>(calls.getStats.channel),
    getTokenRatios: invoke<Envelope<CallResult<'getTokenRatios'>>>(calls.getTokenRatios.channel),
    rebuildTokenRatios: invoke<Envelope<CallResult<'rebuildTokenRatios'>>>(calls.rebuildTokenRatios.channel),
    getStatus: invoke<Envelope<CallResult<'getStatus'>>>(calls.getStatus.channel),
    getSettings: invoke<Envelope<CallResult<'getSettings'>>>(calls.getSettings.channel),
    updateSettings: invoke<Envelope<CallResult<'updateSettings'>>>(calls.updateSettings.channel),
    exportDatabase: invoke<Envelope<CallResult<'exportDatabase'>>>(calls.exportDatabase.channel),
    clearLogs: invoke<Envelope<CallResult<'clearLogs'>>>(calls.clearLogs.channel),
    clientReady: invoke<Envelope<CallResult<'clientReady'>>>(calls.clientReady.channel),
    onRequestStarted: subscribe<EventPayload<'requestStarted'>>(events.requestStarted.channel),
    onRequestProgress: subscribe<EventPayload<'requestProgress'>>(events.requestProgress.channel),
    onRequestsAppended: subscribe<EventPayload<'requestsAppended'>>(events.requestsAppended.channel),
    onStatusChanged: subscribe<EventPayload<'statusChanged'>>(events.statusChanged.channel),
    onMenuCommand: subscribe<EventPayload<'menuCommand'>>(events.menuCommand.channel),
  } satisfies InspectorBridge;
}
