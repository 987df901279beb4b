// Anthropic Messages: a `message` body, or the message_start / content_block_delta /
// message_delta / message_stop / error stream events.
//
// Token semantics differ from OpenAI: Anthropic's `input_tokens` counts only the prompt
// tokens that were neither read from nor written to the cache, so the whole prompt is
// input + cache_read + cache_creation. And message_delta usage is CUMULATIVE (it restates
// the running totals), so each field it carries replaces what we had; summing would double count.

import { applyError, arr, obj, str, type Json, type UsageState } from './state';

export function applyAnthropic(state: UsageState, json: Json): void {
  const type = str(json['type']);
  switch (type) {
    case 'message':
      applyMessage(state, json, true);
      return;
    case 'message_start': {
      const m = obj(json['message']);
      if (m) applyMessage(state, m, false);
      return;
    }
    case 'content_block_start': {
      // A text block may open with text already in it.
      const block = obj(json['content_block']);
      const t = block?.['type'] === 'text' ? str(block['text']) : null;
      if (t) state.appendText(t);
      return;
    }
    case 'content_block_delta': {
      const d = obj(json['delta']);
      const t = d?.['type'] === 'text_delta' ? str(d['text']) : null;
      if (t) state.appendText(t);
      return;
    }
    case 'message_delta': {
      const stop = str(obj(json['delta'])?.['stop_reason']);
      if (stop) state.finishReason = stop;
      const u = obj(json['usage']);
      if (u) applyUsage(state, u);
      return;
    }
    default:
      applyError(state, json);
  }
}

function applyMessage(state: UsageState, m: Json, withText: boolean): void {
  const model = str(m['model']);
  if (model) state.model = model;
  const stop = str(m['stop_reason']);
  if (stop) state.finishReason = stop;
  if (withText) {
    for (const block of arr(m['content'])) {
      const b = obj(block);
      const t = b?.['type'] === 'text' ? str(b['text']) : null;
      if (t) state.appendText(t);
    }
  }
  const u = obj(m['usage']);
  if (u) applyUsage(state, u);
}

function applyUsage(state: UsageState, u: Json): void {
  const input = state.tokens(u['input_tokens'], 'input_tokens');
  const read = state.tokens(u['cache_read_input_tokens'], 'cache_read_input_tokens');
  const write = state.tokens(u['cache_creation_input_tokens'], 'cache_creation_input_tokens');
  const output = state.tokens(u['output_tokens'], 'output_tokens');
  if (input !== null) state.uncachedInput = input;
  if (read !== null) state.cacheReadTokens = read;
  if (write !== null) state.cacheWriteTokens = write;
  if (output !== null) state.outputTokens = output;
  if (state.uncachedInput !== null) {
    state.inputTokens = state.tokens(
      state.uncachedInput + (state.cacheReadTokens ?? 0) + (state.cacheWriteTokens ?? 0),
      'input_tokens + cache_read_input_tokens + cache_creation_input_tokens',
    );
  }
}
