// The log's columns, said once. Each entry is one column of `requests` or `exchanges`: its name (in
// SQLite, and in CSV and JSONL exports, so a notebook sees the schema it would query), the field that
// carries it in TypeScript, and its type. The row types (RequestRow, LogRecord, ExchangeRecord) are
// derived from these tables, storage builds its SQL and row conversion from them, and the exports
// their records; a test holds them to the migrations.

export type Headers = Record<string, string | string[]>;

/**
 * How a value is held. SQLite has no booleans: `boolean` columns are INTEGER 0/1. `json` columns are
 * TEXT holding a JSON object (headers).
 */
export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface Column<F extends string = string> {
  /** The SQLite column, and the field's name in CSV and JSONL. */
  name: string;
  /** The camelCase field of the row types. */
  field: F;
  type: ColumnType;
  /** NULL allowed. */
  nullable: boolean;
}

const column = <F extends string, T extends ColumnType, N extends boolean = false>(
  name: string,
  field: F,
  type: T,
  nullable?: N,
) => ({ name, field, type, nullable: (nullable ?? false) as N }) as const;

/** `requests`, in table order. `id` is assigned by SQLite (AUTOINCREMENT), never inserted. */
export const REQUEST_COLUMNS = [
  column('id', 'id', 'integer'),
  /** X-Correlation-Id from the client, else a new UUID. */
  column('correlation_id', 'correlationId', 'text'),
  /** Request start, ISO-8601 UTC with milliseconds. */
  column('timestamp', 'timestamp', 'text'),
  column('method', 'method', 'text'),
  column('path', 'path', 'text'),
  /** '' when unknown. */
  column('model', 'model', 'text'),
  /** The upstream's name. */
  column('provider', 'provider', 'text'),
  column('policy', 'policy', 'text', true),
  column('streaming', 'streaming', 'boolean'),
  /** Status sent to the client; null when none was (client left before headers). */
  column('status', 'status', 'integer', true),
  /** A 2xx response delivered in full. */
  column('success', 'success', 'boolean'),
  column('error_status', 'errorStatus', 'integer', true),
  column('error_message', 'errorMessage', 'text', true),
  column('input_tokens', 'inputTokens', 'integer', true),
  column('output_tokens', 'outputTokens', 'integer', true),
  column('cache_read_tokens', 'cacheReadTokens', 'integer', true),
  column('cache_write_tokens', 'cacheWriteTokens', 'integer', true),
  column('reasoning_tokens', 'reasoningTokens', 'integer', true),
  column('tokens_estimated', 'tokensEstimated', 'boolean'),
  /** USD from price data and overrides; null when the price is unknown. */
  column('cost', 'cost', 'real', true),
  /** USD as reported by the upstream. */
  column('provider_cost', 'providerCost', 'real', true),
  column('latency_ms', 'latencyMs', 'real', true),
  column('ttfb_ms', 'ttfbMs', 'real', true),
  column('stream_duration_ms', 'streamDurationMs', 'real', true),
  column('finish_reason', 'finishReason', 'text', true),
  column('request_bytes', 'requestBytes', 'integer', true),
  column('response_bytes', 'responseBytes', 'integer', true),
  /**
   * The conversation the request belongs to, as the writer infers it (inspect/threads): the id of
   * the thread's first request; null for a request that is no conversation.
   */
  column('thread_id', 'threadId', 'integer', true),
  /** The request's place in its thread, from 1. */
  column('turn', 'turn', 'integer', true),
  /** The row this request was resent from (Resend, Edit and resend); null for a client's own request. */
  column('replay_of', 'replayOf', 'integer', true),
] as const;

/** Fields the writer sets from what it has stored, never the proxy. */
export const WRITER_FIELDS = ['threadId', 'turn'] as const;
export type WriterField = (typeof WRITER_FIELDS)[number];

/**
 * `exchanges` without its key (`request_id`, which is the request's id). `part` says which export
 * option keeps the column: headers, or bodies (with the flags that say how complete they are).
 */
export const EXCHANGE_COLUMNS = [
  /** Secrets already redacted: they never reach the writer. */
  { ...column('request_headers', 'requestHeaders', 'json'), part: 'headers' },
  /** null when no response arrived. */
  { ...column('response_headers', 'responseHeaders', 'json', true), part: 'headers' },
  { ...column('request_body', 'requestBody', 'text', true), part: 'bodies' },
  { ...column('request_body_truncated', 'requestBodyTruncated', 'boolean'), part: 'bodies' },
  { ...column('response_body', 'responseBody', 'text', true), part: 'bodies' },
  { ...column('response_body_truncated', 'responseBodyTruncated', 'boolean'), part: 'bodies' },
  /** The writer shed both bodies to keep its queue within its memory bound. */
  { ...column('bodies_dropped', 'bodiesDropped', 'boolean'), part: 'bodies' },
] as const;

export type RequestColumn = (typeof REQUEST_COLUMNS)[number];
export type ExchangeColumn = (typeof EXCHANGE_COLUMNS)[number];

interface ValueOfType {
  text: string;
  integer: number;
  real: number;
  boolean: boolean;
  json: Headers;
}

/** The object type a table of columns describes: one field per column, null where allowed. */
export type FieldsOf<C extends Column> = {
  -readonly [K in C as K['field']]: ValueOfType[K['type']] | (K['nullable'] extends true ? null : never);
};
