// The contract's channel names without the contract's schemas. The schemas are the main side's
// business (it parses every input), and importing them brought zod into the page: a fifth of its
// script, evaluated before the first row could be asked for. Each entry is typed as the contract's
// own literal, so a renamed, added or removed channel fails the type check instead of drifting.
import type { CallName, Calls, EventName, Events } from '../../../electron/core/api/contract';
import type { TOKEN_PARAM as TokenParam, WS_PATH as WsPath } from '../../../electron/core/api/ws-protocol';

export const CALL_CHANNELS = {
  listRequests: 'requests:list',
  getRequest: 'requests:get',
  getStats: 'stats:get',
  getTokenRatios: 'ratios:list',
  rebuildTokenRatios: 'ratios:rebuild',
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
} as const satisfies { [N in CallName]: Calls[N]['channel'] };

export const EVENT_CHANNELS = {
  requestStarted: 'requests:started',
  requestProgress: 'requests:progress',
  requestsAppended: 'requests:appended',
  statusChanged: 'status:changed',
  exportProgress: 'export:progress',
  menuCommand: 'app:menu',
} as const satisfies { [E in EventName]: Events[E]['channel'] };

export const callNames = Object.keys(CALL_CHANNELS) as CallName[];
export const eventNames = Object.keys(EVENT_CHANNELS) as EventName[];

const byEventChannel = new Map<string, EventName>(eventNames.map((n) => [EVENT_CHANNELS[n], n]));

export function eventNameOf(channel: string): EventName | undefined {
  return byEventChannel.get(channel);
}

export const TOKEN_PARAM: typeof TokenParam = 'token';
export const WS_PATH: typeof WsPath = '/api/ws';
