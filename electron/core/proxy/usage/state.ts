// The mutable accumulator every format handler writes into, plus the small readers they
// use on untrusted JSON. Counts stay null until a response reports them: a stream cut off
// before its usage arrives must be told apart from one that used zero tokens.

import { plausibleCost, plausibleTokens } from '../../storage/plausible';
import type { UsageResult } from './types';

/** Keeps outputText bounded however long a stream runs; 1 Mi chars is ~250k tokens of prose. */
export const MAX_OUTPUT_TEXT_CHARS = 1024 * 1024;
/** Text handed to the UI between two drains. */
export const MAX_TEXT_DELTA_CHARS = 64 * 1024;
/** Notes about one response's usage: the first few say enough. */
const MAX_NOTES = 4;

export class UsageState {
  model: string | null = null;
  /** Prompt tokens NOT read from or written to cache, when a provider reports them apart (Anthropic). */
  uncachedInput: number | null = null;
  inputTokens: number | null = null;
  outputTokens: number | null = null;
  cacheReadTokens: number | null = null;
  cacheWriteTokens: number | null = null;
  reasoningTokens: number | null = null;
  providerCost: number | null = null;
  finishReason: string | null = null;
  errorMessage: string | null = null;
  events = 0;
  /** Values the response reported that were not kept (see tokens() and cost()). */
  readonly notes: string[] = [];
  private text = '';
  private textTruncated = false;
  private chars = 0;
  private delta = '';
  /** Text appended while textOf runs, uncapped: an event's own piece is small. */
  private recording: string | null = null;

  appendText(piece: string): void {
    if (piece.length === 0) return;
    if (this.recording !== null) this.recording += piece;
    this.chars += piece.length;
    if (!this.textTruncated) {
      const room = MAX_OUTPUT_TEXT_CHARS - this.text.length;
      if (piece.length <= room) this.text += piece;
      else {
        this.text += piece.slice(0, room);
        this.textTruncated = true;
      }
    }
    if (this.delta.length < MAX_TEXT_DELTA_CHARS)
      this.delta += piece.slice(0, MAX_TEXT_DELTA_CHARS - this.delta.length);
  }

  /** The text `apply` appends, whatever the caps: what one event added, for the page to show beside it. */
  textOf(apply: () => void): string {
    this.recording = '';
    try {
      apply();
      return this.recording;
    } finally {
      this.recording = null;
    }
  }

  /**
   * A reported token count, or one computed from reported parts (`field` names it for the note): kept when
   * plausible, else null with a note.
   */
  tokens(v: unknown, field: string): number | null {
    const n = plausibleTokens(v);
    if (n === null && v !== null && v !== undefined) this.reject(field, v, 'token count');
    return n;
  }

  /** A cost the upstream reported itself, in USD. */
  cost(v: unknown, field: string): number | null {
    const c = plausibleCost(v);
    if (c === null && v !== null && v !== undefined) this.reject(field, v, 'cost');
    return c;
  }

  private reject(field: string, v: unknown, what: string): void {
    // Never String(v): an upstream's `{"toString": 1}` makes that throw.
    const shown = typeof v === 'number' || typeof v === 'boolean' ? String(v) : jsonPrefix(v, 40);
    const note = `usage ${field} = ${shown} is not a plausible ${what} and was not kept`;
    if (this.notes.length < MAX_NOTES && !this.notes.includes(note)) this.notes.push(note);
  }

  /** Characters of assistant text held: at most MAX_OUTPUT_TEXT_CHARS + MAX_TEXT_DELTA_CHARS. */
  get bufferedChars(): number {
    return this.text.length + this.delta.length;
  }

  takeDelta(): string {
    const d = this.delta;
    this.delta = '';
    return d;
  }

  get outputText(): string {
    return this.text;
  }

  result(): UsageResult {
    return {
      model: this.model,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheReadTokens: this.cacheReadTokens,
      cacheWriteTokens: this.cacheWriteTokens,
      reasoningTokens: this.reasoningTokens,
      providerCost: this.providerCost,
      finishReason: this.finishReason,
      outputText: this.text,
      outputTextTruncated: this.textTruncated,
      outputChars: this.chars,
      events: this.events,
      errorMessage: this.errorMessage,
      observerError: null,
      notes: [...this.notes],
    };
  }
}

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * The message of the error shapes providers use: `{error: "..."}`, `{error: {message}}`, `{type: 'error',
 * message}`.
 */
export function errorMessageOf(json: Json): string | null {
  const e = json['error'];
  if (typeof e === 'string') return e;
  const eo = obj(e);
  if (eo) return str(eo['message']) ?? str(eo['type']) ?? jsonPrefix(eo, 500);
  if (json['type'] === 'error') return str(json['message']);
  return null;
}

/** Applies the error message of `json`, if it carries one. Returns whether it did. */
export function applyError(state: UsageState, json: Json): boolean {
  const m = errorMessageOf(json);
  if (m === null) return false;
  state.errorMessage = m;
  return true;
}

/** Text content of a message: a plain string or an array of `{type?: 'text'|..., text}` parts. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  let out = '';
  for (const part of arr(content)) {
    const p = obj(part);
    const t = p ? str(p['text']) : null;
    if (t !== null && p?.['thought'] !== true) out += (out ? '\n' : '') + t;
  }
  return out;
}

/**
 * The first `max` characters of `value` as JSON, without recursing: JSON.stringify overflows the
 * stack on a value nested a few thousand levels deep, which JSON.parse accepts.
 */
export function jsonPrefix(value: unknown, max: number): string {
  type Token = { raw: string } | { value: unknown };
  let out = '';
  const stack: Token[] = [{ value }];
  while (stack.length > 0 && out.length < max) {
    const token = stack.pop()!;
    if ('raw' in token) {
      out += token.raw;
      continue;
    }
    const v = token.value;
    if (Array.isArray(v)) {
      out += '[';
      stack.push({ raw: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] });
        if (i > 0) stack.push({ raw: ',' });
      }
    } else if (typeof v === 'object' && v !== null) {
      out += '{';
      stack.push({ raw: '}' });
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (v as Json)[keys[i]!] }, { raw: `${JSON.stringify(keys[i])}:` });
        if (i > 0) stack.push({ raw: ',' });
      }
    } else {
      out += JSON.stringify(v) ?? 'null';
    }
  }
  return out.slice(0, max);
}
