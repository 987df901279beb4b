import type { SseEvent } from '../../../electron/core/contract/types';

// Reassembles the assistant message from stream events while they are still arriving (the server
// does the same for stored rows in getRequest). Knows the three wire formats in use; anything it
// doesn't recognise contributes nothing rather than guessing.

function parse(data: string): unknown {
  if (data === '[DONE]') return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The assistant text one event adds ('' for events that add none). */
export function deltaText(ev: SseEvent): string {
  const d = parse(ev.data);
  if (!isObj(d)) return '';
  // OpenAI chat completions: choices[0].delta.content
  if (Array.isArray(d.choices)) {
    const c = d.choices[0];
    if (isObj(c) && isObj(c.delta) && typeof c.delta.content === 'string') return c.delta.content;
    return '';
  }
  // Anthropic messages: content_block_delta with text_delta
  if (d.type === 'content_block_delta' && isObj(d.delta) && typeof d.delta.text === 'string') return d.delta.text;
  // OpenAI responses API: response.output_text.delta
  if (d.type === 'response.output_text.delta' && typeof d.delta === 'string') return d.delta;
  return '';
}

export function reassemble(events: readonly SseEvent[]): string {
  let out = '';
  for (const ev of events) out += deltaText(ev);
  return out;
}
