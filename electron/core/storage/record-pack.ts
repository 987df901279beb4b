// Records on their way to the writer thread, packed into one transferable buffer per batch.
//
// Why: a structured clone of the batch's record objects (each with its exchange, headers and bodies)
// ran on the proxy's thread at every post, walking ~50 records allocated over the last 50 ms. Packing
// each record as it is enqueued (while it is still in the CPU's caches) and transferring the bytes
// costs the proxy's thread less, and the records' objects die young. The writer unpacks them into the
// same records it was given before (record-pack.test.ts holds the two to each other).
//
// Layout, one record after another, fields in the order of RecordPacker.add:
// - text: u32 (0: null; else UTF-8 byte length + 1), then the bytes;
// - number: u8 tag (0 null, 1 float64, 2 a value of another type, kept as its text), then the value;
// - boolean: u8 0 or 1;
// - headers: u32 (0: null; else the header count + 1), then per header its name (text), a u8
//   (0 one value, 1 several) and the value (text) or a u32 count and the values.
// Little-endian throughout. `undefined` is packed as null: a nullable column stores NULL for
// either, and a required one refuses both.
import type { Headers, LogRecord } from '../contract/model';
import type { QueuedRecord } from './writer-protocol';

/** A batch as posted: `bytes` (transferred) holds `count` records in its first `length` bytes. */
export interface PackedRecords {
  count: number;
  bytes: ArrayBuffer;
  length: number;
}

/** Strings shorter than this are copied a character at a time: cheaper than a call into the encoder. */
const SHORT = 64;
/**
 * Up to this length a string reserves three bytes a character (UTF-8's most per UTF-16 unit) rather than
 * have its size counted first: a count is a scan of its own, as long as the copy (~175 ns a KiB).
 */
const RESERVE_UP_TO = 64 * 1024;

export class RecordPacker {
  private u8: Buffer;
  private view: DataView;
  private pos = 0;
  private n = 0;
  /** Where the last record added starts, for dropLast(); -1: none to drop. */
  private lastStart = -1;
  /** Bytes the next batch starts with: what the last one needed, so a batch rarely grows. */
  private initial: number;

  // Small: at a low rate a batch is a few records, and each batch is a new (zeroed) buffer.
  constructor(private readonly minBytes = 16 * 1024) {
    this.initial = minBytes;
    this.u8 = Buffer.alloc(0);
    this.view = new DataView(new ArrayBuffer(0));
    this.clear();
  }

  get count(): number {
    return this.n;
  }

  /** Packs `r`; returns the UTF-8 bytes its two bodies took (what the writer's byte bound counts). */
  add(r: LogRecord, shed: boolean): number {
    this.n++;
    this.lastStart = this.pos;
    this.text(r.correlationId);
    this.text(r.timestamp);
    this.text(r.method);
    this.text(r.path);
    this.text(r.model);
    this.text(r.provider);
    this.text(r.policy);
    this.bool(r.streaming);
    this.num(r.status);
    this.bool(r.success);
    this.num(r.errorStatus);
    this.text(r.errorMessage);
    this.num(r.inputTokens);
    this.num(r.outputTokens);
    this.num(r.cacheReadTokens);
    this.num(r.cacheWriteTokens);
    this.num(r.reasoningTokens);
    this.bool(r.tokensEstimated);
    this.num(r.cost);
    this.num(r.providerCost);
    this.num(r.latencyMs);
    this.num(r.ttfbMs);
    this.num(r.streamDurationMs);
    this.text(r.finishReason);
    this.num(r.requestBytes);
    this.num(r.responseBytes);
    this.num(r.replayOf);
    const e = r.exchange;
    this.headers(e.requestHeaders);
    this.headers(e.responseHeaders);
    let bodies = this.pos;
    this.text(e.requestBody);
    this.bool(e.requestBodyTruncated);
    this.text(e.responseBody);
    // Less the two length prefixes (4 bytes each) and the flag between them.
    bodies = this.pos - bodies - 9;
    this.bool(e.responseBodyTruncated);
    this.bool(shed);
    return bodies;
  }

  /** Takes back the record add() packed last (only that one). */
  dropLast(): void {
    if (this.n === 0 || this.lastStart < 0) return;
    this.n--;
    this.pos = this.lastStart;
    this.lastStart = -1;
  }

  /** The batch so far (null when empty); the packer starts a new one. */
  take(): PackedRecords | null {
    if (this.n === 0) return null;
    const batch = { count: this.n, bytes: this.view.buffer as ArrayBuffer, length: this.pos };
    this.initial = Math.max(this.minBytes, this.pos + (this.pos >> 2));
    this.clear();
    return batch;
  }

  /** Drops the batch so far. */
  clear(): void {
    // Not Buffer.alloc: a small one comes from Node's shared pool, whose ArrayBuffer cannot be transferred.
    const memory = new ArrayBuffer(this.initial);
    this.u8 = Buffer.from(memory);
    this.view = new DataView(memory);
    this.pos = 0;
    this.n = 0;
    this.lastStart = -1;
  }

  private room(bytes: number): void {
    const need = this.pos + bytes;
    if (need <= this.u8.length) return;
    let size = this.u8.length * 2;
    while (size < need) size *= 2;
    const memory = new ArrayBuffer(size);
    const grown = Buffer.from(memory);
    this.u8.copy(grown, 0, 0, this.pos);
    this.u8 = grown;
    this.view = new DataView(memory);
  }

  private u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  private bool(v: boolean): void {
    this.room(1);
    this.u8[this.pos++] = v ? 1 : 0;
  }

  private num(v: unknown): void {
    if (v === null || v === undefined) {
      this.room(1);
      this.u8[this.pos++] = 0;
    } else if (typeof v === 'number') {
      this.room(9);
      this.u8[this.pos] = 1;
      this.view.setFloat64(this.pos + 1, v, true);
      this.pos += 9;
    } else {
      // Not a number where the type says one: kept as text, which is what SQLite's column affinity
      // would have made of it anyway.
      this.room(1);
      this.u8[this.pos++] = 2;
      this.text(String(v));
    }
  }

  private text(v: unknown): void {
    if (v === null || v === undefined) return this.u32(0);
    const s = typeof v === 'string' ? v : String(v);
    const n = s.length;
    const start = this.pos + 4;
    let written = 0;
    if (n < SHORT) {
      this.room(4 + 3 * n);
      const u8 = this.u8;
      for (; written < n; written++) {
        const c = s.charCodeAt(written);
        if (c >= 0x80) break;
        u8[start + written] = c;
      }
      if (written < n) written += u8.write(s.slice(written), start + written, 3 * n, 'utf8');
    } else {
      const room = n <= RESERVE_UP_TO ? 3 * n : Buffer.byteLength(s, 'utf8');
      this.room(4 + room);
      written = this.u8.write(s, start, room, 'utf8');
    }
    this.view.setUint32(this.pos, written + 1, true);
    this.pos = start + written;
  }

  private headers(h: Headers | null): void {
    if (h === null || h === undefined) return this.u32(0);
    const at = this.pos;
    this.u32(0);
    let count = 0;
    for (const name in h) {
      const value = h[name];
      if (value === undefined) continue;
      count++;
      this.text(name);
      if (Array.isArray(value)) {
        this.bool(true);
        this.u32(value.length);
        for (const item of value) this.text(item);
      } else {
        this.bool(false);
        this.text(value);
      }
    }
    this.view.setUint32(at, count + 1, true);
  }
}

/** Thrown for bytes that are not a packed batch: a bug, reported with the batch's records as rejected. */
export class UnpackError extends Error {}

/** The records of a packed batch, as they were given to RecordPacker.add. */
export function unpackRecords(batch: PackedRecords): QueuedRecord[] {
  const { count, bytes, length } = batch;
  if (!(bytes instanceof ArrayBuffer) || !Number.isInteger(count) || count < 0 || !Number.isInteger(length))
    throw new UnpackError('not a packed batch');
  if (length > bytes.byteLength) throw new UnpackError(`batch length ${length} beyond its ${bytes.byteLength} bytes`);
  const r = new Reader(Buffer.from(bytes, 0, length));
  const out: QueuedRecord[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = r.record();
  if (r.pos !== length) throw new UnpackError(`${length - r.pos} bytes left after ${count} records`);
  return out;
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new UnpackError(`batch cut short at byte ${this.pos}`);
  }

  private u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private bool(): boolean {
    const v = this.u8();
    if (v > 1) throw new UnpackError(`boolean ${v} at byte ${this.pos - 1}`);
    return v === 1;
  }

  private str(): string {
    const n = this.u32();
    if (n === 0) throw new UnpackError(`null where text is required, at byte ${this.pos - 4}`);
    return this.bytes(n - 1);
  }

  private text(): string | null {
    const n = this.u32();
    return n === 0 ? null : this.bytes(n - 1);
  }

  private bytes(len: number): string {
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  // Numbers are typed `number | null` here as in the record; a tag-2 value is the text a caller sent
  // where a number belonged, passed on as it came (see RecordPacker.num).
  private num(): number | null {
    const tag = this.u8();
    if (tag === 0) return null;
    if (tag === 1) {
      this.need(8);
      const v = this.buf.readDoubleLE(this.pos);
      this.pos += 8;
      return v;
    }
    if (tag === 2) return this.text() as unknown as number;
    throw new UnpackError(`number tag ${tag} at byte ${this.pos - 1}`);
  }

  private headers(): Headers | null {
    const n = this.u32();
    if (n === 0) return null;
    const out: Headers = {};
    for (let i = 0; i < n - 1; i++) {
      const name = this.str();
      if (this.bool()) {
        const count = this.u32();
        const values: string[] = [];
        for (let j = 0; j < count; j++) values.push(this.text() as string);
        out[name] = values;
      } else {
        out[name] = this.text() as string;
      }
    }
    return out;
  }

  record(): QueuedRecord {
    // The fields in add()'s order: each line reads what the same line there wrote. A required field
    // that was missing comes back null, as it was given: SQLite refuses that record alone.
    const record = {
      correlationId: this.text() as string,
      timestamp: this.text() as string,
      method: this.text() as string,
      path: this.text() as string,
      model: this.text() as string,
      provider: this.text() as string,
      policy: this.text(),
      streaming: this.bool(),
      status: this.num(),
      success: this.bool(),
      errorStatus: this.num(),
      errorMessage: this.text(),
      inputTokens: this.num(),
      outputTokens: this.num(),
      cacheReadTokens: this.num(),
      cacheWriteTokens: this.num(),
      reasoningTokens: this.num(),
      tokensEstimated: this.bool(),
      cost: this.num(),
      providerCost: this.num(),
      latencyMs: this.num(),
      ttfbMs: this.num(),
      streamDurationMs: this.num(),
      finishReason: this.text(),
      requestBytes: this.num(),
      responseBytes: this.num(),
      replayOf: this.num(),
      exchange: {
        requestHeaders: this.headers() as Headers,
        responseHeaders: this.headers(),
        requestBody: this.text(),
        requestBodyTruncated: this.bool(),
        responseBody: this.text(),
        responseBodyTruncated: this.bool(),
      },
    } satisfies LogRecord;
    return { record, shed: this.bool() };
  }
}
