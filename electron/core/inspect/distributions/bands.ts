// What a token distribution is made of, apart from where it is stored: the input-size bands, a
// request's sample, and one decoded (policy, model, band) row. The writer keeps them in SQLite
// (storage/token-distributions.ts); the estimate reads them (inspect/estimate).
import type { Sketch } from './sketch';

/** Input-size bands are powers of four: [1,4), [4,16), …; the last holds everything from 4^10 (~1 M) up. */
export const LAST_BAND = 10;

export function bandOf(inputTokens: number): number {
  return Math.min(LAST_BAND, Math.floor(Math.log(inputTokens) / Math.log(4) + 1e-9));
}

/** The input tokens a band covers: [lo, hi), hi null for the last. */
export function bandRange(band: number): { lo: number; hi: number | null } {
  return { lo: 4 ** band, hi: band >= LAST_BAND ? null : 4 ** (band + 1) };
}

/** One request's contribution: the same requests token_ratios learns from. */
export interface Sample {
  policy: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export function sampleOf(r: {
  policy: string | null;
  model: string | null;
  success: boolean | number;
  inputTokens: number | null;
  outputTokens: number | null;
}): Sample | null {
  if (!r.success || !r.inputTokens || !r.outputTokens || r.inputTokens <= 0 || r.outputTokens <= 0) return null;
  return { policy: r.policy ?? '', model: r.model ?? '', inputTokens: r.inputTokens, outputTokens: r.outputTokens };
}

/** One (policy, model, band) row, decoded. */
export interface DistributionRow {
  policy: string;
  model: string;
  band: number;
  count: number;
  output: Sketch;
  ratio: Sketch;
}
