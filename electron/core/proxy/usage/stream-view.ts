// Turns a stored streamed response body into the events and reassembled text getRequest
// returns, with the usage module's own parser and reassembler (the same code that read the
// stream live), so the detail view and the logged figures can't disagree.
import { detectFormat } from './detect';
import { streamText } from './reassemble';
import { parseSseEvents } from './sse';
import type { RequestDetail } from '../../contract/model';
import type { ApiFormat, SseEvent } from '../../contract/sse';
import type { RequestDetailView } from '../../contract/types';

function contentType(detail: RequestDetail): string {
  const value = detail.exchange.responseHeaders?.['content-type'];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).toLowerCase();
}

/** Ollama streams NDJSON, not SSE: one JSON value per line, carried here as an event's data. */
function ndjsonEvents(body: string): SseEvent[] {
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((data) => ({ event: null, data }));
}

/** The detail view's stream part; api/handlers adds the conversation (inspect/) on top. */
export type StreamDetailView = Omit<RequestDetailView, 'conversation'>;

/**
 * A stored streamed body read back into its events, without the reassembled text (what a reader of
 * the events alone, like the OTLP export, needs: the text costs as much again); null when the
 * response was not streamed or its body was not kept.
 */
export function storedStream(detail: RequestDetail): { format: ApiFormat; events: SseEvent[] } | null {
  const body = detail.exchange.responseBody;
  if (!detail.streaming || body === null) return null;
  const format = detectFormat(detail.method, detail.path);
  const type = contentType(detail);
  const ndjson =
    type.includes('ndjson') ||
    type.includes('jsonl') ||
    (!type.includes('event-stream') && format.startsWith('ollama'));
  return { format, events: ndjson ? ndjsonEvents(body) : parseSseEvents(body) };
}

export function toDetailView(detail: RequestDetail): StreamDetailView {
  const stored = storedStream(detail);
  if (stored === null) return { ...detail, stream: null };
  const { format, events: parsed } = stored;
  if (format === 'unknown') return { ...detail, stream: { format, events: parsed, text: null } };
  const { events, text } = streamText(format, parsed);
  return { ...detail, stream: { format, events, text } };
}
