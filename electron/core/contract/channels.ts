// The contract's channel names, and the WebSocket's path and token parameter, in a module of
// plain values: the page imports this one, never the contract's zod schemas (zod was a fifth of
// the page's script, evaluated before the first row could be asked for). contract.ts builds its
// calls and events from these same names, so there is one list.

export const CALL_CHANNELS = {
  listRequests: 'requests:list',
  getRequest: 'requests:get',
  getStats: 'stats:get',
  getTokenRatios: 'ratios:list',
  rebuildTokenRatios: 'ratios:rebuild',
  getTokenDistributions: 'ratios:distributions',
  estimate: 'estimate:run',
  getStatus: 'status:get',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  exportDatabase: 'db:export',
  cancelExport: 'export:cancel',
  openDatabase: 'db:open',
  listDatabases: 'db:list',
  closeDatabase: 'db:close',
  clearLogs: 'logs:clear',
  clientReady: 'client:ready',
  diffRequests: 'requests:diff',
  getThread: 'threads:get',
  listThreads: 'threads:list',
  editThread: 'threads:edit',
  getRequestCache: 'requests:cache',
  getThreadCache: 'threads:cache',
  getSpend: 'spend:get',
  resendPreview: 'requests:resend-preview',
  resendRequest: 'requests:resend',
} as const;

export const EVENT_CHANNELS = {
  requestStarted: 'requests:started',
  requestProgress: 'requests:progress',
  requestFinished: 'requests:finished',
  requestsAppended: 'requests:appended',
  statusChanged: 'status:changed',
  exportProgress: 'export:progress',
  menuCommand: 'app:menu',
  spendChanged: 'spend:changed',
  budgetAlert: 'budget:alert',
} as const;

export type CallName = keyof typeof CALL_CHANNELS;
export type EventName = keyof typeof EVENT_CHANNELS;

export const callNames = Object.keys(CALL_CHANNELS) as CallName[];
export const eventNames = Object.keys(EVENT_CHANNELS) as EventName[];

const byCallChannel = new Map<string, CallName>(callNames.map((n) => [CALL_CHANNELS[n], n]));
const byEventChannel = new Map<string, EventName>(eventNames.map((n) => [EVENT_CHANNELS[n], n]));

export function callNameOf(channel: string): CallName | undefined {
  return byCallChannel.get(channel);
}

export function eventNameOf(channel: string): EventName | undefined {
  return byEventChannel.get(channel);
}

/** Name of the query parameter carrying the per-run token, on the page URL and the WS URL. */
export const TOKEN_PARAM = 'token';
/** Path of the WebSocket endpoint on the UI server. */
export const WS_PATH = '/api/ws';
