// One request's life through the proxy: checks, routing, body inspection, forwarding through
// http-proxy, the response tee, and exactly one LogRecord at the end, whatever happened.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type { LogRecord } from '../contract/model';
import {
  CORRELATION_HEADER,
  POLICY_HEADER,
  firstHeader,
  forwardableRequestHeaders,
  forwardableResponseHeaders,
  redactPath,
} from './headers';
import { newCorrelationId } from './correlation-id';
import type { Outcome } from './outcome';
import type { ExchangeContext } from './exchange-context';
import { Inspection, withNotes } from './inspection';
import { buildRecord, type RecordInput } from './record';
import { readRequestBody } from './request-body';
import { injectKey, pickPolicy, wholeBody } from './request-prep';
import { createResponseTap, type ResponseTap } from './response-tap';
import { isOwnAddress } from './loop-guard';
import { fetchSiteAllowed, hostAllowed, originAllowed, type Route } from './router';
import {
  createResponseObserver,
  createUsageChunkFilter,
  detectFormat,
  injectStreamUsage,
  inspectRequest,
  type ApiFormat,
  type RequestInfo,
  type ResponseObserver,
} from './usage';

/** Bodies up to this size are read before forwarding even when the capture cap is smaller, so the model and prompt are known. */
const MIN_INSPECT_BYTES = 64 * 1024;
const PROGRESS_INTERVAL_MS = 100;

/** What the proxy knows of a request whose inspection failed. */
const UNREAD_REQUEST: RequestInfo = { model: null, stream: false, promptText: '' };

const STREAM_TYPES = /^(text\/event-stream|application\/x-ndjson|application\/jsonl|application\/stream\+json)/i;

export class Exchange {
  readonly id: string;
  private readonly timestamp = new Date().toISOString();
  private readonly startedAt = performance.now();
  private readonly loggedPath: string;
  private route: Route | null = null;
  private format: ApiFormat = 'unknown';
  private info: RequestInfo | null = null;
  private policy: string | null = null;
  private requestBody: { text: string | null; truncated: boolean; bytes: number | null } = {
    text: null,
    truncated: false,
    bytes: null,
  };
  /** A body too large to read before forwarding: its size so far, counted as it streams through. */
  private streamedBodyBytes: (() => number) | null = null;
  /** Such a body is still arriving from the client. */
  private uploading: () => boolean = () => false;
  private injected = false;
  private proxyReq: ClientRequest | null = null;
  private proxyRes: IncomingMessage | null = null;
  private observer: ResponseObserver | null = null;
  private tap: ResponseTap | null = null;
  private responseHeaders: LogRecord['exchange']['responseHeaders'] = null;
  private responseStreamed = false;
  private status: number | null = null;
  private responseBytes: number | null = null;
  private firstByteAt: number | null = null;
  private lastByteAt: number | null = null;
  private clientGone = false;
  /** Every step that reads rather than carries this exchange runs through it (see inspection.ts). */
  private readonly inspection = new Inspection();
  private timedOut = false;
  private finished = false;
  private lastProgressAt = 0;
  private progressTimer: NodeJS.Timeout | null = null;
  /** Resolves once the record has been handed to the sink. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private started = false;
  /** As the client sent them; req.headers is replaced by the forwarded set. */
  private readonly clientHeaders: IncomingMessage['headers'];

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly ctx: ExchangeContext,
  ) {
    const given = firstHeader(req.headers[CORRELATION_HEADER])?.trim();
    // Time-ordered ids (UUIDv7) make the log's correlation index grow at its end like the timestamp
    // index; random v4 ids took a random leaf page per row, ~10 µs of every insert.
    this.id = given !== undefined && given !== '' && given.length <= 200 ? given : newCorrelationId();
    this.loggedPath = redactPath(req.url ?? '/');
    this.clientHeaders = req.headers;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    res.on('close', () => this.onClientClose());
  }

  async run(): Promise<void> {
    const { req, ctx } = this;
    const settings = ctx.settings;
    const origin = firstHeader(req.headers.origin);
    if (!originAllowed(origin, settings)) {
      return this.reject(
        403,
        'origin_not_allowed',
        `requests from origin ${String(req.headers.origin)} are refused; add it to allowedOrigins in the settings to allow it`,
      );
    }
    const fetchSite = firstHeader(req.headers['sec-fetch-site']);
    if (!fetchSiteAllowed(fetchSite, origin)) {
      return this.reject(
        403,
        'origin_not_allowed',
        `a request from another web page without an Origin header is refused (Sec-Fetch-Site: ${fetchSite}); pages in allowedOrigins may call the proxy with fetch(), which sends Origin`,
      );
    }
    if (!hostAllowed(req.headers.host, settings)) {
      return this.reject(
        403,
        'host_not_allowed',
        `Host ${String(req.headers.host)} is refused (DNS rebinding protection); use 127.0.0.1 or localhost`,
      );
    }
    const routed = ctx.router.route(req.url ?? '/');
    if (!routed.ok) return this.reject(routed.status, routed.code, routed.message, { mounts: routed.mounts ?? [] });
    const route = routed.route;
    this.route = route;
    if (isOwnAddress(route.target, ctx.ownAddress(), ctx.addressesOf)) {
      return this.reject(
        508,
        'loop_detected',
        `upstream ${route.upstream.name} points back at this proxy (${route.target.host})`,
      );
    }
    this.format = detectFormat(req.method ?? 'GET', route.rest);

    const read = await readRequestBody(req, Math.max(settings.captureMaxBytes, MIN_INSPECT_BYTES));
    // stop() may have cut this request while its body was arriving; it already has its row.
    if (this.finished) return;
    if (read.kind === 'aborted') {
      this.requestBody = { text: null, truncated: true, bytes: read.received };
      return this.finish({ kind: 'client-aborted', status: null, message: read.message });
    }
    let body = read.kind === 'complete' ? read.body : read.prefix;
    // Decoded once: inspection reads all of it, the log keeps it whole when it fits the cap.
    const text = body.length === 0 ? null : body.toString('utf8');
    const headerPolicy = firstHeader(req.headers[POLICY_HEADER]);
    const inspected = this.inspection.run(
      'request',
      () => {
        const info = inspectRequest(this.format, route.rest, text);
        return { info, policy: pickPolicy(headerPolicy, info.promptText, settings.policyRules) };
      },
      { info: UNREAD_REQUEST, policy: pickPolicy(headerPolicy, '', []) },
    );
    this.info = inspected.info;
    this.policy = inspected.policy;
    const cap = settings.captureMaxBytes;
    this.requestBody = {
      text: text === null ? null : body.length <= cap ? text : body.subarray(0, cap).toString('utf8'),
      truncated: read.kind === 'partial' || body.length > cap,
      bytes: read.kind === 'complete' ? body.length : null,
    };
    if (read.kind === 'partial') {
      this.streamedBodyBytes = read.received;
      this.uploading = read.uploading;
      void read.aborted.then((message) => this.onUploadFailed(message));
    }
    this.started = true;
    ctx.events.requestStarted({
      id: this.id,
      timestamp: this.timestamp,
      method: req.method ?? 'GET',
      path: this.loggedPath,
      provider: route.upstream.name,
      model: this.info.model ?? '',
      policy: this.policy,
      streaming: this.info.stream,
    });
    if (this.clientGone)
      return this.finish({
        kind: 'client-aborted',
        status: null,
        message: 'client closed the connection before the request was forwarded',
      });

    const headers = forwardableRequestHeaders(req.headers);
    if (read.kind === 'complete' && settings.injectStreamUsage && this.info.stream) {
      const rewritten = this.inspection.run('include_usage', () => injectStreamUsage(this.format, body), null);
      if (rewritten !== null) {
        body = rewritten;
        this.injected = true;
        // The usage-chunk filter works on plain text, so ask for an uncompressed stream.
        headers['accept-encoding'] = 'identity';
      }
    }
    if (read.kind === 'complete') {
      if (body.length > 0 || headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    }
    Object.assign(headers, route.upstream.headers ?? {});
    if (route.upstream.apiKey !== undefined) injectKey(headers, route.upstream, this.format);
    // http-proxy copies req.headers and req.url into the upstream request; setting them here,
    // before it builds that request, avoids racing its 'proxyReq' event against the body write.
    req.headers = headers as IncomingMessage['headers'];
    req.url = route.rest;
    const buffer = read.kind === 'complete' ? wholeBody(body) : read.stream;
    const target = route.target;
    ctx.forward(req, this.res, {
      target: {
        protocol: target.protocol,
        host: target.hostname,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: target.path,
      },
      buffer,
      exchange: this,
    });
  }

  /** http-proxy created the upstream request (it has a socket). */
  onProxyReq(proxyReq: ClientRequest): void {
    this.proxyReq = proxyReq;
    if (this.clientGone || this.finished) {
      proxyReq.destroy();
      return;
    }
    // An idle timer, not a total one: a long stream that keeps sending is never cut.
    proxyReq.setTimeout(this.ctx.settings.upstreamIdleTimeoutMs, () => {
      this.timedOut = true;
      proxyReq.destroy(new Error(`upstream sent nothing for ${this.ctx.settings.upstreamIdleTimeoutMs} ms`));
    });
  }

  onProxyRes(proxyRes: IncomingMessage): void {
    const { res, ctx } = this;
    this.proxyRes = proxyRes;
    if (this.clientGone || this.finished) {
      proxyRes.destroy();
      return;
    }
    const status = proxyRes.statusCode ?? 502;
    this.status = status;
    this.responseBytes = 0;
    const contentType = firstHeader(proxyRes.headers['content-type']) ?? null;
    const ok = status >= 200 && status < 300;
    this.responseStreamed =
      (contentType !== null && STREAM_TYPES.test(contentType)) || (ok && this.info?.stream === true);
    this.responseHeaders = ctx.redact(proxyRes.headers);
    const inspection = this.inspection;
    const streamed = this.responseStreamed;
    const observer = inspection.run(
      'usage',
      () => createResponseObserver(this.format, { streaming: streamed, contentType }),
      null,
    );
    this.observer = observer;
    // The observer is fed from the capture's decoder (after the client's bytes have left).
    const tap = inspection.run(
      'capture',
      () =>
        createResponseTap({
          contentEncoding: firstHeader(proxyRes.headers['content-encoding']),
          cap: ctx.settings.captureMaxBytes,
          onDecoded: (chunk) => {
            if (observer !== null) inspection.run('usage', () => observer.write(chunk), undefined);
            if (streamed) this.progress(false);
          },
        }),
      null,
    );
    this.tap = tap;

    const headers = forwardableResponseHeaders(proxyRes.headers);
    headers[CORRELATION_HEADER] = this.id;
    let sink: Writable = res;
    const encoding = firstHeader(proxyRes.headers['content-encoding']);
    if (
      this.injected &&
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
        filter.on('error', (error) => this.failInternal(error));
        filter.pipe(res);
        sink = filter;
      }
    }
    // Every header goes in this one call (the correlation id too, never res.setHeader): with
    // headers set beforehand, writeHead validates and copies each one through setHeader.
    res.writeHead(status, headers);
    // Streams: the client sees the headers when the upstream sends them, not with the first event.
    if (streamed) res.flushHeaders();

    proxyRes.on('data', (chunk: Buffer) => {
      const now = performance.now();
      this.firstByteAt ??= now;
      this.lastByteAt = now;
      this.responseBytes = (this.responseBytes ?? 0) + chunk.length;
      // The client's bytes leave first; the tee (decoding, usage parsing, capture) runs after,
      // so it never delays them (an SSE event's JSON was parsed before it was forwarded).
      const flowing = sink.write(chunk);
      if (tap !== null) inspection.run('capture', () => tap.write(chunk), undefined);
      if (!flowing) {
        proxyRes.pause();
        sink.once('drain', () => proxyRes.resume());
      }
    });
    proxyRes.on('end', () => {
      this.lastByteAt = performance.now();
      sink.end();
    });
    // Errors surface through 'close' with complete === false; the listener keeps them from throwing.
    proxyRes.on('error', () => undefined);
    proxyRes.on('close', () => {
      if (proxyRes.complete || this.clientGone || this.finished) return;
      const message = this.timedOut
        ? `upstream went silent mid-response (idle timeout ${ctx.settings.upstreamIdleTimeoutMs} ms)`
        : 'upstream connection closed before the response was complete';
      // Cut the client's response too, so it can tell the body is incomplete.
      res.destroy();
      void this.finish({ kind: 'upstream-broke', status, message });
    });
    res.once('finish', () => void this.finish({ kind: 'completed', status }));
  }

  /** http-proxy reports an error on the upstream request (or the request body). */
  onProxyError(error: NodeJS.ErrnoException): void {
    if (this.finished || this.clientGone) return;
    if (this.res.headersSent) {
      this.res.destroy();
      void this.finish({
        kind: 'upstream-broke',
        status: this.status ?? 502,
        message: `upstream failed mid-response: ${error.message}`,
      });
      return;
    }
    const status = this.timedOut || error.code === 'ETIMEDOUT' ? 504 : 502;
    const upstream = this.route?.upstream.name ?? 'upstream';
    const message = this.timedOut
      ? `${upstream} did not answer within ${this.ctx.settings.upstreamIdleTimeoutMs} ms`
      : `${upstream} unreachable: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' ');
    this.sendError(status, status === 504 ? 'upstream_timeout' : 'upstream_unreachable', message);
    void this.finish({ kind: 'upstream-unreachable', status, message });
  }

  /** A bug of ours while handling the response: the client gets a 502 or a cut response, the row says why. */
  failInternal(error: unknown): void {
    if (this.finished) return;
    const message = `proxy error: ${(error as Error).message}`;
    this.proxyRes?.destroy();
    this.proxyReq?.destroy();
    if (this.res.headersSent) {
      this.res.destroy();
      void this.finish({ kind: 'upstream-broke', status: this.status ?? 502, message });
    } else {
      this.sendError(502, 'proxy_error', message);
      void this.finish({ kind: 'upstream-unreachable', status: 502, message });
    }
  }

  private onClientClose(): void {
    if (this.res.writableFinished || this.finished) return;
    this.clientGone = true;
    // http-proxy's second pitfall: it only aborts the upstream on the request's 'aborted' event,
    // which Node 20 no longer emits once the request body has been read. Cancel it here, so the
    // upstream stops generating (and billing) tokens nobody will read.
    this.proxyRes?.destroy();
    this.proxyReq?.destroy();
    // Before the request is forwarded, run() notices clientGone itself.
    if (this.proxyReq === null && this.proxyRes === null && this.info === null) return;
    // A body still arriving fails too, and its failure says why: onUploadFailed logs it.
    if (this.uploading()) return;
    void this.finish({
      kind: 'client-aborted',
      status: this.res.headersSent ? this.status : null,
      message: this.res.headersSent ? 'client aborted mid-response' : 'client aborted before the response started',
    });
  }

  /** The client failed while the body it sent beyond the read-ahead was streaming to the upstream. */
  private onUploadFailed(message: string): void {
    if (this.finished) return;
    this.clientGone = true;
    this.proxyRes?.destroy();
    this.proxyReq?.destroy();
    void this.finish({ kind: 'client-aborted', status: this.res.headersSent ? this.status : null, message });
  }

  /** Cuts the request (stop() ran out of patience). */
  abort(message: string): void {
    if (this.finished) return;
    this.proxyRes?.destroy();
    this.proxyReq?.destroy();
    const status = this.res.headersSent ? this.status : null;
    this.res.destroy();
    void this.finish({ kind: 'proxy-stopped', status, message });
  }

  private reject(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Promise<void> {
    this.sendError(status, code, message, extra);
    return this.finish({ kind: 'rejected', status, message });
  }

  private sendError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.status = status;
    // Shaped like OpenAI's and Anthropic's error bodies so SDKs surface the message.
    const body = JSON.stringify({ type: 'error', error: { type: 'inspector_error', code, message, ...extra } });
    this.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      [CORRELATION_HEADER]: this.id,
    });
    this.res.end(body);
  }

  private progress(final: boolean): void {
    const observer = this.observer;
    if (observer === null) return;
    this.inspection.run('progress', () => this.publishProgress(observer, final), undefined);
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
    this.ctx.events.requestProgress({
      id: this.id,
      events: p.events,
      outputTokens: p.outputTokens,
      textDelta: p.textDelta,
      newEvents: p.newEvents,
    });
  }

  private async finish(outcome: Outcome): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const endedAt = performance.now();
    const inspection = this.inspection;
    try {
      // A failed capture also starved the observer it feeds: neither result is whole.
      const tap = inspection.hasFailed('capture') ? null : this.tap;
      const tapped = tap === null ? null : await tap.end();
      if (this.responseStreamed) this.progress(true);
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
      const route = this.route;
      const input: RecordInput = {
        outcome,
        usage,
        tapped,
        id: this.id,
        timestamp: this.timestamp,
        method: this.req.method ?? 'GET',
        path: this.loggedPath,
        upstream: route?.upstream ?? null,
        info: this.info,
        policy: this.policy,
        streamed: this.responseStreamed,
        requestHeaders: this.ctx.redact(this.clientHeaders),
        responseHeaders: this.responseHeaders,
        requestBody:
          this.streamedBodyBytes === null ? this.requestBody : { ...this.requestBody, bytes: this.streamedBodyBytes() },
        responseBytes: this.responseBytes,
        timings: {
          latencyMs: endedAt - this.startedAt,
          ttfbMs:
            this.firstByteAt === null
              ? this.res.headersSent
                ? endedAt - this.startedAt
                : null
              : this.firstByteAt - this.startedAt,
          streamDurationMs:
            this.responseStreamed && this.firstByteAt !== null && this.lastByteAt !== null
              ? this.lastByteAt - this.firstByteAt
              : null,
        },
      };
      // Row building reads usage, estimates tokens and prices them: inspection too. Failing, the
      // row keeps the outcome, the request's facts and the capture, without usage, tokens or cost.
      const record = inspection.run('row', () => buildRecord(input), null) ?? buildRecord({ ...input, usage: null });
      record.errorMessage = withNotes(record.errorMessage, inspection.summary());
      this.ctx.sink.enqueue(record);
    } catch (error) {
      // Never lose the row over a bug in record building: log the bare facts instead.
      this.ctx.sink.enqueue(
        buildRecord({
          outcome: {
            kind: 'proxy-stopped',
            status: this.status,
            message: `proxy error while logging: ${(error as Error).message}`,
          },
          usage: null,
          tapped: null,
          id: this.id,
          timestamp: this.timestamp,
          method: this.req.method ?? 'GET',
          path: this.loggedPath,
          upstream: this.route?.upstream ?? null,
          info: null,
          policy: this.policy,
          streamed: false,
          requestHeaders: {},
          responseHeaders: null,
          requestBody: { text: null, truncated: false, bytes: null },
          responseBytes: null,
          timings: { latencyMs: endedAt - this.startedAt, ttfbMs: null, streamDurationMs: null },
        }),
      );
    } finally {
      if (this.started) this.ctx.events.requestFinished({ id: this.id });
      this.resolveDone();
    }
  }
}
