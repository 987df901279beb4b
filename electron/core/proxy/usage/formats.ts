// Which handler reads which format. Each handler takes one parsed JSON value: a whole
// response body, an SSE event's data, an NDJSON line or a streamed JSON array element.

import { applyAnthropic } from './anthropic';
import { applyGemini } from './gemini';
import { applyOllama } from './ollama';
import { applyChat, applyResponses } from './openai';
import { applyError, errorMessageOf, obj, str, type Json, type UsageState } from './state';
import type { ApiFormat } from './types';

export type Handler = (state: UsageState, json: Json) => void;

/** Unknown endpoints (embeddings, model lists, retrievals…): only the model and errors, never
 *  token counts, since a GET of a stored response would otherwise bill its tokens twice. */
const applyUnknown: Handler = (state, json) => {
  if (applyError(state, json)) return;
  const model = str(json['model']);
  if (model) state.model = model;
};

export function handlerFor(format: ApiFormat): Handler {
  switch (format) {
    case 'openai-chat':
    case 'openai-completions':
      return applyChat;
    case 'openai-responses':
      return applyResponses;
    case 'anthropic-messages':
      return applyAnthropic;
    case 'gemini':
      return applyGemini;
    case 'ollama-chat':
    case 'ollama-generate':
      return applyOllama;
    case 'unknown':
      return applyUnknown;
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}

/** Parses `text` and applies it when it is a JSON object; anything else (`[DONE]`, a cut-off
 *  event) is ignored. Returns whether it applied. */
export function applyText(handler: Handler, state: UsageState, text: string): boolean {
  const first = text.charCodeAt(0);
  // Cheap pre-check: `[DONE]` and keep-alives are common and never JSON objects.
  if (first !== 0x7b /* { */ && first !== 0x20 && first !== 0x0a && first !== 0x0d && first !== 0x09) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  const json = obj(parsed);
  if (!json) return false;
  handler(state, json);
  return true;
}

/** The error message of an error response body (JSON error shapes of every provider we know),
 *  else its trimmed text (an HTML error page, a proxy's plain-text error), capped at 500 chars. */
export function extractErrorMessage(body: string): string | null {
  try {
    const json = obj(JSON.parse(body));
    const m = json ? errorMessageOf(json) : null;
    if (m !== null) return m.slice(0, 500);
  } catch {
    // not JSON: fall back to the text
  }
  const text = body.trim();
  return text ? text.slice(0, 500) : null;
}
