// Why the prompt cache missed: a request and the previous turn of its thread, both read as
// conversations, with the usage the upstream reported and their times. The tokens the previous
// prompt's unchanged prefix should have let the cache serve are compared with the cached tokens
// reported; when fewer were read, the reasons are given as evidence: a model switch, the first
// segment that changed (and where, and what), tools reordered or edited, a shortened history, the
// gap since the previous turn beyond the cache's lifetime, a request that asked for no caching, a
// prefix below the provider's minimum. Pure.
import type { CacheDiagnosis, CacheFamily, CacheReason, CacheSummary } from '../../contract/cache';
import type { Conversation, ConversationFormat } from '../../contract/conversation';
import { computeCost } from '../../proxy/usage/cost';
import type { Bodies } from '../diff/parts';
import { comparePrefix, segmentsOf } from './segments';

export interface CacheTurn {
  id: number;
  timestamp: string;
  model: string;
  /** The upstream's name and base URL, for prices. */
  provider: string;
  baseUrl: string | null;
  conversation: Conversation | null;
  bodies: Bodies;
  inputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
}

const MINUTE = 60_000;
/** Anthropic, OpenAI and Gemini all cache nothing shorter (Anthropic's Haiku models need 2 048). */
const MIN_CACHEABLE = 1024;

export function familyOf(format: ConversationFormat | null): CacheFamily {
  if (format === 'anthropic-messages') return 'anthropic';
  if (format === 'gemini') return 'gemini';
  if (format === 'openai-chat' || format === 'openai-responses' || format === 'openai-completions') return 'openai';
  return 'other';
}

/** The lifetime the previous turn's cache entry had: it is what the gap is measured against. */
function lifetimeOf(family: CacheFamily, body: string | null): { ms: number; source: string } {
  if (family === 'anthropic' && body && /"ttl"\s*:\s*"1h"/.test(body))
    return { ms: 60 * MINUTE, source: 'cache_control ttl 1h' };
  if (family === 'openai' && body && /"prompt_cache_retention"\s*:\s*"24h"/.test(body))
    return { ms: 24 * 60 * MINUTE, source: 'prompt_cache_retention 24h' };
  return { ms: 5 * MINUTE, source: 'the default 5 minutes' };
}

const PROVIDER_KEYS = 'cache_creation|cacheTokensDetails|prompt_tokens_details|input_tokens_details|cache_miss_reason';
const PROVIDER_FIELDS = new RegExp(`"(${PROVIDER_KEYS})"\\s*:\\s*(\\{[^{}]*\\}|\\[[^\\]]*\\]|"[^"]*")`, 'g');

/** The upstream's own cache figures, as sent (the last of each in a stream: usage there is cumulative). */
function providerReport(body: string | null): string | null {
  if (!body) return null;
  const last = new Map<string, string>();
  for (const m of body.slice(-65_536).matchAll(PROVIDER_FIELDS)) last.set(m[1]!, m[2]!);
  return last.size === 0 ? null : [...last].map(([k, v]) => `${k}: ${v}`).join('; ');
}

function missCostOf(t: CacheTurn, missed: number): number | null {
  if (missed <= 0) return 0;
  const price = (cacheRead: number) =>
    computeCost({
      provider: t.provider,
      baseUrl: t.baseUrl,
      model: t.model,
      usage: { inputTokens: missed, outputTokens: 0, cacheReadTokens: cacheRead, cacheWriteTokens: 0 },
      override: null,
    });
  const full = price(0);
  const cached = price(missed);
  return full === null || cached === null ? null : Math.max(0, full - cached);
}

const fmt = (x: number) => x.toLocaleString('en-US').replace(/,/g, ' ');
const duration = (ms: number) =>
  ms >= 3_600_000
    ? `${(ms / 3_600_000).toFixed(1)} h`
    : ms >= MINUTE
      ? `${Math.round(ms / MINUTE)} min`
      : `${Math.round(ms / 1000)} s`;

export function diagnoseCache(cur: CacheTurn, prev: CacheTurn): CacheDiagnosis {
  const family = familyOf(cur.conversation?.format ?? null);
  const lifetime = lifetimeOf(family, prev.bodies.request);
  const gapMs = Date.parse(cur.timestamp) - Date.parse(prev.timestamp);
  const base = {
    id: cur.id,
    previousId: prev.id,
    family,
    inputTokens: cur.inputTokens,
    cacheReadTokens: cur.cacheReadTokens,
    cacheWriteTokens: cur.cacheWriteTokens,
    gapMs,
    lifetimeMs: lifetime.ms,
    lifetimeSource: lifetime.source,
    providerReport: providerReport(cur.bodies.response),
  };
  if (!cur.conversation || !prev.conversation || prev.inputTokens === null)
    return {
      ...base,
      expectedTokens: null,
      previousTokens: prev.inputTokens,
      sharedChars: 0,
      previousChars: 0,
      verdict: 'unknown',
      reasons: [],
      missCost: null,
    };
  const cmp = comparePrefix(segmentsOf(prev.conversation, prev.bodies), segmentsOf(cur.conversation, cur.bodies));
  // Tokens are not characters, but a prompt's tokens spread evenly enough over its text for the
  // shared share of the previous prompt's characters to say how much of its tokens repeat.
  const expected = cmp.previousChars === 0 ? 0 : Math.round((prev.inputTokens * cmp.sharedChars) / cmp.previousChars);
  const read = cur.cacheReadTokens ?? 0;
  // What a stable prompt would have let the cache serve: all of the previous prompt, which a
  // request normally repeats and extends (no more than this request sends, after a compaction).
  const ideal = Math.min(prev.inputTokens, cur.inputTokens ?? prev.inputTokens);
  // Providers cache in blocks (OpenAI: 128 tokens) up to the last breakpoint: a small shortfall is a hit.
  const slack = Math.max(128, ideal * 0.1);
  const verdict = read + slack >= ideal ? 'hit' : read > slack ? 'partial' : 'miss';
  const reasons: CacheReason[] = [];
  if (verdict !== 'hit') {
    if (prev.model && cur.model && prev.model !== cur.model)
      reasons.push({
        kind: 'model_switch',
        message: `model switched from ${prev.model} to ${cur.model}: each model has a cache of its own`,
        at: null,
      });
    if (cmp.change) reasons.push(cmp.change);
    if (gapMs > lifetime.ms)
      reasons.push({
        kind: 'expired',
        message: `${duration(gapMs)} since the previous turn, beyond the cache lifetime (${lifetime.source})`,
        at: null,
      });
    if (family === 'anthropic' && prev.bodies.request && !prev.bodies.request.includes('"cache_control"'))
      reasons.push({
        kind: 'not_requested',
        message:
          'the previous turn marked no cache_control breakpoint, so Anthropic cached nothing for this one to read',
        at: null,
      });
    if (!cmp.change && ideal < MIN_CACHEABLE)
      reasons.push({
        kind: 'below_minimum',
        message:
          `the previous prompt (~${fmt(ideal)} tokens) is below ` +
          `the ${fmt(MIN_CACHEABLE)}-token minimum providers cache`,
        at: null,
      });
    if (reasons.length === 0)
      reasons.push({
        kind: 'unexplained',
        message:
          'the prefix is unchanged and the gap within the lifetime: the provider may have evicted the entry early, ' +
          'or served the request from a machine without it',
        at: null,
      });
  }
  return {
    ...base,
    expectedTokens: expected,
    sharedChars: cmp.sharedChars,
    previousChars: cmp.previousChars,
    previousTokens: prev.inputTokens,
    verdict,
    reasons,
    // Within the block slack a shortfall is how the provider caches, not a miss to pay for.
    missCost: verdict === 'hit' ? 0 : missCostOf(cur, Math.max(0, ideal - read)),
  };
}

/** A thread's turns, each diagnosed against the one before it (the first has none). */
export function summarizeCache(turns: readonly { turn: CacheTurn; diagnosis: CacheDiagnosis | null }[]): CacheSummary {
  let written = 0;
  let read = 0;
  let missedTokens = 0;
  let missCost: number | null = null;
  let saved: number | null = null;
  for (const { turn, diagnosis } of turns) {
    written += turn.cacheWriteTokens ?? 0;
    read += turn.cacheReadTokens ?? 0;
    if (diagnosis?.previousTokens != null && diagnosis.verdict !== 'hit' && diagnosis.verdict !== 'unknown') {
      const ideal = Math.min(diagnosis.previousTokens, diagnosis.inputTokens ?? diagnosis.previousTokens);
      missedTokens += Math.max(0, ideal - (diagnosis.cacheReadTokens ?? 0));
      if (diagnosis.missCost !== null) missCost = (missCost ?? 0) + diagnosis.missCost;
    }
    const hit = missCostOf(turn, turn.cacheReadTokens ?? 0);
    if (hit !== null) saved = (saved ?? 0) + hit;
  }
  return { turns: turns.length, written, read, missedTokens, missCost, savedByHits: saved };
}
