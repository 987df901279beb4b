// Shared fast-check setup for the fuzz tests in `npm test`: seeded, a bounded number of runs.
//
// On failure fast-check prints the seed, the path of the shrunk counterexample and the
// counterexample itself. Replay with the same seed: `FUZZ_SEED=<seed> npx vitest run <file>`.
// A longer soak multiplies every property's runs: `FUZZ_RUNS=50 npx vitest run test/core/proxy/fuzz`.
import fc from 'fast-check';

/** The suite's default seed: runs are reproducible from one CI run to the next. */
const DEFAULT_SEED = 13_2026;

export function fuzzParams<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(process.env.FUZZ_SEED);
  const scale = process.env.FUZZ_RUNS === undefined ? 1 : Number(process.env.FUZZ_RUNS);
  return { seed, numRuns: Math.max(1, Math.round(numRuns * scale)) };
}

/** Cuts `bytes` at the given offsets (any order, duplicates and out-of-range ones ignored). */
export function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const o of at) {
    if (o > from) pieces.push(bytes.subarray(from, o));
    from = Math.max(from, o);
  }
  if (from < bytes.length || pieces.length === 0) pieces.push(bytes.subarray(from));
  return pieces;
}

/** Where to cut a byte string: anywhere, often, sometimes every byte. */
export const offsets = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.nat(), { maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 4000 }, (_, i) => i)) },
);

/**
 * Numbers an upstream or client might put where a count belongs: plausible, huge, negative, fractional, not
 * numbers.
 */
export const wildNumber = fc.oneof(
  fc.nat({ max: 2_000_000 }),
  fc.constantFrom(0, -1, 1.5, 999_999_999, 1e9, 2 ** 53, 2 ** 53 + 2, 1e200, -1e200, Number.MAX_VALUE, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('12', '', null, true, [], {}, [1], { toString: 1 }, { valueOf: {} }),
);
