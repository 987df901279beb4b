// Watches a decoded response body as the proxy tees it, and works out usage, text and
// progress. Per-chunk work is proportional to the chunk; JSON is parsed once per complete
// event; memory is bounded whatever the upstream sends.

import { applyText, handlerFor, type Handler } from './formats';
import { JsonElementSplitter } from './json-stream';
import { salvageObjectMember } from './json-scan';
import { LineSplitter, type LineSink } from './lines';
import { SseParser, TAIL_BYTES } from './sse';
import { UsageState, type Json } from './state';
import type { ApiFormat, ResponseObserver, SseEvent, StreamProgress, UsageResult } from './types';

type Mode = 'sse' | 'ndjson' | 'json-array' | 'body' | 'none';

/**
 * A non-streamed body is parsed whole at the end; beyond this only its tail is kept (usage sits
 * at the end of every provider's body). 4 MiB holds any chat answer whole; an embedding or a
 * base64 image is read from its tail.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Events held for the UI between two progress drains (~10 a second): a UI, not an archive. */
export const MAX_PROGRESS_EVENTS = 200;
export const MAX_PROGRESS_CHARS = 256 * 1024;

export function pickMode(format: ApiFormat, streaming: boolean, contentType: string | null): Mode {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('text/event-stream')) return 'sse';
  if (ct.includes('ndjson') || ct.includes('jsonl')) return 'ndjson';
  const ollama = format === 'ollama-chat' || format === 'ollama-generate';
  if (ct.includes('json')) {
    if (!streaming) return 'body';
    if (format === 'gemini') return 'json-array';
    return ollama ? 'ndjson' : 'body';
  }
  if (ct === '' && streaming) return ollama ? 'ndjson' : format === 'gemini' ? 'json-array' : 'sse';
  // Audio, images, archives…: nothing to read, so don't hold megabytes of them for nothing.
  if (ct !== '' && !ct.startsWith('text/')) return 'none';
  return 'body';
}

/** Wraps a salvaged `usage` object so the format's handler reads it like the real thing. */
function salvage(format: ApiFormat, text: string): Json | null {
  if (format === 'unknown' || format === 'ollama-chat' || format === 'ollama-generate') return null;
  const key = format === 'gemini' ? 'usageMetadata' : 'usage';
  const found = salvageObjectMember(text, [key]);
  if (!found) return null;
  switch (format) {
    case 'openai-responses':
      return { type: 'response.completed', response: { usage: found.value } };
    case 'anthropic-messages':
      return { type: 'message_delta', usage: found.value };
    case 'gemini':
      return { usageMetadata: found.value };
    case 'openai-chat':
    case 'openai-completions':
      return { usage: found.value };
    default:
      return null;
  }
}

export function createResponseObserver(
  format: ApiFormat,
  opts: { streaming: boolean; contentType: string | null },
): ResponseObserver {
  return new Observer(format, pickMode(format, opts.streaming, opts.contentType));
}

class Observer implements ResponseObserver {
  private readonly state = new UsageState();
  private readonly handler: Handler;
  private readonly sse: SseParser | null;
  private readonly lines: LineSplitter | null;
  private readonly array: JsonElementSplitter | null;
  private body: Buffer[] = [];
  private bodyLen = 0;
  private bodyOverflowed = false;
  private newEvents: SseEvent[] = [];
  private newEventChars = 0;
  private dropped = 0;
  private ended: UsageResult | null = null;
  private failure: string | null = null;
  private readonly onEvent = (e: SseEvent): void => this.event(e);
  private readonly onElement = (text: string, truncated: boolean): void =>
    this.event(truncated ? { event: null, data: text, truncated } : { event: null, data: text });
  private readonly ndjsonSink: LineSink = {
    line: (content, _term, overflowed) => {
      if (overflowed) return; // an NDJSON line over 1 MiB has no usage worth salvaging
      const text = content.toString('utf8').trim();
      if (text) this.event({ event: null, data: text });
    },
    lfAfterCr: () => {},
    overflow: () => {},
  };

  constructor(
    private readonly format: ApiFormat,
    private readonly mode: Mode,
  ) {
    this.handler = handlerFor(format);
    this.sse = mode === 'sse' ? new SseParser() : null;
    this.lines = mode === 'ndjson' ? new LineSplitter() : null;
    this.array = mode === 'json-array' ? new JsonElementSplitter() : null;
  }

  get bufferedBytes(): number {
    const reader = this.sse?.bufferedBytes ?? this.lines?.bufferedBytes ?? this.array?.bufferedBytes ?? this.bodyLen;
    return reader + this.state.bufferedChars + this.newEventChars;
  }

  write(chunk: Buffer): void {
    if (this.ended || this.failure !== null || chunk.length === 0) return;
    // The proxy calls this on its hot path: a bug here must cost the usage figures, never the request.
    try {
      if (this.sse) this.sse.write(chunk, this.onEvent);
      else if (this.lines) this.lines.push(chunk, this.ndjsonSink);
      else if (this.array) this.array.push(chunk, this.onElement);
      else if (this.mode === 'body') this.collect(chunk);
    } catch (err) {
      this.failure = err instanceof Error ? err.message : String(err);
    }
  }

  drainProgress(): StreamProgress {
    const p: StreamProgress = {
      events: this.state.events,
      outputTokens: this.state.outputTokens,
      textDelta: this.state.takeDelta(),
      newEvents: this.newEvents,
      droppedEvents: this.dropped,
    };
    this.newEvents = [];
    this.newEventChars = 0;
    this.dropped = 0;
    return p;
  }

  end(decodedBody?: string): UsageResult {
    if (this.ended) return this.ended;
    try {
      if (this.failure === null) {
        if (this.sse) this.sse.end(this.onEvent);
        else if (this.lines) this.lines.flush(this.ndjsonSink);
        else if (this.mode === 'body') this.finishBody(decodedBody);
      }
    } catch (err) {
      this.failure = err instanceof Error ? err.message : String(err);
    }
    this.ended = { ...this.state.result(), observerError: this.failure };
    return this.ended;
  }

  private event(e: SseEvent): void {
    this.state.events++;
    if (this.newEvents.length < MAX_PROGRESS_EVENTS && this.newEventChars + e.data.length <= MAX_PROGRESS_CHARS) {
      this.newEvents.push(e);
      this.newEventChars += e.data.length;
    } else this.dropped++;
    // The event object is the one in newEvents: annotating it here is what the page receives.
    const text = this.state.textOf(() => {
      if (!e.truncated) return void applyText(this.handler, this.state, e.data);
      const json = salvage(this.format, e.data);
      if (json) this.handler(this.state, json);
    });
    if (text !== '') e.text = text;
  }

  private collect(chunk: Buffer): void {
    this.body.push(chunk);
    this.bodyLen += chunk.length;
    if (this.bodyLen > MAX_BODY_BYTES) {
      const all = Buffer.concat(this.body, this.bodyLen);
      this.body = [Buffer.from(all.subarray(all.length - TAIL_BYTES))];
      this.bodyLen = TAIL_BYTES;
      this.bodyOverflowed = true;
    }
  }

  private finishBody(decodedBody: string | undefined): void {
    const text = decodedBody !== undefined && !this.bodyOverflowed ? decodedBody : joinUtf8(this.body, this.bodyLen);
    this.body = [];
    if (!this.bodyOverflowed && applyText(this.handler, this.state, text)) return;
    const json = salvage(this.format, text);
    if (json) this.handler(this.state, json);
  }
}

/** One chunk (the usual small answer) is decoded in place, without a copy. */
function joinUtf8(chunks: Buffer[], length: number): string {
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, length).toString('utf8');
}
