import type { ExchangeRecord, LogRecord, RequestDetail, RequestRow } from '../contract/model';

/** The requests columns in one order, shared by the insert and every select. */
export const REQUEST_COLUMNS = [
  'correlation_id',
  'timestamp',
  'method',
  'path',
  'model',
  'provider',
  'policy',
  'streaming',
  'status',
  'success',
  'error_status',
  'error_message',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'tokens_estimated',
  'cost',
  'provider_cost',
  'latency_ms',
  'ttfb_ms',
  'stream_duration_ms',
  'finish_reason',
  'request_bytes',
  'response_bytes',
] as const;

export const ROW_SELECT = `r.id, ${REQUEST_COLUMNS.map((c) => `r.${c}`).join(', ')}`;

type RawRow = Record<(typeof REQUEST_COLUMNS)[number] | 'id', unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function requestParams(r: LogRecord): unknown[] {
  return [
    r.correlationId,
    r.timestamp,
    r.method,
    r.path,
    r.model ?? '',
    r.provider,
    r.policy ?? null,
    r.streaming ? 1 : 0,
    r.status ?? null,
    r.success ? 1 : 0,
    r.errorStatus ?? null,
    r.errorMessage ?? null,
    r.inputTokens ?? null,
    r.outputTokens ?? null,
    r.cacheReadTokens ?? null,
    r.cacheWriteTokens ?? null,
    r.reasoningTokens ?? null,
    r.tokensEstimated ? 1 : 0,
    r.cost ?? null,
    r.providerCost ?? null,
    r.latencyMs ?? null,
    r.ttfbMs ?? null,
    r.streamDurationMs ?? null,
    r.finishReason ?? null,
    r.requestBytes ?? null,
    r.responseBytes ?? null,
  ];
}

export function toRow(raw: RawRow): RequestRow {
  return {
    id: Number(raw.id),
    correlationId: String(raw.correlation_id),
    timestamp: String(raw.timestamp),
    method: String(raw.method),
    path: String(raw.path),
    model: String(raw.model),
    provider: String(raw.provider),
    policy: str(raw.policy),
    streaming: raw.streaming === 1,
    status: num(raw.status),
    success: raw.success === 1,
    errorStatus: num(raw.error_status),
    errorMessage: str(raw.error_message),
    inputTokens: num(raw.input_tokens),
    outputTokens: num(raw.output_tokens),
    cacheReadTokens: num(raw.cache_read_tokens),
    cacheWriteTokens: num(raw.cache_write_tokens),
    reasoningTokens: num(raw.reasoning_tokens),
    tokensEstimated: raw.tokens_estimated === 1,
    cost: num(raw.cost),
    providerCost: num(raw.provider_cost),
    latencyMs: num(raw.latency_ms),
    ttfbMs: num(raw.ttfb_ms),
    streamDurationMs: num(raw.stream_duration_ms),
    finishReason: str(raw.finish_reason),
    requestBytes: num(raw.request_bytes),
    responseBytes: num(raw.response_bytes),
  };
}

/** The row a record becomes once committed under `id`, built without reading it back. */
export function recordToRow(r: Omit<LogRecord, 'exchange'>, id: number): RequestRow {
  return {
    id,
    correlationId: r.correlationId,
    timestamp: r.timestamp,
    method: r.method,
    path: r.path,
    model: r.model ?? '',
    provider: r.provider,
    policy: r.policy ?? null,
    streaming: Boolean(r.streaming),
    status: r.status ?? null,
    success: Boolean(r.success),
    errorStatus: r.errorStatus ?? null,
    errorMessage: r.errorMessage ?? null,
    inputTokens: r.inputTokens ?? null,
    outputTokens: r.outputTokens ?? null,
    cacheReadTokens: r.cacheReadTokens ?? null,
    cacheWriteTokens: r.cacheWriteTokens ?? null,
    reasoningTokens: r.reasoningTokens ?? null,
    tokensEstimated: Boolean(r.tokensEstimated),
    cost: r.cost ?? null,
    providerCost: r.providerCost ?? null,
    latencyMs: r.latencyMs ?? null,
    ttfbMs: r.ttfbMs ?? null,
    streamDurationMs: r.streamDurationMs ?? null,
    finishReason: r.finishReason ?? null,
    requestBytes: r.requestBytes ?? null,
    responseBytes: r.responseBytes ?? null,
  };
}

export function exchangeParams(id: number, e: ExchangeRecord, bodiesDropped: boolean): unknown[] {
  return [
    id,
    JSON.stringify(e.requestHeaders ?? {}),
    e.responseHeaders ? JSON.stringify(e.responseHeaders) : null,
    bodiesDropped ? null : (e.requestBody ?? null),
    e.requestBodyTruncated ? 1 : 0,
    bodiesDropped ? null : (e.responseBody ?? null),
    e.responseBodyTruncated ? 1 : 0,
    bodiesDropped ? 1 : 0,
  ];
}

export function toDetail(raw: RawRow & Record<string, unknown>): RequestDetail {
  const row = toRow(raw);
  const hasExchange = raw.request_headers !== null && raw.request_headers !== undefined;
  return {
    ...row,
    exchange: {
      requestHeaders: hasExchange ? JSON.parse(String(raw.request_headers)) : {},
      responseHeaders: raw.response_headers ? JSON.parse(String(raw.response_headers)) : null,
      requestBody: str(raw.request_body),
      requestBodyTruncated: raw.request_body_truncated === 1,
      responseBody: str(raw.response_body),
      responseBodyTruncated: raw.response_body_truncated === 1,
      bodiesDropped: raw.bodies_dropped === 1,
    },
  };
}
