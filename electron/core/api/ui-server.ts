// Headless UI: serves the built renderer and the API WebSocket on one port.
// Any web page the user visits can reach loopback and open a WebSocket (CORS doesn't apply), and
// DNS rebinding can make a foreign page look same-origin. Hence three checks: Host on every
// request (defeats rebinding), Origin on upgrades (defeats cross-site sockets), and a random
// per-run token on upgrades (defeats anything that gets past both). Anything else: 403.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { WebSocketServer } from 'ws';
import type { ApiCore } from './core-port';
import { createDispatcher } from './dispatcher';
import { createEventHub, type EventHubOptions, type EventSink } from './event-hub';
import { createHandlers, type HandlerHost } from './handlers';
import { serveStatic } from './static-files';
import { serveConnection } from './ws-connection';
import { MAX_MESSAGE_BYTES, TOKEN_PARAM, WS_PATH } from '../contract/ws-protocol';

export interface UiServerOptions {
  host?: string;
  port?: number;
  /** The built renderer (index.html + assets). */
  staticDir: string;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  /** Extra `host:port` names to accept in Host, for a user who binds beyond loopback on purpose. */
  allowedHosts?: string[];
  handlerHost?: HandlerHost;
  hub?: EventHubOptions;
  onError?: (err: unknown) => void;
}

export interface UiServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Sends an event to every connected page. */
  broadcast: EventSink;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Host names a browser may legitimately use for this server. A wildcard bind (0.0.0.0, ::) is
 * reached by one of this machine's addresses; the user chose to expose it, the token still guards it.
 */
function namesFor(host: string, bracketed: string): string[] {
  if (['127.0.0.1', 'localhost', '::1'].includes(host)) return LOOPBACK_NAMES;
  if (host !== '0.0.0.0' && host !== '::') return [bracketed];
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address));
  return [...LOOPBACK_NAMES, ...addresses, hostname()];
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startUiServer(core: ApiCore, options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const onError = options.onError ?? ((err) => console.error('ui server:', err));
  const hub = createEventHub(core.events, options.hub);
  const dispatch = createDispatcher(createHandlers(core, options.handlerHost), onError);
  let allowedHosts = new Set<string>();

  const hostAllowed = (req: IncomingMessage) => allowedHosts.has((req.headers.host ?? '').toLowerCase());
  const originAllowed = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (!origin) return false;
    try {
      const url = new URL(origin);
      return url.protocol === 'http:' && allowedHosts.has(url.host.toLowerCase());
    } catch {
      return false;
    }
  };

  const server = createServer((req, res) => {
    if (!hostAllowed(req)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: unexpected Host header.\n');
      return;
    }
    serveStatic(options.staticDir, req, res).catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error.\n');
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  // Frames above the hard limit close the socket (ws answers 1009); between the soft and hard
  // limits the client gets a payload_too_large reply and keeps its connection.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES * 4 });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (why: string) => {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    };
    if (url.pathname !== WS_PATH) return refuse('Not a WebSocket endpoint.');
    if (!hostAllowed(req)) return refuse('Unexpected Host header.');
    if (!originAllowed(req)) return refuse('Unexpected Origin.');
    if (!sameSecret(url.searchParams.get(TOKEN_PARAM), token)) return refuse('Missing or wrong token.');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, hub, dispatch));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', onError);
  const port = (server.address() as AddressInfo).port;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set(
    [...namesFor(host, bracketed), ...(options.allowedHosts ?? [])].map((h) =>
      (h.includes(':') && !h.startsWith('[') ? h : `${h}:${port}`).toLowerCase(),
    ),
  );
  const url = `http://${bracketed}:${port}/?${TOKEN_PARAM}=${token}`;

  return {
    url,
    host,
    port,
    token,
    broadcast: hub.broadcast,
    async close() {
      hub.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
