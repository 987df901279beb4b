// A stored exchange read as a conversation: which format it speaks (by endpoint, as the usage
// module decides), its request as messages, and its reply from the response body or the stream's
// events. Pure functions of their input; no Node or DOM APIs, so the renderer can rebuild a live
// stream's reply with the same code that reads the stored one.

import type {
  Conversation,
  ConversationFormat,
  ConversationReply,
  ConversationResult,
} from '../../contract/conversation';
import { detectFormat, modelFromPath } from '../../proxy/usage/detect';
import { anthropic } from './anthropic';
import { geminiParser } from './gemini';
import { openaiChat, openaiCompletions } from './openai-chat';
import { openaiResponses } from './openai-responses';
import { ollamaChat, ollamaGenerate } from './ollama';
import { formatPath, parsePartialJson } from './partial-json';
import { MediaReader, obj, type Json } from './parts';
import type { FormatParser, StreamReducer } from './reply-builder';

export { formatPath, parsePartialJson } from './partial-json';

export interface StreamEventInput {
  data: string;
  /** Larger than the stream parser's cap: only its tail was kept, so it can't be read. */
  truncated?: true;
}

export interface ExchangeInput {
  method: string;
  path: string;
  status: number | null;
  streaming: boolean;
  requestBody: string | null;
  requestBodyTruncated: boolean;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  /** The writer shed this exchange's bodies to stay within its memory bound. */
  bodiesDropped: boolean;
  /** A streamed response's events (SSE data, NDJSON lines) as the API parsed them; null when not streamed. */
  events: readonly StreamEventInput[] | null;
  /** The error the row records (upstream message, proxy failure), for a reply that never came. */
  errorMessage: string | null;
}

export function conversationFormat(method: string, path: string): ConversationFormat | null {
  const f = detectFormat(method, path);
  return f === 'unknown' ? null : f;
}

function parserFor(format: ConversationFormat, path: string): FormatParser {
  switch (format) {
    case 'openai-chat':
      return openaiChat;
    case 'openai-completions':
      return openaiCompletions;
    case 'openai-responses':
      return openaiResponses;
    case 'anthropic-messages':
      return anthropic;
    case 'gemini':
      return geminiParser(modelFromPath(path));
    case 'ollama-chat':
      return ollamaChat;
    case 'ollama-generate':
      return ollamaGenerate;
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}

type Read = { ok: true; json: Json; cutAt: string | null } | { ok: false; reason: string };

/** A body as a JSON object; a truncated one read as far as it goes, saying where it was cut. */
function readBody(label: string, body: string, truncated: boolean): Read {
  try {
    const json = obj(JSON.parse(body));
    return json ? { ok: true, json, cutAt: null } : { ok: false, reason: `${label} is JSON but not an object.` };
  } catch (e) {
    if (!truncated)
      return { ok: false, reason: `${label} is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const partial = parsePartialJson(body);
  if (!partial.ok)
    return {
      ok: false,
      reason: `${label} was cut at the capture cap and is not valid JSON before the cut (${partial.error}).`,
    };
  const json = obj(partial.value);
  if (!json) return { ok: false, reason: `${label} was cut at the capture cap before anything readable.` };
  return { ok: true, json, cutAt: partial.cut ? formatPath(partial.cut) : null };
}

const cutNote = (label: string, body: string, at: string | null) =>
  `${label} was cut at the capture cap after ` +
  `${body.length.toLocaleString('en-US')} characters${at ? `, inside ${at}` : ''}; what follows the cut is not shown.`;

/** Events of a stream, parsed; `[DONE]`, keep-alives and events the parser kept only the tail of are skipped. */
function eventJson(events: readonly StreamEventInput[]): Json[] {
  const out: Json[] = [];
  for (const e of events) {
    if (e.truncated || e.data.charCodeAt(0) !== 0x7b /* { */) continue;
    try {
      const json = obj(JSON.parse(e.data));
      if (json) out.push(json);
    } catch {
      // A cut-off last event: the reply is what came before it.
    }
  }
  return out;
}

/** Gemini's streamGenerateContent without ?alt=sse answers one JSON array, not SSE. */
function arrayElements(body: string): Json[] | null {
  if (!body.trimStart().startsWith('[')) return null;
  const parsed = parsePartialJson(body);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value.flatMap((v) => (obj(v) ? [obj(v)!] : [])) : null;
}

function readReply(
  x: ExchangeInput,
  parser: FormatParser,
  notes: string[],
): { reply: ConversationReply | null; error: string | null } {
  const failed = x.status !== null && (x.status < 200 || x.status >= 300);
  if (failed) return { reply: null, error: x.errorMessage ?? `The upstream answered ${x.status}.` };
  if (x.bodiesDropped)
    return { reply: null, error: 'Response body not kept: the writer shed bodies to stay within its memory bound.' };
  const body = x.responseBody;
  if (body === null || body === '') return { reply: null, error: x.errorMessage ?? 'No response body.' };
  const media = new MediaReader('response', body, x.responseBodyTruncated);
  if (x.streaming) {
    const reducer = parser.stream(media);
    const items = (x.events && x.events.length > 0 ? null : arrayElements(body)) ?? eventJson(x.events ?? []);
    for (const item of items) reducer.push(item);
    if (x.responseBodyTruncated)
      notes.push(
        `The stream was cut at the capture cap after ` +
          `${items.length.toLocaleString('en-US')} events; the reply is what arrived before the cut.`,
      );
    return { reply: reducer.result(), error: items.length === 0 ? 'The stream ended before any event arrived.' : null };
  }
  const read = readBody('The response body', body, x.responseBodyTruncated);
  if (!read.ok) return { reply: null, error: read.reason };
  if (x.responseBodyTruncated) notes.push(cutNote('The response body', body, read.cutAt));
  return { reply: parser.reply(read.json, media), error: null };
}

export function buildConversation(x: ExchangeInput): ConversationResult {
  const format = conversationFormat(x.method, x.path);
  if (format === null)
    return {
      ok: false,
      reason: `${x.method} ${x.path.split('?')[0]} is not an endpoint this app reads as a conversation.`,
    };
  const parser = parserFor(format, x.path);
  const conversation: Conversation = {
    format,
    system: [],
    messages: [],
    tools: [],
    params: [],
    requestError: null,
    reply: null,
    replyError: null,
    notes: [],
  };
  if (x.bodiesDropped)
    conversation.requestError = 'Request body not kept: the writer shed bodies to stay within its memory bound.';
  else if (x.requestBody === null || x.requestBody === '') conversation.requestError = 'No request body.';
  else {
    const read = readBody('The request body', x.requestBody, x.requestBodyTruncated);
    if (!read.ok) conversation.requestError = read.reason;
    else {
      const side = parser.request(read.json, new MediaReader('request', x.requestBody, x.requestBodyTruncated));
      Object.assign(conversation, {
        system: side.system,
        messages: side.messages,
        tools: side.tools,
        params: side.params,
      });
      conversation.notes.push(...side.notes);
      if (x.requestBodyTruncated) conversation.notes.push(cutNote('The request body', x.requestBody, read.cutAt));
    }
  }
  const { reply, error } = readReply(x, parser, conversation.notes);
  conversation.reply = reply;
  conversation.replyError = error;
  return { ok: true, conversation };
}

/**
 * A live stream's reply, fed events as they arrive (the renderer, before the row is logged).
 * The same reducers read the stored stream, so the reply looks the same once the row commits.
 * Media from a live stream are carried inline: there is no stored body to point into yet.
 */
export function createLiveReply(
  method: string,
  path: string,
): { push(events: readonly StreamEventInput[]): void; result(): ConversationReply } | null {
  const format = conversationFormat(method, path);
  if (format === null) return null;
  const reducer: StreamReducer = parserFor(format, path).stream(new MediaReader('response', null, false));
  return {
    push: (events) => eventJson(events).forEach((e) => reducer.push(e)),
    result: () => reducer.result(),
  };
}
