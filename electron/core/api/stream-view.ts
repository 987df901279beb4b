// Turns a stored streamed response body into the events and reassembled text getRequest returns.
// The usage helper owns SSE parsing and reassembly (electron/core/proxy/usage); this file is the
// seam: a parser is injected, and the fallback below only splits events so the detail view
// works before that module lands.
import type { RequestDetail } from '../storage/types';
import type { RequestDetailView, SseEvent, StreamFormat } from './contract-types';

export interface StreamParser {
  detectFormat(method: string, path: string): StreamFormat;
  parseSseEvents(body: string): SseEvent[];
  reassembleText(format: StreamFormat, events: SseEvent[]): string | null;
}

/** Splits an SSE body into events per the WHATWG event-stream rules (blank line ends an event). */
export function splitSseEvents(body: string): SseEvent[] {
  const out: SseEvent[] = [];
  let event: string | null = null;
  let data: string[] = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0) out.push({ event, data: data.join('\n') });
      event = null;
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  // A truncated body may end mid-event: keep what arrived.
  if (data.length > 0) out.push({ event, data: data.join('\n') });
  return out;
}

export const fallbackStreamParser: StreamParser = {
  detectFormat: () => 'unknown',
  parseSseEvents: splitSseEvents,
  reassembleText: () => null,
};

export function toDetailView(detail: RequestDetail, parser: StreamParser): RequestDetailView {
  const body = detail.exchange.responseBody;
  if (!detail.streaming || body === null) return { ...detail, stream: null };
  const format = parser.detectFormat(detail.method, detail.path);
  const events = parser.parseSseEvents(body);
  return { ...detail, stream: { format, events, text: parser.reassembleText(format, events) } };
}
