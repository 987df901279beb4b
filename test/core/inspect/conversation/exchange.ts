// Builds a parser input the way the API does for a stored row: a streamed body becomes events
// with the usage module's SSE parser (NDJSON for Ollama), so the tests read what the view reads.
import { buildConversation, type ExchangeInput } from '../../../../electron/core/inspect/conversation';
import { parseSseEvents } from '../../../../electron/core/proxy/usage';
import type { Conversation, Media, Part } from '../../../../electron/core/contract/conversation';

export interface StoredExchange {
  path: string;
  request: unknown;
  /** A JSON value (serialised here) or a raw body text (SSE, NDJSON, a cut body). */
  response?: unknown;
  streaming?: boolean;
  status?: number;
  requestTruncated?: boolean;
  responseTruncated?: boolean;
  errorMessage?: string;
}

export function input(x: StoredExchange): ExchangeInput {
  const requestBody = typeof x.request === 'string' ? x.request : JSON.stringify(x.request);
  const responseBody =
    x.response === undefined ? null : typeof x.response === 'string' ? x.response : JSON.stringify(x.response);
  const streaming = x.streaming ?? false;
  let events: ExchangeInput['events'] = null;
  if (streaming && responseBody !== null) {
    events = x.path.startsWith('/api/')
      ? responseBody
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((data) => ({ data }))
      : parseSseEvents(responseBody);
  }
  return {
    method: 'POST',
    path: x.path,
    status: x.status ?? 200,
    streaming,
    requestBody,
    requestBodyTruncated: x.requestTruncated ?? false,
    responseBody,
    responseBodyTruncated: x.responseTruncated ?? false,
    bodiesDropped: false,
    events,
    errorMessage: x.errorMessage ?? null,
  };
}

export function conversation(x: StoredExchange): Conversation {
  const r = buildConversation(input(x));
  if (!r.ok) throw new Error(r.reason);
  return r.conversation;
}

export const sse = (events: unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
export const ndjson = (lines: unknown[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

/** The base64 text a media part refers to, resolved against the bodies like the view does. */
export function mediaText(m: Media, x: ExchangeInput): string {
  if (m.source.kind !== 'base64') throw new Error(`not base64: ${m.source.kind}`);
  const d = m.source.data;
  if (d.kind === 'inline') return d.base64;
  const body = d.side === 'request' ? x.requestBody : x.responseBody;
  return body!.slice(d.start, d.end);
}

export const partsOfType = <T extends Part['type']>(parts: Part[], type: T) =>
  parts.filter((p): p is Extract<Part, { type: T }> => p.type === type);

/** A base64 text of `bytes` decoded bytes (a repeated PNG-ish pattern is enough for the parsers). */
export const b64 = (bytes: number) => Buffer.alloc(bytes, 'iVBORw0KGgo').toString('base64');
