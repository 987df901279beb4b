// The response half of an exchange: writes the upstream's head to the client, relays its bytes
// (through the usage-chunk filter when the proxy asked for a usage chunk the client did not), and
// tees them to the capture and the usage observer after they have left, with live progress for
// streams. What it saw is read once the exchange ends (settle()).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type { Headers } from '../contract/model';
import type { RequestProgressEvent } from '../contract/live-events';
import { CORRELATION_HEADER, firstHeader, forwardableResponseHeaders } from './headers';
import type { Inspection } from './inspection';
import { createResponseTap, type ResponseTap, type TapResult } from './response-tap';
import {
  createResponseObserver,
  createUsageChunkFilter,
  type ApiFormat,
  type ResponseObserver,
  type UsageResult,
} from './usage';

const PROGRESS_INTERVAL_MS = 100;
/** How long a stream's head waits for its first event, to leave in the same write (see begin()). */
const HEAD_FLUSH_MS = 1;

const STREAM_TYPES = /^(text\/event-stream|application\/x-ndjson|application\/jsonl|application\/stream\+json)/i;

export interface RelayOptions {
  id: string;
  format: ApiFormat;
  /** The request asked for a stream. */
  requestedStream: boolean;
  /** The proxy added include_usage to the request: the usage chunk is filtered out of the reply. */
  injected: boolean;
  captureMaxBytes: number;
  inspection: Inspection;
  redact: (headers: IncomingMessage['headers']) => Headers;
  publishProgress: (event: RequestProgressEvent) => void;
  /** Every byte reached the client. */
  onDelivered: () => void;
  /** The upstream's response closed before it was complete. */
  onUpstreamCut: () => void;
  /** A bug of ours while relaying (the usage-chunk filter failed). */
  onInternalError: (error: unknown) => void;
}

/** What the relay saw, for the row. */
export interface RelayResult {
  tapped: TapResult | null;
  usage: UsageResult | null;
}

export class ResponseRelay {
  readonly status: number;
  /** Relayed as a stream (by content type, or a 2xx answer to a streaming request). */
  readonly streamed: boolean;
  /** The upstream's headers, redacted for the log. */
  readonly headers: Headers;
  bytes = 0;
  firstByteAt: number | null = null;
  lastByteAt: number | null = null;
  private readonly observer: ResponseObserver | null;
  private readonly tap: ResponseTap | null;
  private lastProgressAt = 0;
  private progressTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly proxyRes: IncomingMessage,
    private readonly opts: RelayOptions,
  ) {
    const { inspection } = opts;
    const status = proxyRes.statusCode ?? 502;
    this.status = status;
    const contentType = firstHeader(proxyRes.headers['content-type']) ?? null;
    const ok = status >= 200 && status < 300;
    const streamed = (contentType !== null && STREAM_TYPES.test(contentType)) || (ok && opts.requestedStream);
    this.streamed = streamed;
    this.headers = opts.redact(proxyRes.headers);
    const observer = inspection.run(
      'usage',
      () => createResponseObserver(opts.format, { streaming: streamed, contentType }),
      null,
    );
    this.observer = observer;
    // The observer is fed from the capture's decoder (after the client's bytes have left).
    const tap = inspection.run(
      'capture',
      () =>
        createResponseTap({
          contentEncoding: firstHeader(proxyRes.headers['content-encoding']),
          cap: opts.captureMaxBytes,
          onDecoded: (chunk) => {
            if (observer !== null) inspection.run('usage', () => observer.write(chunk), undefined);
            if (streamed) this.progress(false);
          },
        }),
      null,
    );
    this.tap = tap;
  }

  /** Sends the head to the client and starts relaying. May throw (a status Node refuses to send). */
  begin(res: ServerResponse): void {
    const { proxyRes, opts, tap, streamed, status } = this;
    const { inspection } = opts;
    const ok = status >= 200 && status < 300;
    const contentType = firstHeader(proxyRes.headers['content-type']);
    const headers = forwardableResponseHeaders(proxyRes.headers);
    headers[CORRELATION_HEADER] = opts.id;
    let sink: Writable = res;
    const encoding = firstHeader(proxyRes.headers['content-encoding']);
    if (
      opts.injected &&
      ok &&
      contentType?.startsWith('text/event-stream') &&
      (encoding === undefined || encoding === 'identity')
    ) {
      // The client didn't ask for the usage chunk the proxy requested: filter it out. Its length
      // changes, so no content-length (SSE responses are chunked anyway).
      delete headers['content-length'];
      const filter = inspection.run(
        'usage filter',
        () => createUsageChunkFilter({ onError: (error) => inspection.fail('usage filter', error) }),
        null,
      );
      if (filter !== null) {
        filter.on('error', (error) => opts.onInternalError(error));
        filter.pipe(res);
        sink = filter;
      }
    }
    // Every header goes in this one call (the correlation id too, never res.setHeader): with
    // headers set beforehand, writeHead validates and copies each one through setHeader.
    res.writeHead(status, headers);
    // Streams: the client sees the headers when the upstream sends them, not only with the first event
    // (an LLM sends its head at once and its first token after the prompt is read, often seconds later).
    // An event that follows within HEAD_FLUSH_MS goes out in the head's write: a write of its own cost the
    // first event ~0.15 ms on a busy machine (a syscall and a wake-up of the client, measured).
    const flushHead = () => {
      try {
        res.flushHeaders();
      } catch (error) {
        opts.onInternalError(error);
      }
    };
    let headTimer: NodeJS.Timeout | null = streamed ? setTimeout(flushHead, HEAD_FLUSH_MS) : null;
    const headSent = () => {
      if (headTimer === null) return;
      clearTimeout(headTimer);
      headTimer = null;
    };
    // The head leaves with the first bytes written to the client: through the filter, its first output.
    if (headTimer !== null) (sink === res ? proxyRes : sink).once('data', headSent);

    // Node corks a response at each res.write() and sends what was written on the next tick, so whatever
    // runs synchronously after a write (the rest of a chunk through the usage filter, decoding, usage
    // parsing, live progress) held a stream's bytes back with it: its first event reached the client
    // 0.6-1.1 ms later than through a bare proxy when the upstream's events arrived together (measured).
    // A stream's bytes are sent at once instead (res.uncork()). Non-streamed answers keep the cork: their
    // end() follows in the same tick and leaves in the same write.
    const send = streamed ? (piece: Buffer) => sendNow(res, sink, piece) : (piece: Buffer) => sink.write(piece);
    const filtered = sink !== res;
    proxyRes.on('data', (chunk: Buffer) => {
      const now = performance.now();
      const first = this.firstByteAt === null;
      this.firstByteAt ??= now;
      this.lastByteAt = now;
      this.bytes += chunk.length;
      // The client's bytes leave first; the tee (decoding, usage parsing, capture) runs after,
      // so it never delays them (an SSE event's JSON was parsed before it was forwarded).
      // Through the filter, the first event of a first chunk that holds several goes ahead of the rest.
      const cut = first && filtered ? firstEventEnd(chunk) : -1;
      if (cut > 0) send(chunk.subarray(0, cut));
      const flowing = send(cut > 0 ? chunk.subarray(cut) : chunk);
      if (tap !== null) inspection.run('capture', () => tap.write(chunk), undefined);
      if (!flowing) {
        proxyRes.pause();
        sink.once('drain', () => proxyRes.resume());
      }
    });
    proxyRes.on('end', () => {
      headSent();
      this.lastByteAt = performance.now();
      sink.end();
    });
    // Errors surface through 'close' with complete === false; the listener keeps them from throwing.
    proxyRes.on('error', () => undefined);
    proxyRes.on('close', () => {
      headSent();
      if (!proxyRes.complete) opts.onUpstreamCut();
    });
    res.once('finish', () => opts.onDelivered());
  }

  /** Stops the upstream's response (the client went away, or the exchange is being cut). */
  destroy(): void {
    this.proxyRes.destroy();
  }

  /** Ends the capture, sends the last progress and reads the usage. Called once, when the exchange ends. */
  async settle(): Promise<RelayResult> {
    const inspection = this.opts.inspection;
    // A failed capture also starved the observer it feeds: neither result is whole.
    const tap = inspection.hasFailed('capture') ? null : this.tap;
    const tapped = tap === null ? null : await tap.end();
    if (this.streamed) this.progress(true);
    // The capture already decoded the whole body when it kept every byte: the observer parses that.
    const whole =
      tapped !== null && !tapped.truncated && tapped.decodeError === null && tapped.body !== null
        ? tapped.body
        : undefined;
    const observer = tap === null ? null : this.observer;
    let usage = observer === null ? null : inspection.run('usage', () => observer.end(whole), null);
    if (usage?.observerError != null) {
      inspection.fail('usage', usage.observerError);
      usage = null;
    }
    for (const note of usage?.notes ?? []) inspection.note(note);
    return { tapped, usage };
  }

  private progress(final: boolean): void {
    const observer = this.observer;
    if (observer === null) return;
    this.opts.inspection.run('progress', () => this.publishProgress(observer, final), undefined);
  }

  private publishProgress(observer: ResponseObserver, final: boolean): void {
    const now = performance.now();
    const wait = PROGRESS_INTERVAL_MS - (now - this.lastProgressAt);
    if (!final && wait > 0) {
      // Trailing edge: whatever arrives in a quiet spell is still reported.
      this.progressTimer ??= setTimeout(() => {
        this.progressTimer = null;
        this.progress(false);
      }, wait);
      return;
    }
    if (this.progressTimer !== null) {
      clearTimeout(this.progressTimer);
      this.progressTimer = null;
    }
    const p = observer.drainProgress();
    if (final && p.textDelta === '' && p.newEvents.length === 0) return;
    this.lastProgressAt = now;
    this.opts.publishProgress({
      id: this.opts.id,
      events: p.events,
      outputTokens: p.outputTokens,
      textDelta: p.textDelta,
      newEvents: p.newEvents,
    });
  }
}

/** Writes to the client through `sink` and lets the bytes leave now rather than on the next tick. */
function sendNow(res: ServerResponse, sink: Writable, piece: Buffer): boolean {
  const flowing = sink.write(piece);
  if (res.writableCorked > 0) res.uncork();
  return flowing;
}

/** Where the first SSE event of `chunk` ends (after its blank line), if more follows it; else -1. */
function firstEventEnd(chunk: Buffer): number {
  const end = chunk.indexOf('\n\n');
  return end === -1 || end + 2 >= chunk.length ? -1 : end + 2;
}
