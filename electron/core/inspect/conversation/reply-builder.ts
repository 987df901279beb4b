// What every format parser implements, and the accumulator a streamed reply is rebuilt in: text,
// reasoning and refusal deltas join the part they continue, tool calls gather their argument
// fragments under the key the format streams them by (OpenAI's index, Anthropic's block index).

import type {
  ConversationMessage,
  ConversationParam,
  ConversationReply,
  Part,
  ToolDefinition,
} from '../../contract/conversation';
import { toolArguments, type Json, type MediaReader } from './parts';

export interface RequestSide {
  system: Part[];
  messages: ConversationMessage[];
  tools: ToolDefinition[];
  params: ConversationParam[];
  notes: string[];
}

/** Fed a stream's parsed events (SSE data, NDJSON lines, JSON array elements) in order. */
export interface StreamReducer {
  push(event: Json): void;
  result(): ConversationReply;
}

export interface FormatParser {
  request(body: Json, media: MediaReader): RequestSide;
  /** A whole (non-streamed) response body. */
  reply(body: Json, media: MediaReader): ConversationReply;
  stream(media: MediaReader): StreamReducer;
}

type Slot =
  | { kind: 'text' | 'reasoning' | 'refusal'; key: string | null; text: string; redacted: boolean }
  | { kind: 'call'; key: string; id: string | null; name: string; args: string; value: unknown; hasValue: boolean }
  | { kind: 'part'; key: string | null; part: Part };

export class ReplyBuilder {
  finishReason: string | null = null;
  model: string | null = null;
  private readonly slots: Slot[] = [];

  /** Appends to the part under `key`, or (without a key) to the last part when it is of this kind. */
  text(kind: 'text' | 'reasoning' | 'refusal', t: string, key: string | null = null, redacted = false): void {
    if (t === '' && !redacted) return;
    const slot = key !== null ? this.slots.find((s) => s.key === key) : this.slots.at(-1);
    if (slot && slot.kind === kind && (key !== null || slot.key === null)) {
      slot.text += t;
      slot.redacted ||= redacted;
      return;
    }
    this.slots.push({ kind, key, text: t, redacted });
  }

  /** A tool call: created on first sight, then `argsDelta` fragments appended, or `args` (JSON
   *  text) or `value` (parsed) set whole. */
  call(
    key: string,
    update: { id?: string | null; name?: string | null; argsDelta?: string; args?: string; value?: unknown },
  ): void {
    let slot = this.slots.find((s): s is Extract<Slot, { kind: 'call' }> => s.kind === 'call' && s.key === key);
    if (!slot) {
      slot = { kind: 'call', key, id: null, name: '', args: '', value: undefined, hasValue: false };
      this.slots.push(slot);
    }
    if (update.id) slot.id = update.id;
    if (update.name) slot.name = update.name;
    if (update.argsDelta) slot.args += update.argsDelta;
    if (update.args !== undefined) slot.args = update.args;
    if (update.value !== undefined) {
      slot.value = update.value;
      slot.hasValue = true;
    }
  }

  part(part: Part, key: string | null = null): void {
    const at = key === null ? -1 : this.slots.findIndex((s) => s.key === key);
    if (at === -1) this.slots.push({ kind: 'part', key, part });
    else this.slots[at] = { kind: 'part', key, part };
  }

  result(): ConversationReply {
    const parts: Part[] = this.slots.map((s): Part => {
      switch (s.kind) {
        case 'text':
          return { type: 'text', text: s.text };
        case 'reasoning':
          return { type: 'reasoning', text: s.text, redacted: s.redacted };
        case 'refusal':
          return { type: 'refusal', text: s.text };
        case 'call':
          return {
            type: 'tool_call',
            id: s.id,
            name: s.name,
            arguments: s.hasValue ? toolArguments(s.value) : toolArguments(s.args),
          };
        case 'part':
          return s.part;
      }
    });
    return { parts, finishReason: this.finishReason, model: this.model };
  }
}
