// Google Gemini generateContent / streamGenerateContent. A stream's chunks have the same
// shape as a whole response; each carries usageMetadata with the running totals, so the
// last one wins. candidatesTokenCount excludes thinking tokens (thoughtsTokenCount), and our
// output_tokens include reasoning, so output = candidates + thoughts.

import { applyError, arr, obj, str, type Json, type UsageState } from './state';

export function applyGemini(state: UsageState, json: Json): void {
  if (applyError(state, json)) return;
  const model = str(json['modelVersion']);
  if (model) state.model = model;
  for (const c of arr(json['candidates'])) {
    const cand = obj(c);
    if (!cand || (cand['index'] ?? 0) !== 0) continue;
    for (const part of arr(obj(cand['content'])?.['parts'])) {
      const p = obj(part);
      // Thought summaries are flagged `thought: true`; they are not the answer.
      const t = p && p['thought'] !== true ? str(p['text']) : null;
      if (t) state.appendText(t);
    }
    const finish = str(cand['finishReason']);
    if (finish) state.finishReason = finish;
  }
  const blocked = str(obj(json['promptFeedback'])?.['blockReason']);
  if (blocked) state.finishReason = blocked;
  const u = obj(json['usageMetadata']);
  if (!u) return;
  state.inputTokens = state.tokens(u['promptTokenCount'], 'promptTokenCount') ?? state.inputTokens;
  const cached = state.tokens(u['cachedContentTokenCount'], 'cachedContentTokenCount');
  if (cached !== null) state.cacheReadTokens = cached;
  const candidates = state.tokens(u['candidatesTokenCount'], 'candidatesTokenCount');
  const thoughts = state.tokens(u['thoughtsTokenCount'], 'thoughtsTokenCount');
  if (thoughts !== null) state.reasoningTokens = thoughts;
  if (candidates !== null || thoughts !== null)
    state.outputTokens = state.tokens((candidates ?? 0) + (thoughts ?? 0), 'candidatesTokenCount + thoughtsTokenCount');
}
