// Why the prompt cache missed (or hit): a request compared with the previous turn of its thread
// (or a request chosen as such), as plain data for the cache card. Built by
// electron/core/inspect/cache/.

export type CacheFamily = 'anthropic' | 'openai' | 'gemini' | 'other';

export type CacheReasonKind =
  | 'model_switch'
  | 'tools_reordered'
  | 'tools_changed'
  | 'system_changed'
  | 'messages_changed'
  | 'history_shortened'
  | 'expired'
  | 'not_requested'
  | 'below_minimum'
  | 'unexplained';

export interface CacheReason {
  kind: CacheReasonKind;
  /** One sentence with the evidence, e.g. "system prompt changed at character 1 204: a timestamp (…)". */
  message: string;
  /** Character offset of the first change in the segment it names, when there is one. */
  at: number | null;
}

export interface CacheDiagnosis {
  id: number;
  previousId: number;
  family: CacheFamily;
  /** As the upstream reported them; inputTokens counts the whole prompt, cached parts included. */
  inputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** The tokens the prefix shared with the previous turn should have let the cache serve. */
  expectedTokens: number | null;
  /** The previous turn's whole prompt: what a prompt that only grew would have found cached. */
  previousTokens: number | null;
  /** Characters of the previous prompt that this one repeats unchanged, and that prompt's length. */
  sharedChars: number;
  previousChars: number;
  verdict: 'hit' | 'partial' | 'miss' | 'unknown';
  /** A hit read (about) all of the previous prompt; why it didn't is in `reasons`, empty on a hit. */
  reasons: CacheReason[];
  gapMs: number;
  lifetimeMs: number;
  /** Where the lifetime comes from ("default 5 minutes", "cache_control ttl 1h"). */
  lifetimeSource: string;
  /** USD paid for the expected-but-missed tokens beyond what reading them from the cache costs; null when unpriced. */
  missCost: number | null;
  /** The upstream's own cache figures beyond the counts (Anthropic cache_creation by TTL, Gemini
   *  cacheTokensDetails, OpenAI prompt_tokens_details), as it sent them; null when it sent none. */
  providerReport: string | null;
}

/** A thread's cache account: what was written and read back, and what the misses cost. */
export interface CacheSummary {
  turns: number;
  written: number;
  read: number;
  missedTokens: number;
  /** USD the misses cost over hits; null when no turn could be priced. */
  missCost: number | null;
  /** USD the tokens read from the cache saved over full price; null when unpriced. */
  savedByHits: number | null;
}

/**
 * A thread's turns diagnosed each against the one before it, and their account. At most
 * MAX_CACHE_TURNS of the latest turns (and, of those, as many as fit 64 MiB of bodies) are read:
 * `fromTurn` says where the diagnosed part starts.
 */
export interface ThreadCache {
  threadId: number;
  /** By request id: each turn after the first of those read. */
  turns: CacheDiagnosis[];
  summary: CacheSummary;
  /** The turn number the account starts at (1 when the whole thread was read). */
  fromTurn: number;
}

export const MAX_CACHE_TURNS = 200;
