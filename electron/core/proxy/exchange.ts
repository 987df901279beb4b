// One request's life through the proxy: checks, routing, body inspection, forwarding through
// http-proxy-3, the response relay (response-relay.ts), and exactly one LogRecord at the end,
// whatever happened. Where the exchange is lives in one field, `phase`; each phase carries what
// became known in it, so a handler can only reach what exists at that point.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CORRELATION_HEADER, POLICY_HEADER, firstHeader, forwardableRequestHeaders, redactPath } from './headers';
import { newCorrelationId } from './correlation-id';
import type { Outcome } from './outcome';
import type { ExchangeContext } from './exchange-context';
import { Inspection, withNotes } from './inspection';
import { isoTimestamp } from './iso-now';
import { buildRecord, type RecordInput } from './record';
import { readRequestBody } from './request-body';
import { injectKey, pickPolicy, upstreamBody } from './request-prep';
import { ResponseRelay } from './response-relay';
import { budgetRefusal, type BudgetRefusal } from './budget-guard';
import { isOwnAddress } from './loop-guard';
import type { InFlightMember } from './in-flight';
import { fetchSiteAllowed, hostAllowed, originAllowed, type Route } from './router';
import {
  detectFormat,
  injectStreamUsage,
  inspectRequest,
  promptOfBody,
  type ApiFormat,
  type RequestInfo,
} from './usage';

/**
 * Bodies up to this size are read before forwarding even when the capture cap is smaller, so the model and
 * prompt are known.
 */
const MIN_INSPECT_BYTES = 64 * 1024;

/** What the proxy knows of a request whose inspection failed. */
const UNREAD_REQUEST: RequestInfo = { model: null, stream: false, promptText: '' };

interface BodyFacts {
  text: string | null;
  truncated: boolean;
  bytes: number | null;
}

const NO_BODY: BodyFacts = { text: null, truncated: false, bytes: null };

/** What is known of the request once its body (or its first part) has been read. */
interface ReadRequest {
  info: RequestInfo;
  policy: string | null;
  body: BodyFacts;
  /** A body too large to read before forwarding: its size so far, counted as it streams through. */
  streamedBytes: (() => number) | null;
  /** Such a body is still arriving from the client. */
  uploading: () => boolean;
  /** include_usage was added to the request. */
  injected: boolean;
}

/** The upstream request http-proxy-3 makes; shared by the forwarding and relaying phases. */
interface Upstream {
  req: ClientRequest | null;
  /** Its idle timer fired. */
  timedOut: boolean;
}

type Phase =
  /** Origin, Host, route and loop checks; `route` once the path is routed. */
  | { name: 'checking'; route: Route | null }
  /** Routed; the body is being read. `body` says what was received when the read failed. */
  | { name: 'reading'; route: Route; format: ApiFormat; body: BodyFacts }
  /** Handed to http-proxy-3 (requestStarted sent); waiting for the upstream's head. */
  | { name: 'forwarding'; route: Route; format: ApiFormat; request: ReadRequest; upstream: Upstream }
  /** The upstream answered; its response is being relayed to the client. */
  | {
      name: 'relaying';
      route: Route;
      format: ApiFormat;
      request: ReadRequest;
      upstream: Upstream;
      relay: ResponseRelay;
    }
  /** The row is being built or was built; nothing else happens. */
  | { name: 'finished' };

export class Exchange implements InFlightMember {
  readonly id: string;
  inFlightSlot = -1;
  private readonly timestamp = isoTimestamp();
  private readonly startedAt = performance.now();
  private readonly loggedPath: string;
  private phase: Phase = { name: 'checking', route: null };
  /** The client closed its connection; orthogonal to the phase (it can happen in any of them). */
  private clientGone = false;
  /** Every step that reads rather than carries this exchange runs through it (see inspection.ts). */
  private readonly inspection = new Inspection();
  /** Resolves once the record has been handed to the sink. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
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
        `requests from origin ${String(req.headers.origin)} are ` +
          `refused; add it to allowedOrigins in the settings to allow it`,
      );
    }
    const fetchSite = firstHeader(req.headers['sec-fetch-site']);
    if (!fetchSiteAllowed(fetchSite, origin)) {
      return this.reject(
        403,
        'origin_not_allowed',
        `a request from another web page without an Origin header is refused (Sec-Fetch-Site: ` +
          `${fetchSite}); pages in allowedOrigins may call the proxy with fetch(), which sends Origin`,
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
    this.phase = { name: 'checking', route };
    if (isOwnAddress(route.target, ctx.ownAddress(), ctx.addressesOf)) {
      return this.reject(
        508,
        'loop_detected',
        `upstream ${route.upstream.name} points back at this proxy (${route.target.host})`,
      );
    }
    const format = detectFormat(req.method ?? 'GET', route.rest);
    this.phase = { name: 'reading', route, format, body: NO_BODY };

    const read = await readRequestBody(req, Math.max(settings.captureMaxBytes, MIN_INSPECT_BYTES));
    // stop() may have cut this request while its body was arriving; it already has its row.
    if (this.isFinished()) return;
    if (read.kind === 'aborted') {
      this.phase = { name: 'reading', route, format, body: { text: null, truncated: true, bytes: read.received } };
      return this.finish({ kind: 'client-aborted', status: null, message: read.message });
    }
    let body = read.kind === 'complete' ? read.body : read.prefix;
    // Decoded once: inspection reads all of it, the log keeps it whole when it fits the cap.
    const text = body.length === 0 ? null : body.toString('utf8');
    const headerPolicy = firstHeader(req.headers[POLICY_HEADER]);
    // The prompt is read here only for a rule to look in; a row that must estimate tokens reads it later.
    const rulesRead = settings.policyRules.length > 0 && (headerPolicy?.trim() ?? '') === '';
    const { info, policy } = this.inspection.run(
      'request',
      () => {
        const info = inspectRequest(format, route.rest, text, rulesRead);
        return { info, policy: pickPolicy(headerPolicy, info.promptText, settings.policyRules) };
      },
      { info: UNREAD_REQUEST, policy: pickPolicy(headerPolicy, '', []) },
    );
    const cap = settings.captureMaxBytes;
    const request: ReadRequest = {
      info,
      policy,
      body: {
        text: text === null ? null : body.length <= cap ? text : body.subarray(0, cap).toString('utf8'),
        truncated: read.kind === 'partial' || body.length > cap,
        bytes: read.kind === 'complete' ? body.length : null,
      },
      streamedBytes: read.kind === 'partial' ? read.received : null,
      uploading: read.kind === 'partial' ? read.uploading : () => false,
      injected: false,
    };
    if (read.kind === 'partial') void read.aborted.then((message) => this.onUploadFailed(message));
    this.phase = { name: 'forwarding', route, format, request, upstream: { req: null, timedOut: false } };
    ctx.events.requestStarted({
      id: this.id,
      timestamp: this.timestamp,
      method: req.method ?? 'GET',
      path: this.loggedPath,
      provider: route.upstream.name,
      model: info.model ?? '',
      policy,
      streaming: info.stream,
    });
    if (this.clientGone)
      return this.finish({
        kind: 'client-aborted',
        status: null,
        message: 'client closed the connection before the request was forwarded',
      });
    // The hard cap: a request under a budget that is used up never reaches the upstream.
    const overBudget = ctx.budget?.exceeded(route.upstream.name, policy) ?? null;
    if (overBudget !== null) return this.refuse(budgetRefusal(overBudget, format));

    const headers = forwardableRequestHeaders(req.headers);
    if (read.kind === 'complete' && settings.injectStreamUsage && info.stream) {
      const rewritten = this.inspection.run(
        'include_usage',
        () => injectStreamUsage(format, body, text ?? undefined),
        null,
      );
      if (rewritten !== null) {
        body = rewritten;
        request.injected = true;
        // The usage-chunk filter works on plain text, so ask for an uncompressed stream.
        headers['accept-encoding'] = 'identity';
      }
    }
    if (read.kind === 'complete') {
      if (body.length > 0 || headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    }
    Object.assign(headers, route.upstream.headers ?? {});
    if (route.upstream.apiKey !== undefined) injectKey(headers, route.upstream, format);
    // http-proxy-3 copies req.headers and req.url into the upstream request; setting them here,
    // before it builds that request, avoids racing its 'proxyReq' event against the body write.
    const target = route.target;
    req.headers = headers as IncomingMessage['headers'];
    req.url = target.path;
    const buffer = upstreamBody(read.kind === 'complete' ? body : read.stream, target.path);
    ctx.forward(req, this.res, {
      target: {
        protocol: target.protocol,
        host: target.hostname,
        hostname: target.bareHostname,
        port: target.portNumber,
      },
      buffer,
      exchange: this,
    });
  }

  /** http-proxy-3 created the upstream request (it has a socket). */
  onProxyReq(proxyReq: ClientRequest): void {
    const phase = this.phase;
    if (phase.name !== 'forwarding' || this.clientGone) {
      proxyReq.destroy();
      return;
    }
    const upstream = phase.upstream;
    upstream.req = proxyReq;
    // An idle timer, not a total one: a long stream that keeps sending is never cut.
    proxyReq.setTimeout(this.ctx.settings.upstreamIdleTimeoutMs, () => {
      upstream.timedOut = true;
      proxyReq.destroy(new Error(`upstream sent nothing for ${this.ctx.settings.upstreamIdleTimeoutMs} ms`));
    });
  }

  onProxyRes(proxyRes: IncomingMessage): void {
    const phase = this.phase;
    if (phase.name !== 'forwarding' || this.clientGone) {
      proxyRes.destroy();
      return;
    }
    const { ctx, inspection } = this;
    let relay: ResponseRelay;
    try {
      relay = new ResponseRelay(proxyRes, {
        id: this.id,
        format: phase.format,
        requestedStream: phase.request.info.stream,
        injected: phase.request.injected,
        captureMaxBytes: ctx.settings.captureMaxBytes,
        inspection,
        redact: ctx.redact,
        publishProgress: (event) => ctx.events.requestProgress(event),
        onDelivered: () => void this.finish({ kind: 'completed', status: relay.status }),
        onUpstreamCut: () => this.onUpstreamCut(relay),
        onInternalError: (error) => this.failInternal(error),
      });
    } catch (error) {
      proxyRes.destroy();
      throw error;
    }
    this.phase = { ...phase, name: 'relaying', relay };
    relay.begin(this.res);
  }

  /** http-proxy-3 reports an error on the upstream request (or the request body). */
  onProxyError(error: NodeJS.ErrnoException): void {
    const phase = this.phase;
    if (phase.name === 'finished' || this.clientGone) return;
    if (this.res.headersSent) {
      this.res.destroy();
      void this.finish({
        kind: 'upstream-broke',
        status: this.relayStatus() ?? 502,
        message: `upstream failed mid-response: ${error.message}`,
      });
      return;
    }
    const timedOut = (phase.name === 'forwarding' || phase.name === 'relaying') && phase.upstream.timedOut;
    const status = timedOut || error.code === 'ETIMEDOUT' ? 504 : 502;
    const upstream = phase.route?.upstream.name ?? 'upstream';
    const message = timedOut
      ? `${upstream} did not answer within ${this.ctx.settings.upstreamIdleTimeoutMs} ms`
      : `${upstream} unreachable: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' ');
    this.sendError(status, status === 504 ? 'upstream_timeout' : 'upstream_unreachable', message);
    void this.finish({ kind: 'upstream-unreachable', status, message });
  }

  /** A bug of ours while handling the response: the client gets a 502 or a cut response, the row says why. */
  failInternal(error: unknown): void {
    if (this.isFinished()) return;
    const message = `proxy error: ${(error as Error).message}`;
    this.cutUpstream();
    if (this.res.headersSent) {
      this.res.destroy();
      void this.finish({ kind: 'upstream-broke', status: this.relayStatus() ?? 502, message });
    } else {
      this.sendError(502, 'proxy_error', message);
      void this.finish({ kind: 'upstream-unreachable', status: 502, message });
    }
  }

  /** Cuts the request (stop() ran out of patience). */
  abort(message: string): void {
    if (this.isFinished()) return;
    this.cutUpstream();
    const status = this.res.headersSent ? this.relayStatus() : null;
    this.res.destroy();
    void this.finish({ kind: 'proxy-stopped', status, message });
  }

  /** The upstream's response closed before it was complete. */
  private onUpstreamCut(relay: ResponseRelay): void {
    const phase = this.phase;
    if (phase.name !== 'relaying' || this.clientGone) return;
    const message = phase.upstream.timedOut
      ? `upstream went silent mid-response (idle timeout ${this.ctx.settings.upstreamIdleTimeoutMs} ms)`
      : 'upstream connection closed before the response was complete';
    // Cut the client's response too, so it can tell the body is incomplete.
    this.res.destroy();
    void this.finish({ kind: 'upstream-broke', status: relay.status, message });
  }

  private onClientClose(): void {
    const phase = this.phase;
    if (this.res.writableFinished || phase.name === 'finished') return;
    this.clientGone = true;
    // Cancel the upstream here, so it stops generating (and billing) tokens nobody will read.
    // Not left to the proxy library: http-proxy 1.x hooked the request's 'aborted' event, which
    // Node 20 no longer emits once the body has been read (test/core/proxy/pitfalls.test.ts).
    this.cutUpstream();
    // Before the request is forwarded, run() notices clientGone itself.
    if (phase.name === 'checking' || phase.name === 'reading') return;
    // A body still arriving fails too, and its failure says why: onUploadFailed logs it.
    if (phase.request.uploading()) return;
    void this.finish({
      kind: 'client-aborted',
      status: this.res.headersSent ? this.relayStatus() : null,
      message: this.res.headersSent ? 'client aborted mid-response' : 'client aborted before the response started',
    });
  }

  /** The client failed while the body it sent beyond the read-ahead was streaming to the upstream. */
  private onUploadFailed(message: string): void {
    if (this.isFinished()) return;
    this.clientGone = true;
    this.cutUpstream();
    void this.finish({
      kind: 'client-aborted',
      status: this.res.headersSent ? this.relayStatus() : null,
      message,
    });
  }

  private isFinished(): boolean {
    return this.phase.name === 'finished';
  }

  /** The upstream's status once its response is being relayed. */
  private relayStatus(): number | null {
    return this.phase.name === 'relaying' ? this.phase.relay.status : null;
  }

  /** Stops the upstream response and request, whichever exist. */
  private cutUpstream(): void {
    const phase = this.phase;
    if (phase.name === 'relaying') phase.relay.destroy();
    if (phase.name === 'forwarding' || phase.name === 'relaying') phase.upstream.req?.destroy();
  }

  private reject(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Promise<void> {
    this.sendError(status, code, message, extra);
    return this.finish({ kind: 'rejected', status, message });
  }

  /** Answers with a prepared error (its own body shape) instead of forwarding. */
  private refuse(r: BudgetRefusal): Promise<void> {
    if (!this.res.headersSent && !this.res.destroyed) {
      this.res.writeHead(r.status, {
        ...r.headers,
        'content-length': Buffer.byteLength(r.body),
        [CORRELATION_HEADER]: this.id,
      });
      this.res.end(r.body);
    }
    return this.finish({ kind: 'rejected', status: r.status, message: r.message });
  }

  private sendError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
    if (this.res.headersSent || this.res.destroyed) return;
    // Shaped like OpenAI's and Anthropic's error bodies so SDKs surface the message.
    const body = JSON.stringify({ type: 'error', error: { type: 'inspector_error', code, message, ...extra } });
    this.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      [CORRELATION_HEADER]: this.id,
    });
    this.res.end(body);
  }

  /** The request's prompt text for an estimate: read from the logged body, unless run() read it already. */
  private promptOf(last: Phase): string {
    if (last.name !== 'forwarding' && last.name !== 'relaying') return '';
    const { info, body } = last.request;
    if (info.promptText !== '' || this.inspection.hasFailed('request') || body.truncated || body.text === null)
      return info.promptText;
    return promptOfBody(last.format, body.text);
  }

  private async finish(outcome: Outcome): Promise<void> {
    const last = this.phase;
    if (last.name === 'finished') return;
    this.phase = { name: 'finished' };
    const endedAt = performance.now();
    const inspection = this.inspection;
    const route = last.route;
    const request = last.name === 'forwarding' || last.name === 'relaying' ? last.request : null;
    const relay = last.name === 'relaying' ? last.relay : null;
    try {
      const seen = relay === null ? { tapped: null, usage: null } : await relay.settle();
      const body = request?.body ?? (last.name === 'reading' ? last.body : NO_BODY);
      const firstByteAt = relay?.firstByteAt ?? null;
      const lastByteAt = relay?.lastByteAt ?? null;
      const input: RecordInput = {
        outcome,
        usage: seen.usage,
        tapped: seen.tapped,
        id: this.id,
        timestamp: this.timestamp,
        method: this.req.method ?? 'GET',
        path: this.loggedPath,
        upstream: route?.upstream ?? null,
        info: request?.info ?? null,
        prompt: () => this.promptOf(last),
        policy: request?.policy ?? null,
        streamed: relay?.streamed ?? false,
        requestHeaders: this.ctx.redact(this.clientHeaders),
        responseHeaders: relay?.headers ?? null,
        requestBody: request?.streamedBytes == null ? body : { ...body, bytes: request.streamedBytes() },
        responseBytes: relay?.bytes ?? null,
        timings: {
          latencyMs: endedAt - this.startedAt,
          ttfbMs:
            firstByteAt === null
              ? this.res.headersSent
                ? endedAt - this.startedAt
                : null
              : firstByteAt - this.startedAt,
          streamDurationMs:
            relay?.streamed === true && firstByteAt !== null && lastByteAt !== null ? lastByteAt - firstByteAt : null,
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
            status: outcome.status,
            message: `proxy error while logging: ${(error as Error).message}`,
          },
          usage: null,
          tapped: null,
          id: this.id,
          timestamp: this.timestamp,
          method: this.req.method ?? 'GET',
          path: this.loggedPath,
          upstream: route?.upstream ?? null,
          info: null,
          policy: request?.policy ?? null,
          streamed: false,
          requestHeaders: {},
          responseHeaders: null,
          requestBody: NO_BODY,
          responseBytes: null,
          timings: { latencyMs: endedAt - this.startedAt, ttfbMs: null, streamDurationMs: null },
        }),
      );
    } finally {
      // requestStarted went out when the request was forwarded.
      if (request !== null) this.ctx.events.requestFinished({ id: this.id });
      this.resolveDone();
    }
  }
}
