// Message content as the GenAI conventions' JSON structures (gen_ai.input.messages,
// gen_ai.output.messages, gen_ai.system_instructions), from a conversation read out of the stored
// bodies (already redacted as the log keeps them). Sent only when the user opts in.
//
// Each attribute is held to a size cap: a receiver (and the collector's default 4 MiB request
// limit) must not get a multi-MiB prompt per span. A value over the cap stays valid JSON: its
// longest strings are shortened (each ending in CUT_MARK) until it fits, then the oldest messages
// are dropped if even that is not enough, and the span says which attributes were cut.
// Media bytes are never exported: a base64 image is a `blob` part with its type and size only.
import type { Conversation, ConversationMessage, Media, Part } from '../../contract/conversation';

export const CUT_MARK = '…[cut]';

type JsonPart = Record<string, unknown>;

const modality = (p: Part): string => (p.type === 'image' ? 'image' : p.type === 'audio' ? 'audio' : 'document');

function mediaPart(p: Part, media: Media): JsonPart {
  const mime = media.mime ?? undefined;
  switch (media.source.kind) {
    case 'url':
      return { type: 'uri', modality: modality(p), mime_type: mime, uri: media.source.url };
    case 'file':
      return { type: 'file', modality: modality(p), mime_type: mime, file_id: media.source.id };
    case 'base64':
      return { type: 'blob', modality: modality(p), mime_type: mime, size_bytes: media.bytes ?? undefined };
  }
}

function textOf(parts: readonly Part[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

function partJson(p: Part): JsonPart {
  switch (p.type) {
    case 'text':
      return { type: 'text', content: p.text };
    case 'image':
    case 'audio':
    case 'document':
      return mediaPart(p, p.media);
    case 'tool_call':
      return {
        type: 'tool_call',
        id: p.id ?? undefined,
        name: p.name,
        arguments: p.arguments.ok ? p.arguments.value : p.arguments.raw,
      };
    case 'tool_result':
      return { type: 'tool_call_response', id: p.callId ?? undefined, response: textOf(p.parts) };
    case 'reasoning':
      return { type: 'reasoning', content: p.text };
    case 'refusal':
      return { type: 'refusal', content: p.text };
    case 'other':
      return { type: p.label, content: p.json };
  }
}

/** Roles as the conventions name them: a model's turn is `assistant`, a function result `tool`. */
function role(r: string): string {
  if (r === 'model') return 'assistant';
  if (r === 'function') return 'tool';
  return r;
}

const message = (m: ConversationMessage) => ({
  role: role(m.role),
  ...(m.name ? { name: m.name } : {}),
  parts: m.parts.map(partJson),
});

export interface ContentValues {
  input: unknown[] | null;
  output: unknown[] | null;
  system: unknown[] | null;
}

export function contentOf(c: Conversation, fallbackFinish: string): ContentValues {
  return {
    input: c.messages.length ? c.messages.map(message) : null,
    system: c.system.length ? c.system.map(partJson) : null,
    output: c.reply
      ? [
          {
            role: 'assistant',
            parts: c.reply.parts.map(partJson),
            finish_reason: c.reply.finishReason ?? fallbackFinish,
          },
        ]
      : null,
  };
}

function shorten(value: unknown, longest: number): unknown {
  if (typeof value === 'string') return value.length > longest ? value.slice(0, longest) + CUT_MARK : value;
  if (Array.isArray(value)) return value.map((v) => shorten(v, longest));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v, longest)]));
  return value;
}

function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  if (value !== null && typeof value === 'object')
    return Object.values(value).reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  return 0;
}

/** The JSON text of `items`, within `maxChars`, and whether anything was cut to get there. */
export function capJson(items: unknown[], maxChars: number): { text: string; cut: boolean } {
  const whole = JSON.stringify(items);
  if (whole.length <= maxChars) return { text: whole, cut: false };
  // Oldest items go first when even empty strings don't fit (a very long conversation).
  for (let from = 0; from < items.length; from++) {
    const kept = items.slice(from);
    // The longest string length that still fits, by bisection: each try is one stringify.
    let lo = 0;
    let hi = longestString(kept);
    let best: string | null = null;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const text = JSON.stringify(shorten(kept, mid));
      if (text.length <= maxChars) {
        best = text;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best !== null) return { text: best, cut: true };
  }
  return { text: '[]', cut: true };
}
