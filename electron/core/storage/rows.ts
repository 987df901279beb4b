// Rows between SQLite and the row types, driven by the column tables (contract/columns.ts): the
// insert's parameters, the select list and the conversion back are all read from the same list.
import { EXCHANGE_COLUMNS, REQUEST_COLUMNS, WRITER_FIELDS, type Column } from '../contract/columns';
import type { ExchangeRecord, LogRecord, RequestDetail, RequestRow } from '../contract/model';
import { requestBodySql } from './body-store';

/** The requests columns a record inserts (all but the id SQLite assigns and what the writer sets), in order. */
const INSERT_COLUMNS = REQUEST_COLUMNS.filter(
  (c) => c.name !== 'id' && !(WRITER_FIELDS as readonly string[]).includes(c.field),
);

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Takes requestParams(record). */
export const INSERT_REQUEST_SQL =
  `INSERT INTO requests ` +
  `(${INSERT_COLUMNS.map((c) => c.name).join(', ')}) VALUES (${placeholders(INSERT_COLUMNS.length)})`;

/** Takes exchangeParams(id, exchange, shed). */
export const INSERT_EXCHANGE_SQL =
  `INSERT INTO exchanges (request_id, ` +
  `${EXCHANGE_COLUMNS.map((c) => c.name).join(', ')}) VALUES (${placeholders(EXCHANGE_COLUMNS.length + 1)})`;

export const ROW_SELECT = REQUEST_COLUMNS.map((c) => `r.${c.name}`).join(', ');

/**
 * The exchange's columns for a `LEFT JOIN exchanges e`. Headers or bodies left out are selected as
 * NULL rather than dropped afterwards, so multi-MiB bodies are never read into memory when they
 * aren't wanted; the small flags are always read.
 */
export function exchangeSelect(keep: { headers: boolean; bodies: boolean } = { headers: true, bodies: true }): string {
  return EXCHANGE_COLUMNS.map((c) => {
    if (!keep[c.part] && c.type !== 'boolean') return `NULL AS ${c.name}`;
    // A request body may be stored as a template over shared parts (body-store.ts).
    return c.name === 'request_body' ? `${requestBodySql('e')} AS request_body` : `e.${c.name}`;
  }).join(', ');
}

/** A row as better-sqlite3 returns it: keyed by column name. */
type RawRow = Record<string, unknown>;

/** A field's value as SQLite stores it. */
function toSql(c: Column, value: unknown): unknown {
  switch (c.type) {
    case 'boolean':
      return value ? 1 : 0;
    case 'json':
      return value === null || value === undefined ? (c.nullable ? null : '{}') : JSON.stringify(value);
    default:
      return value ?? null;
  }
}

/** A stored value as the field's type. */
function fromSql(c: Column, value: unknown): unknown {
  if (c.type === 'boolean') return value === 1;
  if (value === null || value === undefined) return c.nullable ? null : c.type === 'json' ? {} : value;
  switch (c.type) {
    case 'text':
      return String(value);
    case 'json':
      return JSON.parse(String(value));
    default:
      return Number(value);
  }
}

export function requestParams(r: LogRecord): unknown[] {
  const record = r as unknown as Record<string, unknown>;
  return INSERT_COLUMNS.map((c) => toSql(c, record[c.field]));
}

export function toRow(raw: RawRow): RequestRow {
  const row: Record<string, unknown> = {};
  for (const c of REQUEST_COLUMNS) row[c.field] = fromSql(c, raw[c.name]);
  return row as RequestRow;
}

/** What the writer set on a row beside the record's own fields (null: a request in no thread). */
export type WriterFields = Pick<RequestRow, (typeof WRITER_FIELDS)[number]>;
export const NO_WRITER_FIELDS: WriterFields = { threadId: null, turn: null };

/**
 * The row a record becomes once committed under `id`, built without reading it back: what SQLite
 * gives back for each value (booleans as booleans, a missing nullable value as null). Runs on the
 * proxy's thread for every record, so it is one object literal: ~0.3 µs, against ~1.4 µs for a loop
 * over the columns storing each field by name. A column added to columns.ts fails to compile here
 * until it is added; record-pack.test.ts holds the result to the row read back.
 */
export function recordToRow(r: Omit<LogRecord, 'exchange'>, id: number, set = NO_WRITER_FIELDS): RequestRow {
  return {
    id,
    correlationId: r.correlationId,
    timestamp: r.timestamp,
    method: r.method,
    path: r.path,
    model: r.model,
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
    replayOf: r.replayOf ?? null,
    threadId: set.threadId,
    turn: set.turn,
  };
}

export function exchangeParams(id: number, e: ExchangeRecord, bodiesDropped: boolean): unknown[] {
  // Shed bodies are stored as NULL, with the flag saying why they are missing.
  const stored: Record<string, unknown> = bodiesDropped
    ? { ...e, requestBody: null, responseBody: null, bodiesDropped }
    : { ...e, bodiesDropped };
  return [id, ...EXCHANGE_COLUMNS.map((c) => toSql(c, stored[c.field]))];
}

/** A row joined with its exchange (LEFT JOIN: a request without one reads as empty headers, no bodies). */
export function toDetail(raw: RawRow): RequestDetail {
  const exchange: Record<string, unknown> = {};
  for (const c of EXCHANGE_COLUMNS) exchange[c.field] = fromSql(c, raw[c.name]);
  return { ...toRow(raw), exchange: exchange as RequestDetail['exchange'] };
}
