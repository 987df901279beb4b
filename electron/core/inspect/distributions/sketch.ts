// A fixed-bin log-scale histogram in the manner of DDSketch (Masson, Rim & Lee, VLDB 2019): bin i
// holds the values in (γ^(i-1), γ^i] with γ = (1+α)/(1−α), and reports them as 2γ^i/(γ+1), which is
// within α = 1 % of every value in the bin. So the quantile it answers is within 1 % (relative) of the
// exact quantile of the same rank. Bins are fixed, not collapsed, so counts add and subtract exactly:
// the writer adds a batch, retention subtracts what it deletes, and the result equals a rebuild.
// Token counts and output/input ratios are positive; zero and below are never counted (the callers
// only learn from requests with both counts above zero).

export const RELATIVE_ERROR = 0.01;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** Bins cover 1e-9 … 1e9 (±1 036): ratios and counts beyond are counted in the edge bins. */
export const MAX_INDEX = Math.ceil(Math.log(1e9) / LOG_GAMMA);

/** Sparse bin counts: bin index → count. */
export type Sketch = Map<number, number>;

export function indexOf(x: number): number {
  const i = Math.ceil(Math.log(x) / LOG_GAMMA);
  return i < -MAX_INDEX ? -MAX_INDEX : i > MAX_INDEX ? MAX_INDEX : i;
}

/** The value a bin stands for: within RELATIVE_ERROR of anything counted in it. */
export function valueOf(index: number): number {
  return (2 * Math.exp(index * LOG_GAMMA)) / (GAMMA + 1);
}

/** Adds `n` (negative subtracts) to x's bin; a bin brought to zero is removed. */
export function addValue(s: Sketch, x: number, n = 1): void {
  addToBin(s, indexOf(x), n);
}

function addToBin(s: Sketch, i: number, n: number): void {
  const c = (s.get(i) ?? 0) + n;
  if (c === 0) s.delete(i);
  else s.set(i, c);
}

/** into += sign × other. */
export function merge(into: Sketch, other: Sketch, sign: 1 | -1 = 1): void {
  for (const [i, n] of other) addToBin(into, i, sign * n);
}

export function countOf(s: Sketch): number {
  let n = 0;
  for (const c of s.values()) n += c;
  return n;
}

/** True when some bin went below zero: a subtraction removed what was never added. */
export function isNegative(s: Sketch): boolean {
  for (const c of s.values()) if (c < 0) return true;
  return false;
}

/** Bins in increasing order as [value, count] pairs (what the page draws). */
export function binsOf(s: Sketch): [number, number][] {
  return [...s.entries()].sort((a, b) => a[0] - b[0]).map(([i, n]) => [valueOf(i), n]);
}

/**
 * The q-quantile as the value of rank floor(q·(n−1)) (0-based) in sorted order, read as its bin's
 * value: within RELATIVE_ERROR of the exact value of that rank. null when empty.
 */
export function quantile(s: Sketch, q: number): number | null {
  const n = countOf(s);
  if (n <= 0) return null;
  const rank = Math.floor(q * (n - 1));
  let seen = 0;
  for (const i of [...s.keys()].sort((a, b) => a - b)) {
    seen += s.get(i)!;
    if (seen > rank) return valueOf(i);
  }
  return null;
}

/**
 * Stored form: little-endian int32 words, the first bin's index, then one count per bin up to the
 * last non-empty one. Explicit byte order, so a log moved between machines reads the same.
 */
export function encodeSketch(s: Sketch): Buffer | null {
  if (s.size === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const i of s.keys()) {
    if (i < first) first = i;
    if (i > last) last = i;
  }
  const out = Buffer.alloc((last - first + 2) * 4);
  out.writeInt32LE(first, 0);
  for (const [i, n] of s) out.writeInt32LE(n, (i - first + 1) * 4);
  return out;
}

/** A malformed blob throws rather than misleads. */
export function decodeSketch(blob: Uint8Array | null): Sketch {
  const s: Sketch = new Map();
  if (blob === null) return s;
  if (blob.byteLength % 4 !== 0 || blob.byteLength < 8) throw new Error(`malformed sketch (${blob.byteLength} bytes)`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const first = view.getInt32(0, true);
  const n = blob.byteLength / 4 - 1;
  if (first < -MAX_INDEX || first + n - 1 > MAX_INDEX) throw new Error('malformed sketch (bin out of range)');
  for (let k = 0; k < n; k++) {
    const c = view.getInt32((k + 1) * 4, true);
    if (c !== 0) s.set(first + k, c);
  }
  return s;
}
