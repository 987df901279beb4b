// The proxy's listener: owns the http.Server, the http-proxy-3 instance and the pooled upstream
// agents, dispatches each request to an Exchange, and rebinds on reconfigure without dropping
// requests in flight.
import { EventEmitter } from 'node:events';
import { Agent as HttpAgent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import type { Settings } from '../contract/settings-schema';
import type { LogSink } from '../storage/log-store';
import type { CoreEventSink } from '../core-events';
import type { ProxyEvents } from './proxy-events';
import { Exchange } from './exchange';
import { InFlight } from './in-flight';
import type { ExchangeContext } from './exchange-context';
import { createRedactor } from './headers';
import { ResolvedNames, type NameLookup } from './loop-guard';
import { createRouter } from './router';
import type { BudgetGate } from './budget-guard';
import { isInspectorPath, serveInspector, type InspectorApi } from './inspector-endpoint';

export interface ProxyAddress {
  host: string;
  port: number;
}

export type ReconfigureResult = { ok: true; rebound: boolean } | { ok: false; message: string };

/**
 * Idle pooled sockets are dropped after this long, below the 5 s keep-alive timeout common
 * upstream servers (Node's default among them) use: reusing a socket the server is closing at
 * that moment fails the request with ECONNRESET. Active requests override it with their own
 * idle timer.
 */
const FREE_SOCKET_TIMEOUT_MS = 4000;

/**
 * The Exchange of each request, for http-proxy-3's events (which only hand back the request).
 * A property on the request, not a WeakMap: entries of a long-lived WeakMap survived V8's
 * minor GCs, so every Exchange, with the request, response and buffers it holds, was promoted
 * to the old generation and left to a full mark-compact. Measured with --trace-gc-nvp under
 * autocannon: 10.5 KB promoted per request and 99 ms of GC pauses per 1 000 requests with the
 * WeakMap; 0.07 KB and 19 ms with the property (a bare http-proxy: 0.02 KB and 18 ms).
 */
const EXCHANGE = Symbol('exchange');
type WithExchange = IncomingMessage & { [EXCHANGE]?: Exchange };
const exchangeOf = (req: IncomingMessage): Exchange | undefined => (req as WithExchange)[EXCHANGE];

export class ProxyServer {
  private readonly emitter = new EventEmitter();
  // Pooled upstream connections: without keep-alive every request pays a TCP (and TLS)
  // handshake; measured at 0.28x the throughput (ARCHITECTURE.md).
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, scheduling: 'lifo', timeout: FREE_SOCKET_TIMEOUT_MS }),
    https: new HttpsAgent({ keepAlive: true, scheduling: 'lifo', timeout: FREE_SOCKET_TIMEOUT_MS }),
  };
  private readonly proxy = createProxyServer({});
  private server: Server | null = null;
  /** Listeners still draining after a rebind; their ports still count as "own". */
  private readonly draining = new Set<Server>();
  private readonly inFlight = new InFlight<Exchange>();
  private ctx: ExchangeContext;
  private current: ProxyAddress | null = null;
  /** start() was called (even if its bind failed) and stop() wasn't: reconfigure may bind. */
  private wanted = false;

  private readonly inspector: InspectorApi | null;

  /** Upstream and listen host names as resolved when settings were applied, for the loop guard. */
  private readonly names: ResolvedNames;

  constructor(
    private settings: Settings,
    private readonly sink: LogSink,
    /** Where requestStarted, requestProgress and requestFinished go, as the contract names them. */
    private readonly events: CoreEventSink = { emit: () => {} },
    private readonly options: { lookup?: NameLookup; budget?: BudgetGate; inspector?: InspectorApi } = {},
  ) {
    this.names = new ResolvedNames(options.lookup);
    this.inspector = options.inspector ?? null;
    this.ctx = this.makeContext(settings);
    // Guarded: these run inside http-proxy-3's socket/response callbacks, where a throw (e.g. an
    // upstream status writeHead refuses) would take the whole process down.
    const guarded = (req: IncomingMessage, fn: (exchange: Exchange) => void) => {
      const exchange = exchangeOf(req);
      if (exchange === undefined) return;
      try {
        fn(exchange);
      } catch (error) {
        exchange.failInternal(error);
      }
    };
    this.proxy.on('proxyReq', (proxyReq, req) => guarded(req, (e) => e.onProxyReq(proxyReq)));
    this.proxy.on('proxyRes', (proxyRes, req) => guarded(req, (e) => e.onProxyRes(proxyRes)));
    // Emitted instead of the callback when the client's socket is already gone; the exchange
    // has seen that through the response's 'close'. The listener keeps it from being unhandled.
    this.proxy.on('econnreset', () => undefined);
    this.proxy.on('error', (error, req) => exchangeOf(req as IncomingMessage)?.onProxyError(error));
  }

  on<E extends keyof ProxyEvents>(event: E, listener: ProxyEvents[E]): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  address(): ProxyAddress | null {
    return this.current;
  }

  /** Requests being proxied right now. */
  inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Resolves once no request is in flight (every record so far handed to the sink). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.list().map((exchange) => exchange.done));
  }

  async start(): Promise<ProxyAddress> {
    if (this.server !== null) throw new Error('proxy already started');
    this.wanted = true;
    const [{ server, address }] = await Promise.all([
      this.listen(this.settings.host, this.settings.port),
      this.resolveNames(this.settings),
    ]);
    this.server = server;
    this.current = address;
    this.refreshOwnAddress();
    this.emitter.emit('listening', address);
    return address;
  }

  /**
   * Applies new settings. Requests in flight keep the settings they started with. A new host or
   * port binds the new listener first; if that fails the old one keeps serving and nothing changes.
   */
  async reconfigure(settings: Settings): Promise<ReconfigureResult> {
    // Also binds when start() failed earlier (e.g. its port was taken) and the port is now fixed.
    const rebind =
      this.wanted &&
      (this.server === null || settings.host !== this.settings.host || settings.port !== this.settings.port);
    if (rebind) {
      let bound: { server: Server; address: ProxyAddress };
      try {
        bound = await this.listen(settings.host, settings.port);
      } catch (error) {
        return { ok: false, message: describeBindError(error, settings.host, settings.port) };
      }
      const old = this.server;
      this.server = bound.server;
      this.current = bound.address;
      if (old !== null) void this.retire(old);
      this.refreshOwnAddress();
    }
    await this.resolveNames(settings);
    this.settings = settings;
    this.ctx = this.makeContext(settings);
    if (rebind && this.current !== null) this.emitter.emit('listening', this.current);
    return { ok: true, rebound: rebind };
  }

  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts the rest
   * (each still gets its row). Resolves when every record has been handed to the sink.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.wanted = false;
    const servers = [...this.draining, ...(this.server === null ? [] : [this.server])];
    this.server = null;
    this.current = null;
    const closed = servers.map((server) => this.closeServer(server));
    const pending = this.inFlight.list().map((exchange) => exchange.done);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(pending), timeout]);
    clearTimeout(timer);
    for (const exchange of this.inFlight.list()) exchange.abort('proxy stopped while the request was in flight');
    await Promise.all(this.inFlight.list().map((exchange) => exchange.done));
    for (const server of servers) server.closeAllConnections();
    await Promise.all(closed);
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.proxy.close();
  }

  private makeContext(settings: Settings): ExchangeContext {
    const events = this.events;
    return {
      settings,
      router: createRouter(settings.upstreams),
      redact: createRedactor(settings.redactHeaders),
      sink: this.sink,
      events: {
        requestStarted: (event) => events.emit('requestStarted', event),
        requestProgress: (event) => events.emit('requestProgress', event),
        requestFinished: (event) => events.emit('requestFinished', event),
      },
      budget: this.options.budget,
      ownAddress: () => this.ownAddress(),
      addressesOf: this.names.addressesOf,
      forward: (req, res, opts) => {
        const agent = opts.target.protocol === 'https:' ? this.agents.https : this.agents.http;
        this.proxy.web(
          req,
          res,
          {
            target: opts.target,
            agent,
            buffer: opts.buffer,
            changeOrigin: true,
            // req.url is already the full upstream path (base + rest, with query). toProxy takes it
            // as it is; otherwise http-proxy-3 re-parses it as a WHATWG URL, which resolves dot
            // segments and re-encodes characters the client sent. prependPath: false keeps the
            // target from contributing a path of its own.
            toProxy: true,
            prependPath: false,
            selfHandleResponse: true,
            // Streams may run for many minutes; the exchange sets an idle timer instead.
            proxyTimeout: 0,
          },
          (error) => opts.exchange.onProxyError(error as NodeJS.ErrnoException),
        );
      },
    };
  }

  /** Resolves the names the loop guard compares, so requests never wait on DNS (see loop-guard.ts). */
  private resolveNames(settings: Settings): Promise<void> {
    return this.names.refresh([settings.host, ...settings.upstreams.map((u) => new URL(u.baseUrl).hostname)]);
  }

  /** Recomputed when listeners change, not per request (server.address() is a syscall). */
  private own: { host: string; ports: number[] } = { host: '', ports: [] };

  private refreshOwnAddress(): void {
    const ports: number[] = [];
    for (const server of [this.server, ...this.draining]) {
      const address = server?.address();
      if (address !== null && typeof address === 'object') ports.push(address.port);
    }
    this.own = { host: this.current?.host ?? this.settings.host, ports };
  }

  private ownAddress(): { host: string; ports: number[] } {
    return this.own;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // The reserved prefix is the inspector's own API: answered here, never forwarded or logged.
    if (isInspectorPath(req.url)) return void serveInspector(req, res, this.settings, this.inspector);
    const exchange = new Exchange(req, res, this.ctx);
    (req as WithExchange)[EXCHANGE] = exchange;
    this.inFlight.add(exchange);
    void exchange.done.then(() => this.inFlight.delete(exchange));
    exchange.run().catch((error: unknown) => exchange.failInternal(error));
  }

  private listen(host: string, port: number): Promise<{ server: Server; address: ProxyAddress }> {
    const server = createServer((req, res) => this.handle(req, res));
    // Long non-streamed answers (minutes) must not be cut by Node's defaults; the exchange
    // enforces an upstream idle timeout instead.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 65_000;
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        server.on('error', () => undefined);
        const info = server.address() as AddressInfo;
        resolve({ server, address: { host, port: info.port } });
      });
    });
  }

  private async retire(server: Server): Promise<void> {
    this.draining.add(server);
    this.refreshOwnAddress();
    await this.closeServer(server);
    this.draining.delete(server);
    this.refreshOwnAddress();
  }

  private closeServer(server: Server): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive sockets would hold close() open until they time out.
      server.closeIdleConnections();
    });
  }
}

function describeBindError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `${code ?? 'bind failed'} ${host}:${port}: ${(error as Error).message}`;
}
