// Where spend is heading by the end of a day or month. The rate is the mean hourly spend over the
// last (up to) 24 whole hours plus the current part-hour; the projection adds rate × hours left
// to what is already spent. The 90 % interval treats the hours left as independent draws from
// the same hourly distribution as the history: the sum of R hours has variance R·s² (s² the
// sample variance of the whole hours), and the rate itself, a mean over K hours, is uncertain by
// s²/K, which over R hours adds R²·s²/K. The sum is taken as normal, and since s² itself is
// measured from K hours, the bound uses Student's t with K − 1 degrees of freedom rather than z
// (with z, coverage measured 87 % instead of 90 %); the lower bound is cut at zero. A rate that
// changes (traffic by time of day, a loop that just started) is not modelled: the interval says
// how sure the projection is if the last day's pattern holds. test/core/spend/projection.test.ts
// measures its coverage on synthetic traffic of known rate.
import type { Projection } from '../contract/spend';

/** z for a two-sided 90 % interval. */
const Z90 = 1.6448536269514722;

/**
 * Student's t for a two-sided 90 % interval with `df` degrees of freedom (Cornish-Fisher expansion:
 * 2 % low at df = 3, exact to three digits from df = 20).
 */
export function t90(df: number): number {
  const z = Z90;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface RateSample {
  /** Spend of each whole hour in the window, oldest first. */
  hours: readonly number[];
  /** Spend so far in the current hour, and the fraction of it elapsed (0..1). */
  partial: number;
  partialFraction: number;
}

/** USD per hour, and the hours it was measured over. */
export function rateOf(s: RateSample): { perHour: number; hours: number } {
  const hours = s.hours.length + s.partialFraction;
  if (hours <= 0) return { perHour: 0, hours: 0 };
  let sum = s.partial;
  for (const h of s.hours) sum += h;
  return { perHour: sum / hours, hours };
}

/** Spend at the end of a period `remainingHours` from now, given what is `spent` already. */
export function project(spent: number, remainingHours: number, s: RateSample): Projection {
  const { perHour, hours } = rateOf(s);
  const r = Math.max(0, remainingHours);
  const expected = spent + perHour * r;
  const k = s.hours.length;
  if (k < 2) return { expected, low: null, high: null };
  let mean = 0;
  for (const h of s.hours) mean += h;
  mean /= k;
  let ss = 0;
  for (const h of s.hours) ss += (h - mean) ** 2;
  const variance = ss / (k - 1);
  const sd = Math.sqrt(r * variance + (r * r * variance) / hours);
  const t = t90(k - 1);
  return {
    expected,
    low: spent + Math.max(0, perHour * r - t * sd),
    high: spent + perHour * r + t * sd,
  };
}
