// The object the preload exposes as window.inspector, built over an ipcRenderer-shaped value
// so it can be tested without Electron. One named method per call and one onX per event,
// checked against the contract with `satisfies`: adding a call to the contract without adding
// it here fails the type check. The page never sees ipcRenderer, a channel name or an
// IpcRendererEvent (whose `sender` would hand it ipcRenderer back).
// Imports from the contract are type-only: the sandboxed preload must stay small, and the
// contract's runtime half carries zod. Each channel literal is checked against the contract
// with `satisfies`, so a renamed channel fails the type check here.
import type { CallResult, Calls, EventPayload, Events, InspectorBridge } from '../contract/contract';
import type { Envelope } from '../contract/errors';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): InspectorBridge {
  // The result is an Envelope produced by our own main process (ipc-wiring.ts).
  const invoke =
    <T>(channel: string) =>
    (input?: unknown) =>
      (input === undefined ? ipc.invoke(channel) : ipc.invoke(channel, input)) as Promise<T>;
  const subscribe =
    <P>(channel: string) =>
    (listener: (payload: P) => void) => {
      const wrapped = (_event: unknown, payload: unknown) => listener(payload as P);
      ipc.on(channel, wrapped);
      return () => void ipc.removeListener(channel, wrapped);
    };

  return {
    listRequests: invoke<Envelope<CallResult<'listRequests'>>>(
      'requests:list' satisfies Calls['listRequests']['channel'],
    ),
    getRequest: invoke<Envelope<CallResult<'getRequest'>>>('requests:get' satisfies Calls['getRequest']['channel']),
    getStats: invoke<Envelope<CallResult<'getStats'>>>('stats:get' satisfies Calls['getStats']['channel']),
    getTokenRatios: invoke<Envelope<CallResult<'getTokenRatios'>>>(
      'ratios:list' satisfies Calls['getTokenRatios']['channel'],
    ),
    rebuildTokenRatios: invoke<Envelope<CallResult<'rebuildTokenRatios'>>>(
      'ratios:rebuild' satisfies Calls['rebuildTokenRatios']['channel'],
    ),
    getTokenDistributions: invoke<Envelope<CallResult<'getTokenDistributions'>>>(
      'ratios:distributions' satisfies Calls['getTokenDistributions']['channel'],
    ),
    estimate: invoke<Envelope<CallResult<'estimate'>>>('estimate:run' satisfies Calls['estimate']['channel']),
    getStatus: invoke<Envelope<CallResult<'getStatus'>>>('status:get' satisfies Calls['getStatus']['channel']),
    getSettings: invoke<Envelope<CallResult<'getSettings'>>>('settings:get' satisfies Calls['getSettings']['channel']),
    updateSettings: invoke<Envelope<CallResult<'updateSettings'>>>(
      'settings:update' satisfies Calls['updateSettings']['channel'],
    ),
    exportDatabase: invoke<Envelope<CallResult<'exportDatabase'>>>(
      'db:export' satisfies Calls['exportDatabase']['channel'],
    ),
    cancelExport: invoke<Envelope<CallResult<'cancelExport'>>>(
      'export:cancel' satisfies Calls['cancelExport']['channel'],
    ),
    openDatabase: invoke<Envelope<CallResult<'openDatabase'>>>('db:open' satisfies Calls['openDatabase']['channel']),
    listDatabases: invoke<Envelope<CallResult<'listDatabases'>>>('db:list' satisfies Calls['listDatabases']['channel']),
    closeDatabase: invoke<Envelope<CallResult<'closeDatabase'>>>(
      'db:close' satisfies Calls['closeDatabase']['channel'],
    ),
    clearLogs: invoke<Envelope<CallResult<'clearLogs'>>>('logs:clear' satisfies Calls['clearLogs']['channel']),
    clientReady: invoke<Envelope<CallResult<'clientReady'>>>('client:ready' satisfies Calls['clientReady']['channel']),
    diffRequests: invoke<Envelope<CallResult<'diffRequests'>>>(
      'requests:diff' satisfies Calls['diffRequests']['channel'],
    ),
    getSpend: invoke<Envelope<CallResult<'getSpend'>>>('spend:get' satisfies Calls['getSpend']['channel']),
    resendPreview: invoke<Envelope<CallResult<'resendPreview'>>>(
      'requests:resend-preview' satisfies Calls['resendPreview']['channel'],
    ),
    resendRequest: invoke<Envelope<CallResult<'resendRequest'>>>(
      'requests:resend' satisfies Calls['resendRequest']['channel'],
    ),
    getThread: invoke<Envelope<CallResult<'getThread'>>>('threads:get' satisfies Calls['getThread']['channel']),
    listThreads: invoke<Envelope<CallResult<'listThreads'>>>('threads:list' satisfies Calls['listThreads']['channel']),
    editThread: invoke<Envelope<CallResult<'editThread'>>>('threads:edit' satisfies Calls['editThread']['channel']),
    getRequestCache: invoke<Envelope<CallResult<'getRequestCache'>>>(
      'requests:cache' satisfies Calls['getRequestCache']['channel'],
    ),
    getThreadCache: invoke<Envelope<CallResult<'getThreadCache'>>>(
      'threads:cache' satisfies Calls['getThreadCache']['channel'],
    ),
    onRequestStarted: subscribe<EventPayload<'requestStarted'>>(
      'requests:started' satisfies Events['requestStarted']['channel'],
    ),
    onRequestProgress: subscribe<EventPayload<'requestProgress'>>(
      'requests:progress' satisfies Events['requestProgress']['channel'],
    ),
    onRequestFinished: subscribe<EventPayload<'requestFinished'>>(
      'requests:finished' satisfies Events['requestFinished']['channel'],
    ),
    onRequestsAppended: subscribe<EventPayload<'requestsAppended'>>(
      'requests:appended' satisfies Events['requestsAppended']['channel'],
    ),
    onStatusChanged: subscribe<EventPayload<'statusChanged'>>(
      'status:changed' satisfies Events['statusChanged']['channel'],
    ),
    onExportProgress: subscribe<EventPayload<'exportProgress'>>(
      'export:progress' satisfies Events['exportProgress']['channel'],
    ),
    onMenuCommand: subscribe<EventPayload<'menuCommand'>>('app:menu' satisfies Events['menuCommand']['channel']),
    onSpendChanged: subscribe<EventPayload<'spendChanged'>>(
      'spend:changed' satisfies Events['spendChanged']['channel'],
    ),
    onBudgetAlert: subscribe<EventPayload<'budgetAlert'>>('budget:alert' satisfies Events['budgetAlert']['channel']),
  } satisfies InspectorBridge;
}
