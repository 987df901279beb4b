// The single source of truth for what the renderer can ask and hear. Every channel name,
// input schema and result type is declared here once; the handler map, the renderer client,
// the preload bridge and both transports derive their types from it. No Node or DOM imports:
// both sides import this module.
import type { z } from 'zod';
import { CALL_CHANNELS, EVENT_CHANNELS, type CallName, type EventName } from './channels';
import {
  cancelExportInput,
  clearLogsInput,
  diffRequestsInput,
  resendPreviewInput,
  resendRequestInput,
  editThreadInput,
  getThreadInput,
  listThreadsInput,
  getRequestCacheInput,
  getThreadCacheInput,
  closeDatabaseInput,
  exportDatabaseInput,
  getRequestInput,
  getStatsInput,
  getTokenRatiosInput,
  listRequestsInput,
  noInput,
  openDatabaseInput,
} from './schemas';
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
  RequestFinishedEvent,
  RequestProgressEvent,
  RequestsAppendedEvent,
  RequestStartedEvent,
  Settings,
  Stats,
  TokenRatio,
  UpdateSettingsResult,
} from './types';
import type { ListCursor } from './model';
import type { ThreadPage, ThreadView } from './threads';
import type { CacheDiagnosis, ThreadCache } from './cache';
import type { RequestDiff } from './diff';
import type { ResendPreview, ResendResult } from './resend';
import type { Envelope } from './errors';
import { settingsPatchSchema } from './settings-patch';
import type { BudgetAlert, SpendSummary } from './spend';
import { estimateInput, type EstimateResult, type TokenDistribution } from './estimate';

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
  listRequests: call(CALL_CHANNELS.listRequests, listRequestsInput).returns<RequestPage<ListCursor>>(),
  getRequest: call(CALL_CHANNELS.getRequest, getRequestInput).returns<RequestDetailView>(),
  getStats: call(CALL_CHANNELS.getStats, getStatsInput).returns<Stats>(),
  getTokenRatios: call(CALL_CHANNELS.getTokenRatios, getTokenRatiosInput).returns<TokenRatio[]>(),
  rebuildTokenRatios: call(CALL_CHANNELS.rebuildTokenRatios, noInput).returns<TokenRatio[]>(),
  /** Each (policy, model)'s output-token distribution, input bands and calibration. */
  getTokenDistributions: call(CALL_CHANNELS.getTokenDistributions, getTokenRatiosInput).returns<TokenDistribution[]>(),
  /** Input tokens, output tokens p50/p90/p99 and cost, before sending (inspect/estimate). */
  estimate: call(CALL_CHANNELS.estimate, estimateInput).returns<EstimateResult>(),
  getStatus: call(CALL_CHANNELS.getStatus, noInput).returns<AppStatus>(),
  getSettings: call(CALL_CHANNELS.getSettings, noInput).returns<Settings>(),
  updateSettings: call(CALL_CHANNELS.updateSettings, settingsPatchSchema).returns<UpdateSettingsResult>(),
  exportDatabase: call(CALL_CHANNELS.exportDatabase, exportDatabaseInput).returns<ExportResult>(),
  cancelExport: call(CALL_CHANNELS.cancelExport, cancelExportInput).returns<CancelExportResult>(),
  /** Read-only viewers beside the live log: open (refusing what isn't a log of this schema), list, close. */
  openDatabase: call(CALL_CHANNELS.openDatabase, openDatabaseInput).returns<DatabaseSource>(),
  listDatabases: call(CALL_CHANNELS.listDatabases, noInput).returns<DatabaseSource[]>(),
  closeDatabase: call(CALL_CHANNELS.closeDatabase, closeDatabaseInput).returns<null>(),
  clearLogs: call(CALL_CHANNELS.clearLogs, clearLogsInput).returns<ClearLogsResult>(),
  /** The page has subscribed: events queued for it since it connected are delivered now. */
  clientReady: call(CALL_CHANNELS.clientReady, noInput).returns<null>(),
  /** A structural diff of two logged requests (system, tools, params, messages, replies), built in a thread. */
  diffRequests: call(CALL_CHANNELS.diffRequests, diffRequestsInput).returns<RequestDiff>(),
  /** A thread's summary and turns (see contract/threads.ts). */
  getThread: call(CALL_CHANNELS.getThread, getThreadInput).returns<ThreadView>(),
  listThreads: call(CALL_CHANNELS.listThreads, listThreadsInput).returns<ThreadPage>(),
  /**
   * Split or merge the live log's threads, kept for every rebuild; answers the thread now holding the request
   * or both.
   */
  editThread: call(CALL_CHANNELS.editThread, editThreadInput).returns<ThreadView>(),
  /** A request's prompt cache against the previous turn of its thread; null for a first turn or no thread. */
  getRequestCache: call(CALL_CHANNELS.getRequestCache, getRequestCacheInput).returns<CacheDiagnosis | null>(),
  /** Each turn of a thread against the one before it, and the thread's cache account (contract/cache.ts). */
  getThreadCache: call(CALL_CHANNELS.getThreadCache, getThreadCacheInput).returns<ThreadCache>(),
  /** Spend today and this month, per provider/model/policy, the rate, projections and budgets (live log only). */
  getSpend: call(CALL_CHANNELS.getSpend, noInput).returns<SpendSummary>(),
  /** What a resend of a logged request would leave out, whether it needs a key pasted, or why it can't be sent. */
  resendPreview: call(CALL_CHANNELS.resendPreview, resendPreviewInput).returns<ResendPreview>(),
  /** Sends a logged request (or an edit of its body) again through the proxy; answers once the proxy has it. */
  resendRequest: call(CALL_CHANNELS.resendRequest, resendRequestInput).returns<ResendResult>(),
} as const satisfies { [N in keyof typeof CALL_CHANNELS]: CallSpec<(typeof CALL_CHANNELS)[N], z.ZodType, unknown> };

export const events = {
  requestStarted: event(EVENT_CHANNELS.requestStarted).carries<RequestStartedEvent>(),
  requestProgress: event(EVENT_CHANNELS.requestProgress).carries<RequestProgressEvent>(),
  /**
   * The response is over and its record is queued for the log: the row is final once committed
   * (requestsAppended), normally within milliseconds, later while the log can't be written.
   */
  requestFinished: event(EVENT_CHANNELS.requestFinished).carries<RequestFinishedEvent>(),
  /** Committed rows, batched: at most ten events a second. */
  requestsAppended: event(EVENT_CHANNELS.requestsAppended).carries<RequestsAppendedEvent>(),
  statusChanged: event(EVENT_CHANNELS.statusChanged).carries<AppStatus>(),
  exportProgress: event(EVENT_CHANNELS.exportProgress).carries<ExportProgressEvent>(),
  /** An app menu item the page should act on (Electron only). */
  menuCommand: event(EVENT_CHANNELS.menuCommand).carries<MenuCommand>(),
  /** The spend summary after committed rows changed it (at most once a second) or an hour began. */
  spendChanged: event(EVENT_CHANNELS.spendChanged).carries<SpendSummary>(),
  /** A budget crossed 50, 80 or 100 %: once per budget, period and threshold. */
  budgetAlert: event(EVENT_CHANNELS.budgetAlert).carries<BudgetAlert>(),
} as const satisfies { [E in keyof typeof EVENT_CHANNELS]: EventSpec<(typeof EVENT_CHANNELS)[E], unknown> };

// ---- Derived types: nothing below names a channel or a payload by hand. ----

export { callNameOf, callNames, eventNameOf, eventNames, type CallName, type EventName } from './channels';

export type Calls = typeof calls;
export type Events = typeof events;

export type CallChannel = Calls[CallName]['channel'];
export type EventChannel = Events[EventName]['channel'];

/** What the caller passes (defaults applied by the schema are optional here). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives: parsed, defaults filled in. */
export type ParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallResult<N extends CallName> = Calls[N] extends CallSpec<string, z.ZodType, infer R> ? R : never;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<string, infer P> ? P : never;

/** Calls without input take no argument at all. */
type Params<N extends CallName> = undefined extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

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

export function onName<E extends EventName>(name: E): OnName<E> {
  return `on${name[0]!.toUpperCase()}${name.slice(1)}` as OnName<E>;
}
