// What the proxy needs from a request body: model, whether a stream was asked for, and the
// prompt text (for keyword policy rules and token estimation). The body may be cut at the
// capture cap or not be JSON at all, so nothing here throws; it returns what it can.

import { isGeminiStreamPath, modelFromPath } from './detect';
import { lastMember, scanObject } from './json-scan';
import { arr, obj, str, textOf, type Json } from './state';
import type { ApiFormat, RequestInfo } from './types';

// Fallbacks for a body cut off at the cap: JSON.parse fails, but the top of the body is intact.
const MODEL_RE = /"model"\s*:\s*"((?:[^"\\]|\\.){1,256})"/;
const STREAM_TRUE_RE = /"stream"\s*:\s*true\b/;
const STREAM_FALSE_RE = /"stream"\s*:\s*false\b/;

/**
 * `body` as bytes, or as text when the caller has decoded it already (it is decoded once per request).
 * Without `withPrompt`, promptText is left '' (the proxy asks for it only when a policy rule must read it;
 * joining a long conversation's messages is a copy of most of the body).
 */
export function inspectRequest(
  format: ApiFormat,
  path: string,
  body: Buffer | string | null,
  withPrompt = true,
): RequestInfo {
  const text = typeof body === 'string' ? body : body && body.length > 0 ? body.toString('utf8') : '';
  const ollama = format === 'ollama-chat' || format === 'ollama-generate';
  let json: Json | null = null;
  let top: TopLevel | null = null;
  if (text) {
    if (withPrompt) {
      try {
        json = obj(JSON.parse(text));
      } catch {
        json = null;
      }
    } else {
      top = topLevel(text);
    }
  }
  let model: string | null;
  let stream: boolean;
  if (json) {
    model = str(json['model']);
    // Ollama's native API streams unless told not to; everyone else only when asked.
    stream = ollama ? json['stream'] !== false : json['stream'] === true;
  } else if (top) {
    model = top.model;
    stream = ollama ? top.stream !== false : top.stream === true;
  } else {
    const m = MODEL_RE.exec(text);
    model = m?.[1] ? safeJsonString(m[1]) : null;
    stream = ollama ? !STREAM_FALSE_RE.test(text) : STREAM_TRUE_RE.test(text);
  }
  if (format === 'gemini') stream = isGeminiStreamPath(path);
  if (!model) model = modelFromPath(path);
  return { model: model || null, stream, promptText: json && withPrompt ? promptText(format, json) : '' };
}

interface TopLevel {
  model: string | null;
  stream: boolean | null;
}

/**
 * `model` and `stream` from the top level of a JSON object, without building the rest: an agent's request
 * carries its whole conversation (often 100 KiB and more), and parsing all of it before forwarding took
 * ~10 × as long as stepping over it (bench/usage-observer.ts). Null when the text is no whole object (a body
 * cut at the cap), as JSON.parse would fail there; a nested `model` (a tool's parameter) is not read.
 */
function topLevel(text: string): TopLevel | null {
  const layout = scanObject(text);
  if (layout === null) return null;
  const m = lastMember(layout, 'model');
  const s = lastMember(layout, 'stream');
  let model: string | null = null;
  if (m !== undefined && text.charCodeAt(m.valueStart) === 0x22) {
    try {
      model = JSON.parse(text.slice(m.valueStart, m.valueEnd)) as string;
    } catch {
      model = null;
    }
  }
  const flag = s === undefined ? '' : text.slice(s.valueStart, s.valueEnd);
  return { model, stream: flag === 'true' ? true : flag === 'false' ? false : null };
}

/** The prompt text of a whole request body; '' when it is no JSON. */
export function promptOfBody(format: ApiFormat, text: string): string {
  let json: Json | null;
  try {
    json = obj(JSON.parse(text));
  } catch {
    return '';
  }
  return json ? promptText(format, json) : '';
}

function safeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function join(parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('\n');
}

/**
 * Tool results nested in tool results are read this deep. Real requests nest one or two levels;
 * the bound keeps a body nested thousands of levels deep (JSON.parse takes it) from overflowing
 * the stack here: inspection must never be why a request fails.
 */
const MAX_CONTENT_DEPTH = 16;

/** Text of a chat message's content, tool results included (Anthropic nests them). */
function contentText(content: unknown, depth = 0): string {
  if (typeof content === 'string') return content;
  if (depth >= MAX_CONTENT_DEPTH) return '';
  const parts: string[] = [];
  for (const block of arr(content)) {
    const b = obj(block);
    if (!b) continue;
    const t = str(b['text']) ?? str(b['input_text']);
    if (t !== null) parts.push(t);
    else if (b['type'] === 'tool_result' || b['type'] === 'function_call_output') {
      parts.push(contentText(b['content'] ?? b['output'], depth + 1));
    }
  }
  return join(parts);
}

function messagesText(messages: unknown): string[] {
  return arr(messages).map((m) => {
    const o = obj(m);
    // Responses API input items: messages carry `content`, function_call_output carries `output`.
    return o ? contentText(o['content'] ?? o['output']) : '';
  });
}

export function promptText(format: ApiFormat, json: Json): string {
  switch (format) {
    case 'openai-chat':
    case 'ollama-chat':
      return join(messagesText(json['messages']));
    case 'openai-completions': {
      const p = json['prompt'];
      return typeof p === 'string' ? p : join(arr(p).filter((x): x is string => typeof x === 'string'));
    }
    case 'openai-responses': {
      const input = json['input'];
      const rest = typeof input === 'string' ? [input] : messagesText(input);
      return join([str(json['instructions']) ?? '', ...rest]);
    }
    case 'anthropic-messages':
      return join([contentText(json['system']), ...messagesText(json['messages'])]);
    case 'gemini': {
      const sys = obj(json['systemInstruction'] ?? json['system_instruction']);
      const contents = arr(json['contents']).map((c) => textOf(obj(c)?.['parts']));
      return join([sys ? textOf(sys['parts']) : '', ...contents]);
    }
    case 'ollama-generate':
      return join([str(json['system']) ?? '', str(json['prompt']) ?? '']);
    case 'unknown': {
      // Best effort for endpoints we don't model (embeddings take `input`).
      const input = json['input'];
      const inputText =
        typeof input === 'string' ? input : join(arr(input).filter((x): x is string => typeof x === 'string'));
      return join([...messagesText(json['messages']), str(json['prompt']) ?? '', inputText]);
    }
    default: {
      const never: never = format;
      return String(never);
    }
  }
}
