// The projection on synthetic traffic of known rate: requests arrive as a Poisson process and
// each costs an exponentially distributed amount, so the true hourly rate and the spread of a
// sum of hours are known. The 90 % interval must cover the realised spend about 90 % of the time.
import { describe, expect, it } from 'vitest';
import { project, rateOf } from '../../../electron/core/spend/projection';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Spend over `hours` hours of traffic: Poisson(lambda per hour) requests, each Exp(meanCost). */
function spend(rand: () => number, lambda: number, meanCost: number, hours: number): number {
  // Arrivals as exponential gaps: exact for any (fractional) span.
  let t = -Math.log(1 - rand()) / lambda;
  let sum = 0;
  while (t < hours) {
    sum += -Math.log(1 - rand()) * meanCost;
    t += -Math.log(1 - rand()) / lambda;
  }
  return sum;
}

const LAMBDA = 30;
const MEAN_COST = 0.02;
const RATE = LAMBDA * MEAN_COST; // $0.60 an hour

function trial(rand: () => number, remainingWhole: number) {
  const history = Array.from({ length: 24 }, () => spend(rand, LAMBDA, MEAN_COST, 1));
  const partialFraction = 0.5;
  const partial = spend(rand, LAMBDA, MEAN_COST, partialFraction);
  const spent = 3; // already spent this period: carried through unchanged
  const remaining = remainingWhole + (1 - partialFraction);
  const p = project(spent, remaining, { hours: history, partial, partialFraction });
  const actual = spent + spend(rand, LAMBDA, MEAN_COST, remaining);
  return { p, actual, rate: rateOf({ hours: history, partial, partialFraction }).perHour };
}

function coverage(remainingWhole: number, trials: number, seed: number) {
  const rand = rng(seed);
  let covered = 0;
  let rateSum = 0;
  let expectedSum = 0;
  for (let i = 0; i < trials; i++) {
    const { p, actual, rate } = trial(rand, remainingWhole);
    if (actual >= p.low! && actual <= p.high!) covered++;
    rateSum += rate;
    expectedSum += p.expected;
  }
  return { coverage: covered / trials, meanRate: rateSum / trials, meanExpected: expectedSum / trials };
}

describe('spend projection', () => {
  it('estimates the known rate without bias', () => {
    const { meanRate, meanExpected } = coverage(200, 400, 1);
    expect(meanRate).toBeGreaterThan(RATE * 0.98);
    expect(meanRate).toBeLessThan(RATE * 1.02);
    expect(meanExpected).toBeGreaterThan((3 + RATE * 200.5) * 0.98);
    expect(meanExpected).toBeLessThan((3 + RATE * 200.5) * 1.02);
  });

  it('covers about 90 % over a month-like horizon, where the rate uncertainty dominates', () => {
    const { coverage: c } = coverage(500, 600, 2);
    expect(c).toBeGreaterThan(0.86);
    expect(c).toBeLessThan(0.94);
  });

  it('covers about 90 % over the last hours of a day, where hour-to-hour noise dominates', () => {
    const { coverage: c } = coverage(3, 600, 3);
    expect(c).toBeGreaterThan(0.85);
    expect(c).toBeLessThan(0.95);
  });

  it('is exact for steady spend, has no spread under two hours, and never goes below what is spent', () => {
    expect(rateOf({ hours: [1, 1, 1], partial: 0.5, partialFraction: 0.5 })).toEqual({ perHour: 1, hours: 3.5 });
    expect(project(2, 10, { hours: [1, 1, 1], partial: 0.5, partialFraction: 0.5 })).toEqual({
      expected: 12,
      low: 12,
      high: 12,
    });
    expect(project(2, 10, { hours: [1], partial: 0, partialFraction: 0.2 })).toEqual({
      expected: 2 + (1 / 1.2) * 10,
      low: null,
      high: null,
    });
    const wild = project(2, 10, { hours: [0, 0, 0, 50], partial: 0, partialFraction: 0 });
    expect(wild.low).toBe(2);
    expect(wild.high!).toBeGreaterThan(wild.expected);
    expect(project(0, 5, { hours: [], partial: 0, partialFraction: 0 })).toEqual({
      expected: 0,
      low: null,
      high: null,
    });
  });
});
