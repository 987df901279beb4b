// What a request would send, in tokens: a body in any API format read with the conversation
// parsers (system, messages, tool calls and results, tool definitions), or a prompt, counted with
// gpt-tokenizer. OpenAI's models are counted with their own encoding (cl100k_base for the GPT-3.5/4
// generation, o200k_base from GPT-4o on); every other family with o200k_base as an approximation,
// since their tokenizers are not available offline, and the result says so.
import type { ConversationFormat, Part } from '../../contract/conversation';
import type { EstimateResult } from '../../contract/estimate';
import { buildConversation } from '../conversation';
import { obj, type Json } from '../conversation/parts';
import { inspectRequest } from '../../proxy/usage/request';
import { estimateTokens } from '../../proxy/usage/tokens';
import { detectFormat } from '../../proxy/usage/detect';

/**
 * OpenAI's chat framing (their cookbook's num_tokens_from_messages): 3 tokens per message, 1 per
 * name, 3 that prime the reply. Other APIs frame messages differently; it is applied to all.
 */
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;

const OLD_OPENAI = /^(gpt-3\.5|gpt-4(?![o.])|gpt-4-|text-embedding-(ada|3)|text-davinci)/;
const OPENAI = /^(gpt-|o\d|chatgpt-|text-|davinci|babbage|codex-|computer-use-)/;

export function tokenizerFor(model: string | null): EstimateResult['tokenizer'] {
  const m = (model ?? '').toLowerCase().replace(/^openai\//, '');
  if (OLD_OPENAI.test(m)) return { encoding: 'cl100k_base', exact: true, note: `cl100k_base, ${m}'s own encoding` };
  if (OPENAI.test(m)) return { encoding: 'o200k_base', exact: true, note: `o200k_base, ${m}'s own encoding` };
  const family = m === '' ? 'an unnamed model' : m;
  return {
    encoding: 'o200k_base',
    exact: false,
    note:
      `o200k_base as an approximation for ${family}: its own tokenizer is not ` +
      `available offline, so the count may differ by the difference between the vocabularies`,
  };
}

/** A representative path per format, for the parsers that read the model from it (Gemini). */
function pathFor(format: ConversationFormat, model: string | null): string {
  switch (format) {
    case 'openai-chat':
      return '/v1/chat/completions';
    case 'openai-completions':
      return '/v1/completions';
    case 'openai-responses':
      return '/v1/responses';
    case 'anthropic-messages':
      return '/v1/messages';
    case 'gemini':
      return `/v1beta/models/${encodeURIComponent(model ?? 'model')}:generateContent`;
    case 'ollama-chat':
      return '/api/chat';
    case 'ollama-generate':
      return '/api/generate';
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}

/** The format a body is in when neither the caller nor a path says: by the fields only that format has. */
export function guessFormat(json: Json): ConversationFormat {
  if (json['contents'] !== undefined) return 'gemini';
  if (json['input'] !== undefined || json['instructions'] !== undefined) return 'openai-responses';
  const ollama = json['options'] !== undefined || json['keep_alive'] !== undefined;
  if (json['messages'] === undefined && json['prompt'] !== undefined)
    return ollama ? 'ollama-generate' : 'openai-completions';
  if (json['system'] !== undefined || json['anthropic_version'] !== undefined || json['stop_sequences'] !== undefined)
    return 'anthropic-messages';
  return ollama ? 'ollama-chat' : 'openai-chat';
}

function partText(p: Part, out: string[], media: { n: number }): void {
  switch (p.type) {
    case 'text':
    case 'reasoning':
    case 'refusal':
      out.push(p.text);
      return;
    case 'tool_call':
      out.push(p.name, p.arguments.ok ? JSON.stringify(p.arguments.value) : p.arguments.raw);
      return;
    case 'tool_result':
      for (const q of p.parts) partText(q, out, media);
      return;
    case 'audio':
      if (p.transcript) out.push(p.transcript);
      media.n++;
      return;
    case 'image':
    case 'document':
      media.n++;
      return;
    case 'other':
      out.push(p.json);
      return;
    default: {
      const never: never = p;
      throw new Error(`unhandled part ${JSON.stringify(never)}`);
    }
  }
}

export interface CountedInput {
  format: ConversationFormat;
  model: string | null;
  /** The prompt text keyword policy rules are matched against, as the proxy reads it. */
  promptText: string;
  inputTokens: number;
  notes: string[];
}

/** Reads and counts a body; throws an Error with a message fit for the caller when it can't be read. */
export function countBody(
  body: string | Json,
  given: { format?: ConversationFormat; path?: string; model?: string },
): CountedInput {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: Json | null = typeof body === 'string' ? null : body;
  if (json === null) {
    try {
      json = obj(JSON.parse(text));
    } catch (e) {
      throw new Error(`the body is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    if (json === null) throw new Error('the body is JSON but not an object');
  }
  const notes: string[] = [];
  const fromPath = given.path === undefined ? 'unknown' : detectFormat('POST', given.path);
  let format: ConversationFormat;
  if (given.format) format = given.format;
  else if (fromPath !== 'unknown') format = fromPath;
  else {
    format = guessFormat(json);
    notes.push(`format ${format} guessed from the body's fields; give format or path to be sure`);
  }
  const path = given.path !== undefined && fromPath === format ? given.path : null;
  const info = inspectRequest(format, path ?? pathFor(format, given.model ?? null), text);
  const model = given.model ?? info.model;
  const read = buildConversation({
    method: 'POST',
    path: path ?? pathFor(format, model),
    status: null,
    streaming: false,
    requestBody: text,
    requestBodyTruncated: false,
    responseBody: null,
    responseBodyTruncated: false,
    bodiesDropped: false,
    events: null,
    errorMessage: null,
  });
  if (!read.ok) throw new Error(read.reason);
  const c = read.conversation;
  if (c.requestError !== null) throw new Error(c.requestError);
  const texts: string[] = [];
  const media = { n: 0 };
  for (const p of c.system) partText(p, texts, media);
  let framing = REPLY_PRIMING + (c.system.length > 0 ? PER_MESSAGE : 0);
  for (const m of c.messages) {
    framing += PER_MESSAGE + (m.name ? PER_NAME : 0);
    for (const p of m.parts) partText(p, texts, media);
  }
  for (const t of c.tools)
    texts.push(JSON.stringify({ name: t.name, description: t.description, parameters: t.schema }));
  if (media.n > 0)
    notes.push(`${media.n} image, audio or document part(s) not counted: their token cost depends on the provider`);
  const inputTokens = estimateTokens(texts.join('\n'), model) + framing;
  return { format, model, promptText: info.promptText, inputTokens, notes };
}

export function countPrompt(prompt: string, model: string | null): number {
  // One user message: its text, plus the chat framing a prompt sent as a message gets.
  return estimateTokens(prompt, model) + (prompt === '' ? 0 : PER_MESSAGE + REPLY_PRIMING);
}
