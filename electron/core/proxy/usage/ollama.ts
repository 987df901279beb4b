// Ollama's native /api/chat and /api/generate. Streams are NDJSON (one JSON object per
// line); the last object has `done: true` and the counts. Ollama leaves prompt_eval_count
// out when the whole prompt came from its cache, so an absent count stays null.

import { applyError, obj, str, type Json, type UsageState } from './state';

export function applyOllama(state: UsageState, json: Json): void {
  if (applyError(state, json)) return;
  const model = str(json['model']);
  if (model) state.model = model;
  // /api/chat streams message.content, /api/generate streams response.
  const piece = str(obj(json['message'])?.['content']) ?? str(json['response']);
  if (piece) state.appendText(piece);
  if (json['done'] === true) {
    state.finishReason = str(json['done_reason']) ?? state.finishReason ?? 'stop';
  }
  const input = state.tokens(json['prompt_eval_count'], 'prompt_eval_count');
  if (input !== null) state.inputTokens = input;
  const output = state.tokens(json['eval_count'], 'eval_count');
  if (output !== null) state.outputTokens = output;
}
