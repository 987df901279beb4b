// One logged request → one GenAI client span, in the shape the official OTLP serializers take
// (@opentelemetry/sdk-trace's ReadableSpan). Pure: the same row always gives the same span, ids
// included, so sending it twice (a retry, a restart, the CLI over a copy of the log) is the same
// span to the receiver.
import { hash as digest } from 'node:crypto';
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Conversation } from '../../contract/conversation';
import type { RequestDetail } from '../../contract/model';
import { conversationFormat } from '../../inspect/conversation';
import { conversationOf } from '../../inspect/conversation/detail-view';
import { storedStream } from '../../proxy/usage/stream-view';
import { contentOf, capJson } from './content';
import { CONTENT_ATTRIBUTES, REQUEST_PARAMETERS, SPAN_ATTRIBUTES, spanName, type SpanFacts } from './conventions';

/** OTel's SpanKind.CLIENT and SpanStatusCode values, written out so the API package stays type-only. */
const SPAN_KIND_CLIENT = 2;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
/** A status message is the row's error text; a whole upstream error body is no use in a trace list. */
const STATUS_MESSAGE_MAX = 1024;

export interface SpanOptions {
  resource: Resource;
  /** Shared by every span (see resource.ts). */
  scope: ReadableSpan['instrumentationScope'];
  /** Upstream name → where it is, for server.address/port (the log keeps only the name). */
  servers: ReadonlyMap<string, { address: string; port: number }>;
  /** Message content, capped per attribute; null: metadata only. */
  content: { maxChars: number } | null;
}

const W3C_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

function header(detail: RequestDetail, name: string): string | null {
  const v = detail.exchange.requestHeaders[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

/**
 * Ids from the row alone: its correlation id, start time and row id, hashed. A client that sent a
 * W3C `traceparent` gets the span in its own trace, as a child of the span that made the call.
 */
export function spanIds(detail: RequestDetail): { traceId: string; spanId: string; parentSpanId: string | null } {
  // The one-shot digest: half the CPU of a Hash object made, fed and finished per span.
  const hash = digest(
    'sha256',
    `llm-request-inspector\n${detail.correlationId}\n${detail.timestamp}\n${detail.id}`,
    'hex',
  );
  const parent = W3C_TRACEPARENT.exec(header(detail, 'traceparent') ?? '');
  const valid = (hex: string) => !/^0+$/.test(hex);
  if (parent && valid(parent[1]!) && valid(parent[2]!))
    return { traceId: parent[1]!, spanId: hash.slice(32, 48), parentSpanId: parent[2]! };
  return { traceId: hash.slice(0, 32), spanId: hash.slice(32, 48), parentSpanId: null };
}

const hrTime = (ms: number): HrTime => {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
};

/** How much of a stored stream is read first when only its reply's model is wanted (then all of it). */
const STREAM_HEADS = [4 * 1024, 64 * 1024];

/**
 * The conversation of a streamed row read from the first events of its stream, when message content is off and
 * the row has its finish reason: then the reply gives the span its model alone, which every format names in its
 * stream's first events (OpenAI's chunks, Anthropic's message_start, the Responses API's response.created,
 * Gemini's chunks, Ollama's lines). Reading every event cost a streamed span ~390 µs (bench/otlp-export.ts).
 * null when the head's events name no model: the caller reads the whole stream.
 */
function fromStreamHead(detail: RequestDetail): Conversation | null {
  const body = detail.exchange.responseBody;
  if (!detail.streaming || detail.finishReason === null || body === null) return null;
  for (const size of STREAM_HEADS) {
    if (size >= body.length) return null;
    // The head's last event is usually cut: it is not valid JSON, and the conversation reader skips it.
    const events = storedStream({
      ...detail,
      exchange: { ...detail.exchange, responseBody: body.slice(0, size) },
    })?.events;
    if (!events?.length) return null;
    const result = conversationOf(detail, events);
    if (result.ok && result.conversation.reply?.model) return result.conversation;
  }
  return null;
}

function readConversation(detail: RequestDetail, replyContent: boolean): Conversation | null {
  try {
    const head = replyContent ? null : fromStreamHead(detail);
    if (head) return head;
    // The stream's events without the detail view's reassembled text: the span reads only the
    // reply (model, finish reason, content), and the text would double a streamed row's cost.
    const result = conversationOf(detail, storedStream(detail)?.events ?? null);
    return result.ok ? result.conversation : null;
  } catch {
    // A body no parser expected: the span keeps its metadata, like the detail view's raw fallback.
    return null;
  }
}

function parameterAttributes(c: Conversation | null, into: Attributes): void {
  if (!c) return;
  for (const p of REQUEST_PARAMETERS) {
    const found = c.params.find((x) => p.params.includes(x.name));
    if (!found) continue;
    if (p.type === 'strings') {
      let v: unknown = found.value;
      try {
        v = JSON.parse(found.value);
      } catch {
        // A plain string stop sequence.
      }
      const list = (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string');
      if (list.length) into[p.key] = list;
      continue;
    }
    const n = Number(found.value);
    if (found.value.trim() !== '' && Number.isFinite(n) && (p.type === 'double' || Number.isInteger(n)))
      into[p.key] = n;
  }
}

function contentAttributes(facts: SpanFacts, maxChars: number, into: Attributes): void {
  if (!facts.conversation) return;
  const fallbackFinish = facts.row.success ? 'stop' : 'error';
  const values = contentOf(facts.conversation, fallbackFinish);
  const cut: string[] = [];
  for (const [which, key] of [
    ['input', CONTENT_ATTRIBUTES.input],
    ['output', CONTENT_ATTRIBUTES.output],
    ['system', CONTENT_ATTRIBUTES.system],
  ] as const) {
    const items = values[which];
    if (!items) continue;
    const capped = capJson(items, maxChars);
    into[key] = capped.text;
    if (capped.cut) cut.push(key);
  }
  if (cut.length) into[CONTENT_ATTRIBUTES.truncated] = cut;
}

export function buildSpan(detail: RequestDetail, options: SpanOptions): ReadableSpan {
  const format = conversationFormat(detail.method, detail.path);
  // An endpoint not read as a conversation has none, however much of its stream is parsed.
  const conversation = format === null ? null : readConversation(detail, options.content !== null);
  const facts: SpanFacts = {
    row: detail,
    format,
    conversation,
    server: options.servers.get(detail.provider) ?? null,
  };
  const attributes: Attributes = {};
  for (const a of SPAN_ATTRIBUTES) {
    const v = a.value(facts);
    if (v !== null && v !== undefined) attributes[a.key] = v;
  }
  parameterAttributes(conversation, attributes);
  if (options.content) contentAttributes(facts, options.content.maxChars, attributes);

  const ids = spanIds(detail);
  const context: SpanContext = { traceId: ids.traceId, spanId: ids.spanId, traceFlags: 1 };
  const startMs = Date.parse(detail.timestamp);
  const durationMs = Math.max(0, detail.latencyMs ?? 0);
  const failed = !detail.success;
  return {
    name: spanName(facts),
    kind: SPAN_KIND_CLIENT,
    spanContext: () => context,
    parentSpanContext: ids.parentSpanId
      ? { traceId: ids.traceId, spanId: ids.parentSpanId, traceFlags: 1, isRemote: true }
      : undefined,
    startTime: hrTime(startMs),
    endTime: hrTime(startMs + durationMs),
    duration: hrTime(durationMs),
    status: failed
      ? {
          code: STATUS_ERROR,
          message: (detail.errorMessage ?? `HTTP ${detail.status ?? 'no status'}`).slice(0, STATUS_MESSAGE_MAX),
        }
      : { code: STATUS_UNSET },
    // Copied once into an object of its own shape: filled by computed keys, past a dozen V8 keeps
    // `attributes` as a hash table, and every later walk of it (the batch's size bound, the
    // serializer) costs twice to three times as much.
    attributes: { ...attributes },
    links: [],
    events: [],
    ended: true,
    resource: options.resource,
    instrumentationScope: options.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
