import { describe, expect, it } from 'vitest';
import {
  addEncoded,
  BUCKETS,
  bucketOf,
  emptyHistogram,
  encodeHistogram,
  percentile,
  valueOf,
} from '../../../electron/core/storage/latency-histogram';
import { rng } from '../../helpers/records';

/** percentile_cont, computed from the sorted values. */
function exact(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

describe('latency histogram', () => {
  it('reads every value back within 1% from its bucket; buckets never decrease with the value', () => {
    let prev = 0;
    for (let ms = 0.001; ms < 1e9; ms *= 1.003) {
      const b = bucketOf(ms);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
      expect(Math.abs(valueOf(b) - ms) / ms).toBeLessThanOrEqual(0.0101);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(valueOf(0)).toBe(0);
    expect(bucketOf(Number.POSITIVE_INFINITY)).toBe(BUCKETS - 1);
  });

  it('gives percentile_cont within 1% on skewed random latencies, after a round trip through storage', () => {
    const rand = rng(3);
    for (const n of [1, 2, 7, 1000, 20_000]) {
      const xs = Array.from({ length: n }, () => (rand() < 0.05 ? 0 : Math.exp(rand() * 10)));
      const h = emptyHistogram();
      for (const x of xs) h[bucketOf(x)]! += 1;
      const stored = emptyHistogram();
      addEncoded(stored, encodeHistogram(h));
      for (const p of [0, 0.5, 0.95, 0.99, 1]) {
        const want = exact(xs, p);
        expect(Math.abs(percentile(stored, p)! - want), `n=${n} p=${p}`).toBeLessThanOrEqual(want * 0.01 + 1e-12);
      }
    }
  });

  it('adds and subtracts stored histograms; empty is null, never 0', () => {
    const a = emptyHistogram();
    a[bucketOf(100)] = 3;
    a[bucketOf(5000)] = 1;
    const sum = emptyHistogram();
    addEncoded(sum, encodeHistogram(a));
    addEncoded(sum, encodeHistogram(a));
    expect(sum[bucketOf(100)]).toBe(6);
    addEncoded(sum, encodeHistogram(a), -1);
    addEncoded(sum, encodeHistogram(a), -1);
    expect(encodeHistogram(sum)).toBeNull();
    expect(percentile(sum, 0.5)).toBeNull();
    addEncoded(sum, null);
    expect(percentile(sum, 0.5)).toBeNull();
  });

  it('refuses a malformed blob instead of misreading it', () => {
    expect(() => addEncoded(emptyHistogram(), new Uint8Array(6))).toThrow(/malformed/);
    const outOfRange = Buffer.alloc(12);
    outOfRange.writeUInt32LE(BUCKETS - 1, 0);
    expect(() => addEncoded(emptyHistogram(), outOfRange)).toThrow(/out of range/);
  });
});
