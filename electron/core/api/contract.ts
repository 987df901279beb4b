// The single source of truth for what the renderer can ask and hear. Every channel name,
// input schema and result type is declared here once; the handler map, the renderer client,
// the preload bridge and both transports derive their types from it. No Node or DOM imports:
// both sides import this module.
import type { z } from 'zod';
import {
  cancelExportInput,
  clearLogsInput,
  closeDatabaseInput,
  exportDatabaseInput,
  getRequestInput,
  getStatsInput,
  getTokenRatiosInput,
  listRequestsInput,
  noInput,
  openDatabaseInput,
} from './contract-schemas';
import type {
  AppStatus,
  CancelExportResult,
  ClearLogsResult,
  DatabaseSource,
  ExportProgressEvent,
  ExportResult,
  MenuCommand,
  RequestDetailView,
  RequestPage,
  RequestProgressEvent,
  RequestsAppendedEvent,
  RequestStartedEvent,
  Settings,
  Stats,
  TokenRatio,
  UpdateSettingsResult,
} from './contract-types';
import type { ListCursor } from '../storage/types';
import type { Envelope } from './errors';
import { settingsPatchSchema } from './settings-port';

export interface CallSpec<C extends string, S extends z.ZodType, R> {
  readonly channel: C;
  readonly input: S;
  /** Type-level only: never set at runtime. */
  readonly result?: R;
}

/** `call('x:y', schema).returns<R>()`: TS can't infer R from a value, so it is named once here. */
function call<const C extends string, S extends z.ZodType>(channel: C, input: S) {
  return { returns: <R>(): CallSpec<C, S, R> => ({ channel, input }) };
}

export interface EventSpec<C extends string, P> {
  readonly channel: C;
  readonly payload?: P;
}

function event<const C extends string>(channel: C) {
  return { carries: <P>(): EventSpec<C, P> => ({ channel }) };
}

export const calls = {
  listRequests: call('requests:list', listRequestsInput).returns<RequestPage<ListCursor>>(),
  getRequest: call('requests:get', getRequestInput).returns<RequestDetailView>(),
  getStats: call('stats:get', getStatsInput).returns<Stats>(),
  getTokenRatios: call('ratios:list', getTokenRatiosInput).returns<TokenRatio[]>(),
  rebuildTokenRatios: call('ratios:rebuild', noInput).returns<TokenRatio[]>(),
  getStatus: call('status:get', noInput).returns<AppStatus>(),
  getSettings: call('settings:get', noInput).returns<Settings>(),
  updateSettings: call('settings:update', settingsPatchSchema).returns<UpdateSettingsResult>(),
  exportDatabase: call('db:export', exportDatabaseInput).returns<ExportResult>(),
  cancelExport: call('export:cancel', cancelExportInput).returns<CancelExportResult>(),
  /** Read-only viewers beside the live log: open (refusing what isn't a log of this schema), list, close. */
  openDatabase: call('db:open', openDatabaseInput).returns<DatabaseSource>(),
  listDatabases: call('db:list', noInput).returns<DatabaseSource[]>(),
  closeDatabase: call('db:close', closeDatabaseInput).returns<null>(),
  clearLogs: call('logs:clear', clearLogsInput).returns<ClearLogsResult>(),
  /** The page has subscribed: events queued for it since it connected are delivered now. */
  clientReady: call('client:ready', noInput).returns<null>(),
} as const;

export const events = {
  requestStarted: event('requests:started').carries<RequestStartedEvent>(),
  requestProgress: event('requests:progress').carries<RequestProgressEvent>(),
  /** Committed rows, batched: at most ten events a second. */
  requestsAppended: event('requests:appended').carries<RequestsAppendedEvent>(),
  statusChanged: event('status:changed').carries<AppStatus>(),
  exportProgress: event('export:progress').carries<ExportProgressEvent>(),
  /** An app menu item the page should act on (Electron only). */
  menuCommand: event('app:menu').carries<MenuCommand>(),
} as const;

// ---- Derived types: nothing below names a channel or a payload by hand. ----

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type Events = typeof events;
export type EventName = keyof Events;

export type CallChannel = Calls[CallName]['channel'];
export type EventChannel = Events[EventName]['channel'];

/** What the caller passes (defaults applied by the schema are optional here). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives: parsed, defaults filled in. */
export type ParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallResult<N extends CallName> = Calls[N] extends CallSpec<string, z.ZodType, infer R> ? R : never;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<string, infer P> ? P : never;

/** Calls without input take no argument at all. */
type Params<N extends CallName> = undefined extends CallInput<N>
  ? [input?: CallInput<N>]
  : [input: CallInput<N>];

/** The renderer's typed client: one method per call, rejecting with ApiError. */
export type ClientCalls = { [N in CallName]: (...args: Params<N>) => Promise<CallResult<N>> };

/** Server side: handlers receive parsed input and know nothing of transports. */
export type Handlers = { [N in CallName]: (input: ParsedInput<N>) => Promise<CallResult<N>> };

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;
type OnName<E extends string> = `on${Capitalize<E>}`;

/**
 * What the Electron preload exposes on `window.inspector`: one method per call (resolving to an
 * Envelope, because contextBridge strips an Error's code), one `onX(listener) => unsubscribe`
 * per event. No generic invoke.
 */
export type InspectorBridge = {
  [N in CallName]: (...args: Params<N>) => Promise<Envelope<CallResult<N>>>;
} & {
  [E in EventName as OnName<E>]: (listener: Listener<E>) => () => void;
};

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function onName<E extends EventName>(name: E): OnName<E> {
  return `on${name[0]!.toUpperCase()}${name.slice(1)}` as OnName<E>;
}

const byCallChannel = new Map<string, CallName>(callNames.map((n) => [calls[n].channel, n]));
const byEventChannel = new Map<string, EventName>(eventNames.map((n) => [events[n].channel, n]));

export function callNameOf(channel: string): CallName | undefined {
  return byCallChannel.get(channel);
}

export function eventNameOf(channel: string): EventName | undefined {
  return byEventChannel.get(channel);
}
