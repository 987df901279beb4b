// Result and event payload types of the API contract. Plain data only (structured-clone and
// JSON safe: no Dates, Maps, undefined-as-meaning), no Node or DOM imports.
import type { RequestDetail, RequestRow, WriterStatus } from './model';
import type { ConversationResult } from './conversation';
import type { OtlpExportStatus } from './otlp-settings';
import type { ApiFormat, SseEvent } from './sse';
import type { Settings } from './settings-patch';

export type {
  Cursor,
  RequestDetail,
  RequestFilter,
  RequestPage,
  RequestRow,
  Stats,
  StatsGroupBy,
  StatsRow,
  TokenRatio,
  WriterStatus,
} from './model';
export type { Settings, SettingsInput, SettingsPatch } from './settings-patch';
export type { OtlpExportStatus } from './otlp-settings';
// In-flight events are the proxy's own types: started {id (= correlation id), ...}, progress
// {id, events (count so far), outputTokens, textDelta, newEvents}.
export type { RequestFinishedEvent, RequestProgressEvent, RequestStartedEvent } from './live-events';

export type StreamFormat = ApiFormat;
export type { SseEvent } from './sse';

/** getRequest: the stored row and exchange plus what the API derives from a streamed body. */
export interface RequestDetailView extends RequestDetail {
  /** null when the response was not streamed (or its body was not kept). */
  stream: {
    format: StreamFormat;
    events: SseEvent[];
    /** The assistant message reassembled from the deltas; null when the format is unknown. */
    text: string | null;
  } | null;
  /** The exchange read as a conversation (request messages, tools, params, reply), or why not.
   *  Its large media point into `exchange.requestBody` / `responseBody` rather than copy them. */
  conversation: ConversationResult;
}

export type ProxyState = 'starting' | 'listening' | 'bind_failed' | 'stopped';

export interface ProxyStatus {
  state: ProxyState;
  /** Where the proxy accepts requests, e.g. http://127.0.0.1:8080; null unless listening. */
  url: string | null;
  host: string | null;
  port: number | null;
  /** Why the last bind failed (e.g. "EADDRINUSE 127.0.0.1:8080"); null otherwise. */
  error: string | null;
}

export interface UpstreamSummary {
  name: string;
  baseUrl: string;
  /** Where the proxy serves it: '/' or '/NAME' (settings' mountOf), so clients build URLs without guessing. */
  mount: string;
}

export interface AppStatus {
  proxy: ProxyStatus;
  upstreams: UpstreamSummary[];
  writer: WriterStatus;
  database: { path: string; sizeBytes: number };
  /** The OpenTelemetry export; null while it is off. */
  otlp: OtlpExportStatus | null;
}

export interface RequestsAppendedEvent {
  /** Rows committed since the previous event, oldest first. */
  rows: RequestRow[];
  /** The newest committed id: "rows up to id N exist". */
  newestId: number;
  /**
   * More rows were committed than one event carries; `rows` holds the newest ones and the
   * client should refetch its first page instead of merging.
   */
  truncated: boolean;
}

export type MenuCommand = 'export' | 'open-database' | 'settings' | 'clear-logs';

/** A log database opened read-only beside the live one (db:open). */
export interface DatabaseSource {
  /** Pass as `source` to the read calls and db:export; db:close takes it. */
  id: string;
  path: string;
  /** The file name, for a tab. */
  name: string;
  sizeBytes: number;
}

/**
 * A running export's progress, at most ten a second. `copying`: SQLite backup pages done of
 * `total`; `compacting`: dropping what's out of scope and VACUUM (no measure, `total` 0);
 * `writing`: rows written of `total` (the filter's count when the export began).
 */
export interface ExportProgressEvent {
  jobId: string;
  phase: 'copying' | 'compacting' | 'writing';
  done: number;
  total: number;
}

export interface ExportResult {
  path: string;
  rows: number;
  bytes: number;
}

export interface CancelExportResult {
  /** False when no export with that id is running (it finished, or never started). */
  cancelled: boolean;
}

export interface ClearLogsResult {
  deleted: number;
}

export interface UpdateSettingsResult {
  settings: Settings;
  /** True when the change needed the proxy listener to be restarted and it was. */
  restarted: boolean;
}
