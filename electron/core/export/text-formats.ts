import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from './row-pages';
import { harEntry, harHead, HAR_TAIL } from './har';

/** A text format as three pieces, so rows can be streamed between a fixed head and tail. */
export interface TextFormat {
  head: string;
  /** `index` is the number of rows already written: HAR needs it to place its commas. */
  encode(rows: readonly ExportRow[], index: number): string;
  tail: string;
}

export interface FormatOptions {
  includeBodies: boolean;
  includeHeaders: boolean;
}

/** JSON Lines: one object per request, the row's fields plus (when kept) its exchange. */
function jsonl(options: FormatOptions): TextFormat {
  const keepExchange = options.includeBodies || options.includeHeaders;
  return {
    head: '',
    encode: (rows) => {
      let out = '';
      for (const row of rows) {
        const { exchange, ...fields } = row;
        out += `${JSON.stringify(keepExchange ? { ...fields, exchange: pickExchange(exchange, options) } : fields)}\n`;
      }
      return out;
    },
    tail: '',
  };
}

function pickExchange(e: ExportRow['exchange'], options: FormatOptions) {
  return {
    ...(options.includeHeaders ? { requestHeaders: e.requestHeaders, responseHeaders: e.responseHeaders } : {}),
    ...(options.includeBodies
      ? {
          requestBody: e.requestBody,
          requestBodyTruncated: e.requestBodyTruncated,
          responseBody: e.responseBody,
          responseBodyTruncated: e.responseBodyTruncated,
          bodiesDropped: e.bodiesDropped,
        }
      : {}),
  };
}

/** CSV columns: the database's own column names, so a notebook sees the schema it would query. */
const CSV_COLUMNS: [string, (r: ExportRow) => unknown][] = [
  ['id', (r) => r.id],
  ['correlation_id', (r) => r.correlationId],
  ['timestamp', (r) => r.timestamp],
  ['method', (r) => r.method],
  ['path', (r) => r.path],
  ['model', (r) => r.model],
  ['provider', (r) => r.provider],
  ['policy', (r) => r.policy],
  ['streaming', (r) => (r.streaming ? 1 : 0)],
  ['status', (r) => r.status],
  ['success', (r) => (r.success ? 1 : 0)],
  ['error_status', (r) => r.errorStatus],
  ['error_message', (r) => r.errorMessage],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['cache_read_tokens', (r) => r.cacheReadTokens],
  ['cache_write_tokens', (r) => r.cacheWriteTokens],
  ['reasoning_tokens', (r) => r.reasoningTokens],
  ['tokens_estimated', (r) => (r.tokensEstimated ? 1 : 0)],
  ['cost', (r) => r.cost],
  ['provider_cost', (r) => r.providerCost],
  ['latency_ms', (r) => r.latencyMs],
  ['ttfb_ms', (r) => r.ttfbMs],
  ['stream_duration_ms', (r) => r.streamDurationMs],
  ['finish_reason', (r) => r.finishReason],
  ['request_bytes', (r) => r.requestBytes],
  ['response_bytes', (r) => r.responseBytes],
];

const HEADER_COLUMNS: typeof CSV_COLUMNS = [
  ['request_headers', (r) => JSON.stringify(r.exchange.requestHeaders)],
  ['response_headers', (r) => (r.exchange.responseHeaders ? JSON.stringify(r.exchange.responseHeaders) : null)],
];
const BODY_COLUMNS: typeof CSV_COLUMNS = [
  ['request_body', (r) => r.exchange.requestBody],
  ['response_body', (r) => r.exchange.responseBody],
];

/** RFC 4180 CSV through csv-stringify: NULL is an empty field, text always round-trips. */
function csv(options: FormatOptions): TextFormat {
  const columns = [...CSV_COLUMNS, ...(options.includeHeaders ? HEADER_COLUMNS : []), ...(options.includeBodies ? BODY_COLUMNS : [])];
  return {
    head: stringify([columns.map(([name]) => name)]),
    encode: (rows) => stringify(rows.map((r) => columns.map(([, get]) => get(r) ?? null))),
    tail: '',
  };
}

function har(options: FormatOptions): TextFormat {
  return {
    head: harHead(),
    encode: (rows, index) => rows.map((r, i) => (index + i > 0 ? ',' : '') + JSON.stringify(harEntry(r, options))).join(''),
    tail: HAR_TAIL,
  };
}

export type TextFormatName = 'jsonl' | 'csv' | 'har';

export function textFormat(name: TextFormatName, options: FormatOptions): TextFormat {
  switch (name) {
    case 'jsonl':
      return jsonl(options);
    case 'csv':
      return csv(options);
    case 'har':
      return har(options);
    default: {
      const never: never = name;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
