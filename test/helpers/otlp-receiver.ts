/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1 for tests: it decodes each request with the official
 * OpenTelemetry protobuf definitions (test/fixtures/opentelemetry-proto, loaded by protobufjs) or,
 * for http/json, the OTLP JSON mapping; never with the exporter's own code.
 *
 *   const receiver = await startOtlpReceiver();
 *   receiver.url                      // http://127.0.0.1:PORT (the exporter appends /v1/traces)
 *   receiver.fail(503)                // answer 503 until receiver.fail(null)
 *   await receiver.down(); await receiver.up()   // refuse connections, then listen on the same port
 *   await receiver.waitForSpans(n)
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

export type AttrValue = string | number | boolean | AttrValue[] | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** The proto's enum number: 3 is SPAN_KIND_CLIENT. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: { code: number; message: string };
  attributes: Record<string, AttrValue>;
  resource: Record<string, AttrValue>;
  scope: { name: string; version: string; schemaUrl: string };
}

export interface ReceivedRequest {
  contentType: string;
  contentEncoding: string | null;
  headers: IncomingMessage['headers'];
  spans: ReceivedSpan[];
}

export interface OtlpReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Every span accepted (answered 2xx), in arrival order. */
  spans: ReceivedSpan[];
  /** Answer every request with this status (its request is not counted as accepted); null: accept. */
  fail(status: number | null): void;
  /** Requests answered with an error so far. */
  failures: number;
  waitForSpans(n: number): Promise<void>;
  waitForFailures(n: number): Promise<void>;
  /** Stop listening (connections are refused) and cut open connections. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const PROTO_ROOT = join(import.meta.dirname, '../fixtures/opentelemetry-proto');
let requestType: Promise<protobuf.Type> | null = null;

function loadRequestType(): Promise<protobuf.Type> {
  requestType ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
    await root.load('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
    return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  })();
  return requestType;
}

type Obj = Record<string, unknown>;

/** AnyValue (protobufjs toObject or OTLP JSON) as a plain value; ints as numbers. */
function anyValue(v: Obj | undefined): AttrValue {
  if (!v) return null;
  if ('stringValue' in v) return v.stringValue as string;
  if ('boolValue' in v) return v.boolValue as boolean;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (((v.arrayValue as Obj).values as Obj[] | undefined) ?? []).map(anyValue);
  return null;
}

function attributes(list: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of (list as Obj[] | undefined) ?? []) out[kv.key as string] = anyValue(kv.value as Obj);
  return out;
}

/** Ids: protobufjs gives base64 (bytes: String), OTLP JSON gives hex. */
const hexId = (v: unknown, json: boolean): string | null => {
  if (typeof v !== 'string' || v === '') return null;
  return json ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex');
};

function spansOf(message: Obj, json: boolean): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of (message.resourceSpans as Obj[] | undefined) ?? []) {
    const resource = attributes((rs.resource as Obj | undefined)?.attributes);
    for (const ss of (rs.scopeSpans as Obj[] | undefined) ?? []) {
      const scope = (ss.scope as Obj | undefined) ?? {};
      for (const s of (ss.spans as Obj[] | undefined) ?? []) {
        const status = (s.status as Obj | undefined) ?? {};
        out.push({
          traceId: hexId(s.traceId, json)!,
          spanId: hexId(s.spanId, json)!,
          parentSpanId: hexId(s.parentSpanId, json),
          name: s.name as string,
          kind: Number(s.kind ?? 0),
          startTimeUnixNano: BigInt(s.startTimeUnixNano as string),
          endTimeUnixNano: BigInt(s.endTimeUnixNano as string),
          status: { code: Number(status.code ?? 0), message: (status.message as string | undefined) ?? '' },
          attributes: attributes(s.attributes),
          resource,
          scope: {
            name: (scope.name as string | undefined) ?? '',
            version: (scope.version as string | undefined) ?? '',
            schemaUrl: (ss.schemaUrl as string | undefined) ?? '',
          },
        });
      }
    }
  }
  return out;
}

async function decode(req: IncomingMessage, raw: Buffer): Promise<ReceivedRequest> {
  const encoding = req.headers['content-encoding'] ?? null;
  const body = encoding === 'gzip' ? gunzipSync(raw) : raw;
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/json')) {
    return {
      contentType,
      contentEncoding: encoding,
      headers: req.headers,
      spans: spansOf(JSON.parse(body.toString('utf8')) as Obj, true),
    };
  }
  const type = await loadRequestType();
  const message = type.toObject(type.decode(body), { longs: String, bytes: String, enums: Number }) as Obj;
  return { contentType, contentEncoding: encoding, headers: req.headers, spans: spansOf(message, false) };
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  await loadRequestType();
  let failWith: number | null = null;
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      if (ready()) return resolve();
      const check = () => {
        if (!ready()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });

  const receiver: OtlpReceiver = {
    url: '',
    port: 0,
    requests: [],
    spans: [],
    failures: 0,
    fail: (status) => void (failWith = status),
    waitForSpans: (n) => until(() => receiver.spans.length >= n),
    waitForFailures: (n) => until(() => receiver.failures >= n),
    down: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    up: async () => {
      server.listen(receiver.port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: () => receiver.down(),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        if (failWith !== null) {
          receiver.failures++;
          res.writeHead(failWith, { 'content-type': 'text/plain' }).end('receiver unavailable');
          notify();
          return;
        }
        try {
          const decoded = await decode(req, Buffer.concat(chunks));
          receiver.requests.push(decoded);
          receiver.spans.push(...decoded.spans);
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        } catch (e) {
          receiver.failures++;
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`undecodable: ${(e as Error).message}`);
        }
        notify();
      })();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}
