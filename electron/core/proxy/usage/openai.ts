// OpenAI Chat Completions, legacy Completions and the Responses API, plus the many
// OpenAI-compatible servers (OpenRouter, vLLM, Ollama /v1, DeepSeek…) that reuse these shapes.

import { applyError, arr, obj, str, textOf, type Json, type UsageState } from './state';

/** A chat.completion / text_completion body or one of their stream chunks. */
export function applyChat(state: UsageState, json: Json): void {
  if (applyError(state, json)) return;
  const model = str(json['model']);
  if (model) state.model = model;
  for (const c of arr(json['choices'])) {
    const choice = obj(c);
    // Only the first choice: with n > 1 the others would interleave into nonsense.
    if (!choice || (choice['index'] ?? 0) !== 0) continue;
    const delta = obj(choice['delta']);
    const message = obj(choice['message']);
    const piece = delta ? str(delta['content']) : message ? textOf(message['content']) : str(choice['text']);
    if (piece) state.appendText(piece);
    const finish = str(choice['finish_reason']);
    if (finish) state.finishReason = finish;
  }
  const usage = obj(json['usage']);
  if (usage) applyChatUsage(state, usage);
}

function applyChatUsage(state: UsageState, u: Json): void {
  state.inputTokens = state.tokens(u['prompt_tokens'], 'prompt_tokens') ?? state.inputTokens;
  state.outputTokens = state.tokens(u['completion_tokens'], 'completion_tokens') ?? state.outputTokens;
  const pd = obj(u['prompt_tokens_details']);
  // DeepSeek reports cache hits beside the OpenAI-style details instead of inside them.
  const cached =
    (pd ? state.tokens(pd['cached_tokens'], 'prompt_tokens_details.cached_tokens') : null) ??
    state.tokens(u['prompt_cache_hit_tokens'], 'prompt_cache_hit_tokens');
  if (cached !== null) state.cacheReadTokens = cached;
  const cacheWrite = pd ? state.tokens(pd['cache_write_tokens'], 'prompt_tokens_details.cache_write_tokens') : null;
  if (cacheWrite !== null) state.cacheWriteTokens = cacheWrite;
  const cd = obj(u['completion_tokens_details']);
  const reasoning = cd ? state.tokens(cd['reasoning_tokens'], 'completion_tokens_details.reasoning_tokens') : null;
  if (reasoning !== null) state.reasoningTokens = reasoning;
  applyProviderCost(state, u);
}

/** OpenRouter (and a few gateways) put the billed amount in `usage.cost`. */
function applyProviderCost(state: UsageState, u: Json): void {
  const cost = state.cost(u['cost'], 'cost');
  if (cost !== null) state.providerCost = cost;
}

/** A Responses API body (`object: 'response'`) or one of its stream events. */
export function applyResponses(state: UsageState, json: Json): void {
  const type = str(json['type']);
  if (type === null || json['object'] === 'response') {
    if (!applyError(state, json)) applyResponseObject(state, json, true);
    return;
  }
  if (type === 'response.output_text.delta') {
    const d = str(json['delta']);
    if (d) state.appendText(d);
    return;
  }
  if (type === 'error') {
    state.errorMessage = str(json['message']) ?? str(obj(json['error'])?.['message']) ?? 'error';
    return;
  }
  const response = obj(json['response']);
  // response.created / in_progress / completed / incomplete / failed all carry the object;
  // its output text was already streamed as deltas, so don't append it twice.
  if (response) applyResponseObject(state, response, false);
}

function applyResponseObject(state: UsageState, r: Json, withText: boolean): void {
  const model = str(r['model']);
  if (model) state.model = model;
  const status = str(r['status']);
  const incomplete = str(obj(r['incomplete_details'])?.['reason']);
  if (status && status !== 'in_progress' && status !== 'queued') state.finishReason = incomplete ?? status;
  const err = obj(r['error']);
  if (err) state.errorMessage = str(err['message']) ?? str(err['code']) ?? 'error';
  if (withText) {
    for (const item of arr(r['output'])) {
      const it = obj(item);
      if (it?.['type'] !== 'message') continue;
      for (const part of arr(it['content'])) {
        const p = obj(part);
        const t = p?.['type'] === 'output_text' ? str(p['text']) : null;
        if (t) state.appendText(t);
      }
    }
  }
  const u = obj(r['usage']);
  if (!u) return;
  state.inputTokens = state.tokens(u['input_tokens'], 'input_tokens') ?? state.inputTokens;
  state.outputTokens = state.tokens(u['output_tokens'], 'output_tokens') ?? state.outputTokens;
  const cached = state.tokens(obj(u['input_tokens_details'])?.['cached_tokens'], 'input_tokens_details.cached_tokens');
  if (cached !== null) state.cacheReadTokens = cached;
  const reasoning = state.tokens(
    obj(u['output_tokens_details'])?.['reasoning_tokens'],
    'output_tokens_details.reasoning_tokens',
  );
  if (reasoning !== null) state.reasoningTokens = reasoning;
  applyProviderCost(state, u);
}
