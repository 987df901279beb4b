// Latency distributions kept as log-spaced bucket counts, so percentiles over any number of rows
// come from a few hundred integers instead of every row's value. Buckets grow by 2%: a
// percentile is reported as its bucket's geometric middle, within 1% of the exact value (the same
// trade HDR histograms and Prometheus make). Bucket 0 holds latencies of 0 (or below).

const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Shifts log-bucket numbers so 1 µs lands at bucket 1: faster is not a latency anyone logs. */
const OFFSET = 350;
/** Highest bucket: ~11 days. Anything slower is counted there. */
export const BUCKETS = 1400;

export function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  const b = Math.floor(Math.log(ms) / LOG_GROWTH) + OFFSET;
  return b < 1 ? 1 : b > BUCKETS - 1 ? BUCKETS - 1 : b;
}

export function valueOf(bucket: number): number {
  return bucket === 0 ? 0 : Math.exp((bucket - OFFSET + 0.5) * LOG_GROWTH);
}

/** Dense counts, index = bucket. Float64 so sums over many rows never wrap. */
export type Histogram = Float64Array;

export const emptyHistogram = (): Histogram => new Float64Array(BUCKETS);

/**
 * Stored form: little-endian uint32 words, the first bucket's number then one count per bucket
 * up to the last non-empty one. A typical spread (50 ms to 30 s) is ~330 buckets, 1.3 KiB.
 * Explicit byte order, so a log file moved between machines reads the same.
 */
export function encodeHistogram(h: Histogram): Buffer | null {
  let first = 0;
  while (first < BUCKETS && h[first] === 0) first++;
  if (first === BUCKETS) return null;
  let last = BUCKETS - 1;
  while (h[last] === 0) last--;
  const out = Buffer.allocUnsafe((last - first + 2) * 4);
  out.writeUInt32LE(first, 0);
  for (let b = first; b <= last; b++) out.writeUInt32LE(h[b]!, (b - first + 1) * 4);
  return out;
}

/** Adds a stored histogram (times `sign`) into `into`. A malformed blob throws rather than misleads. */
export function addEncoded(into: Histogram, blob: Uint8Array | null, sign = 1): void {
  if (blob === null) return;
  if (blob.byteLength % 4 !== 0 || blob.byteLength < 8)
    throw new Error(`malformed latency histogram (${blob.byteLength} bytes)`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const first = view.getUint32(0, true);
  const n = blob.byteLength / 4 - 1;
  if (first + n > BUCKETS) throw new Error('malformed latency histogram (bucket out of range)');
  for (let i = 0; i < n; i++) into[first + i]! += sign * view.getUint32((i + 1) * 4, true);
}

/**
 * The p-quantile the way percentile_cont computes it (linear between the values at ranks
 * floor and ceil of p·(n−1)), with each value read as its bucket's middle. null when empty.
 */
export function percentile(h: Histogram, p: number): number | null {
  let n = 0;
  for (let b = 0; b < BUCKETS; b++) n += h[b]!;
  if (n <= 0) return null;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  let seen = 0;
  let loValue: number | null = null;
  for (let b = 0; b < BUCKETS; b++) {
    seen += h[b]!;
    if (loValue === null && seen > lo) loValue = valueOf(b);
    if (seen > hi) {
      const hiValue = valueOf(b);
      return loValue! + (hiValue - loValue!) * (rank - lo);
    }
  }
  return loValue;
}
