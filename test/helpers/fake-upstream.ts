/**
 * A fake LLM API on 127.0.0.1 for tests and benchmarks: a real HTTP server that answers the
 * way OpenAI (chat, completions, responses), Anthropic messages, Gemini and Ollama do, streamed
 * or not, and records what it received.
 *
 *   const upstream = await startFakeUpstream();
 *   // point a client at upstream.url (or a proxy whose upstream is upstream.url) ...
 *   upstream.requests[0].json;                  // what arrived
 *   await upstream.requests[0].closed;          // { clientDisconnected } once the response ended
 *   await upstream.close();
 *
 * Behaviour: `startFakeUpstream(defaults)`, `upstream.behave(b)` for later requests, or per
 * request with the header `x-fake-behaviour: {"status":500}` (JSON of FakeBehaviour).
 *
 * Routes: [/v1]/chat/completions, [/v1]/completions, [/v1]/responses, [/v1]/messages,
 * /v1beta/models/M:generateContent, /v1beta/models/M:streamGenerateContent[?alt=sse], /api/chat,
 * /api/generate, POST /echo (answers the request body), GET /bytes?n=N (N bytes of text).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { createBrotliCompress, createDeflate, createGzip, constants as zlib } from 'node:zlib';
import {
  errorBody,
  jsonBody,
  streamBody,
  type FakeBody,
  type FakeFormat,
  type FakeToolCall,
  type FakeUsage,
} from './fake-upstream-bodies';

export type { FakeFormat, FakeToolCall, FakeUsage } from './fake-upstream-bodies';

export interface FakeBehaviour {
  /** Non-2xx answers with an error body in the format's shape. */
  status?: number;
  errorMessage?: string;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Wait between streamed pieces (SSE events, NDJSON lines). */
  chunkDelayMs?: number;
  compress?: 'gzip' | 'br' | 'deflate';
  /** Streams: reset the connection (TCP RST) after this many pieces. */
  resetAfterChunks?: number;
  /** Write the body in pieces of this many bytes (each flushed separately, chunkDelayMs apart). */
  splitBytes?: number;
  /** Assistant text; split at spaces into stream deltas. */
  reply?: string;
  /** Repeat the reply this many times (long streams). */
  repeat?: number;
  /** Reported usage; null reports none. Default { input: 12, output: number of deltas }. */
  usage?: FakeUsage | null;
  /** Model reported in the response; default: the request's. */
  model?: string;
  /** Send a content-length header instead of chunked encoding (non-streamed bodies). */
  contentLength?: boolean;
  /** After the text, the reply calls this tool, in the format's shape. */
  toolCall?: FakeToolCall;
  /** Answer any route with exactly these bytes, written piece by piece (chunkDelayMs apart). */
  raw?: { contentType: string; pieces: (string | Buffer)[] };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
  /** Remote port of the TCP connection: equal values mean a reused (keep-alive) connection. */
  remotePort: number;
  /** Resolves when the response is over; clientDisconnected: the client left before it ended. */
  closed: Promise<{ clientDisconnected: boolean }>;
}

export interface FakeUpstream {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  behave(behaviour: FakeBehaviour): void;
  /** Resolves with the next request to arrive (or the n-th overall when given). */
  nextRequest(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function formatOf(method: string, path: string): FakeFormat | null {
  if (method !== 'POST') return null;
  if (path === '/api/chat') return 'ollama-chat';
  if (path === '/api/generate') return 'ollama-generate';
  if (/^(\/v1)?\/chat\/completions$/.test(path)) return 'openai-chat';
  if (/^(\/v1)?\/completions$/.test(path)) return 'openai-completions';
  if (/^(\/v1)?\/responses$/.test(path)) return 'openai-responses';
  if (/^(\/v1)?\/messages$/.test(path)) return 'anthropic-messages';
  if (/^\/v1(beta)?\/models\/[^/:]+:(generateContent|streamGenerateContent)$/.test(path)) return 'gemini';
  return null;
}

export async function startFakeUpstream(defaults: FakeBehaviour = {}): Promise<FakeUpstream> {
  let behaviour: FakeBehaviour = { ...defaults };
  const requests: ReceivedRequest[] = [];
  const waiters: ((r: ReceivedRequest) => void)[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  // A request whose body never arrives in full (the proxy cut it) fails its read: nothing to answer.
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let json: unknown;
    try {
      json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    const closed = new Promise<{ clientDisconnected: boolean }>((resolve) =>
      res.on('close', () => resolve({ clientDisconnected: !res.writableFinished })),
    );
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      json,
      remotePort: req.socket.remotePort ?? 0,
      closed,
    };
    requests.push(received);
    waiters.shift()?.(received);

    const header = req.headers['x-fake-behaviour'];
    const b: FakeBehaviour = {
      ...behaviour,
      ...(typeof header === 'string' ? (JSON.parse(header) as FakeBehaviour) : {}),
    };
    if (b.delayMs) await sleep(b.delayMs);
    if (res.destroyed) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    if (b.raw !== undefined) return send(res, b, b.raw, true);
    if (url.pathname === '/echo')
      return send(
        res,
        b,
        {
          contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
          pieces: [body.toString('utf8')],
        },
        false,
      );
    if (url.pathname === '/bytes')
      return send(
        res,
        b,
        { contentType: 'text/plain', pieces: ['x'.repeat(Number(url.searchParams.get('n') ?? '0'))] },
        false,
      );
    const format = formatOf(req.method ?? 'GET', url.pathname);
    if (format === null)
      return send(
        res,
        { ...b, status: 404 },
        errorBody('openai-chat', 404, `fake upstream: no route ${req.method} ${url.pathname}`),
        false,
      );
    const request = (json ?? {}) as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    const pathModel = /models\/([^/:]+):/.exec(url.pathname)?.[1];
    const model = b.model ?? request.model ?? pathModel ?? 'fake-model';
    const status = b.status ?? 200;
    if (status >= 300)
      return send(res, b, errorBody(format, status, b.errorMessage ?? `fake upstream error ${status}`), false);
    const reply = Array.from({ length: b.repeat ?? 1 }, () => b.reply ?? 'Hello from the fake upstream!').join(' ');
    const isGeminiStream = format === 'gemini' && url.pathname.endsWith(':streamGenerateContent');
    // Ollama streams unless told not to.
    const streaming =
      isGeminiStream || (format.startsWith('ollama') ? request.stream !== false : request.stream === true);
    const usage = b.usage === undefined ? { input: 12, output: reply.split(/(?= )/).length } : b.usage;
    const spec = {
      format,
      model,
      reply,
      usage,
      includeUsage: request.stream_options?.include_usage === true,
      geminiArray: isGeminiStream && url.searchParams.get('alt') !== 'sse',
      toolCall: b.toolCall,
    };
    return send(res, b, streaming ? streamBody(spec) : jsonBody(spec), streaming);
  }

  async function send(res: ServerResponse, b: FakeBehaviour, body: FakeBody, streaming: boolean): Promise<void> {
    const headers: Record<string, string> = { 'content-type': body.contentType };
    if (streaming) headers['cache-control'] = 'no-cache';
    let out: Writable & { flush?: (kind?: number, cb?: () => void) => void } = res;
    if (b.compress !== undefined) {
      headers['content-encoding'] = b.compress;
      const z =
        b.compress === 'gzip' ? createGzip() : b.compress === 'deflate' ? createDeflate() : createBrotliCompress();
      z.pipe(res);
      out = z;
    } else if (b.contentLength === true && !streaming) {
      headers['content-length'] = String(body.pieces.reduce((n, p) => n + Buffer.byteLength(p), 0));
    }
    res.writeHead(b.status ?? 200, headers);
    if (streaming) res.flushHeaders();
    let pieces = body.pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
    if (b.splitBytes !== undefined && b.splitBytes > 0) {
      const all = Buffer.concat(pieces);
      pieces = [];
      for (let i = 0; i < all.length; i += b.splitBytes) pieces.push(all.subarray(i, i + b.splitBytes));
    }
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (b.resetAfterChunks !== undefined && i === b.resetAfterChunks) {
        res.socket?.resetAndDestroy();
        return;
      }
      if (i > 0 && b.chunkDelayMs) await sleep(b.chunkDelayMs);
      if (res.destroyed) return;
      out.write(pieces[i] ?? Buffer.alloc(0));
      // Compressed streams: flush so each event leaves now, as a real server's would.
      if (out !== res && (streaming || pieces.length > 1))
        out.flush?.(b.compress === 'br' ? zlib.BROTLI_OPERATION_FLUSH : zlib.Z_SYNC_FLUSH);
    }
    out.end();
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    behave(b) {
      behaviour = { ...b };
    },
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
