// The numbers a row may hold. Token counts and costs come from upstream responses, so they are
// untrusted: one absurd value (`completion_tokens: 1e200`) once turned the Welford update of
// token_ratios into NaN, SQLite refused the row on token_ratios.m2, and the request vanished from
// the log. The usage parsers keep only plausible values (noting the rest in the row), and the
// writer applies the same bounds to every record it is given, so no producer can get past them.
import type { LogRecord } from '../contract/model';

/**
 * Token counts are integers 0 <= n < 1e9. The largest context windows are ~10M tokens; a billion
 * is a bug or a lie, and sums and ratios of such counts lose precision or overflow downstream.
 */
export const MAX_TOKEN_COUNT = 1e9;

/** A request's cost in USD is finite, 0 <= x < 1e6: the price of 1e9 tokens at $1000 per million. */
export const MAX_COST_USD = 1e6;

export function plausibleTokens(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_TOKEN_COUNT ? v : null;
}

export function plausibleCost(v: unknown): number | null {
  return typeof v === 'number' && v >= 0 && v < MAX_COST_USD ? v : null;
}

/** Durations (ms) and byte counts: finite and not negative. */
function plausibleMeasure(v: unknown): number | null {
  return typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? v : null;
}

const TOKEN_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;
const COST_FIELDS = ['cost', 'providerCost'] as const;
const MEASURE_FIELDS = ['latencyMs', 'ttfbMs', 'streamDurationMs', 'requestBytes', 'responseBytes'] as const;

/** Each checked field with its bound, in one flat list: this runs for every record on the proxy's thread. */
const CHECKS: readonly (readonly [keyof LogRecord, (v: unknown) => number | null])[] = [
  ...TOKEN_FIELDS.map((f) => [f, plausibleTokens] as const),
  ...COST_FIELDS.map((f) => [f, plausibleCost] as const),
  ...MEASURE_FIELDS.map((f) => [f, plausibleMeasure] as const),
];

/** `r` with every implausible number replaced by null; `r` itself (no copy) when all are fine. */
export function saneRecord(r: LogRecord): LogRecord {
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < CHECKS.length; i++) {
    const [field, sane] = CHECKS[i]!;
    const v = r[field];
    if (v === null || v === undefined || sane(v) === v) continue;
    out ??= { ...r };
    out[field] = null;
  }
  return (out as LogRecord | null) ?? r;
}
