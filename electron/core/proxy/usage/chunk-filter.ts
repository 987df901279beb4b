// Undoes, in what the client receives, the include_usage the proxy added to an OpenAI
// stream request (see inject.ts), so the client gets the stream it asked for:
//  - the extra usage-only chunk (`"choices": []` + usage) before `data: [DONE]` is removed,
//    event and terminating blank line included;
//  - with `stripNullUsage` (default on), the `"usage":null` member OpenAI adds to every other
//    chunk once include_usage is set is removed too, so those chunks are byte-identical to
//    what the upstream sends without it. Everything else passes through byte for byte.
//
// Latency: bytes go out as soon as their line is complete; only lines of an event before its
// first data line are held (an `event:`/`id:` line of an event that may turn out to be the
// one removed). A line longer than the line limit is never the usage chunk and streams through
// as is.
//
// Failing open: the filter is inspection, so a bug in it must not touch the client's bytes. Each
// chunk is handled as a unit; if handling it throws, what this chunk produced is thrown away and
// the client gets, instead, every byte not yet sent (the held lines, the partial line, the chunk)
// exactly as the upstream sent them, and so on to the end. The client then has the filtered
// stream up to that chunk and the upstream's own bytes after it; `onError` hears why.

import { Transform, type TransformCallback } from 'node:stream';
import { lastMember, scanObject } from './json-scan';
import { LineSplitter, TERM_LF, type LineSink } from './lines';

export interface FilterLimits {
  /**
   * Bytes of one line buffered while waiting for its end. The usage chunk is a few hundred bytes;
   * a longer line streams through as it arrives (it is never the one removed).
   */
  maxLineBytes: number;
  /**
   * Bytes of an event's lines before its first data line (`event:`, `id:`, `retry:`, comments),
   * held until that data line shows whether the event is the usage chunk. OpenAI's usage chunk
   * has no such lines at all, and servers send at most a few short ones; past this the event is
   * let through as it is (and is then never removed), so a flood of comments can't grow memory.
   */
  maxHeldBytes: number;
  /** The same bound in lines: a flood of empty comment lines (`:\n`) costs more per line than per byte. */
  maxHeldLines: number;
}

export const FILTER_LIMITS: FilterLimits = { maxLineBytes: 64 * 1024, maxHeldBytes: 8 * 1024, maxHeldLines: 32 };

type EventFate = 'undecided' | 'pass' | 'drop';

const EMPTY = Buffer.alloc(0);

export interface UsageChunkFilterOptions {
  stripNullUsage?: boolean;
  /** Told once when the filter fails open (see above). */
  onError?: (error: unknown) => void;
  /** Smaller limits, for tests that exercise the bounds cheaply. */
  limits?: Partial<FilterLimits>;
}

export function createUsageChunkFilter(options: UsageChunkFilterOptions = {}): UsageChunkFilter {
  return new UsageChunkFilter(options.stripNullUsage ?? true, { ...FILTER_LIMITS, ...options.limits }, options.onError);
}

export class UsageChunkFilter extends Transform implements LineSink {
  private readonly lines: LineSplitter;
  private fate: EventFate = 'undecided';
  /** Raw lines (content, terminator, content, …) not yet sent; only ever appended to or replaced. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private heldLines = 0;
  /** Where the last line went, for the LF of a CRLF split across chunks. */
  private lastLine: 'out' | 'held' | 'dropped' = 'out';
  private removed = false;
  private failed = false;
  private out: Buffer[] = [];

  constructor(
    private readonly stripNullUsage: boolean,
    private readonly limits: FilterLimits,
    private readonly onError?: (error: unknown) => void,
  ) {
    super();
    this.lines = new LineSplitter(limits.maxLineBytes);
  }

  /** Bytes from the upstream held back right now (held lines and the partial line); for tests of the bounds. */
  get bufferedBytes(): number {
    return this.heldBytes + this.lines.bufferedBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    // Once the chunk is gone and nothing needs editing (or the filter failed), get out of the way entirely.
    if (
      this.failed ||
      (this.removed && !this.stripNullUsage && this.fate !== 'drop' && this.held.length === 0 && this.lines.idle)
    ) {
      done(null, chunk);
      return;
    }
    const unsent = this.unsent();
    try {
      this.lines.push(chunk, this);
    } catch (error) {
      done(null, this.failOpen(error, unsent, chunk));
      return;
    }
    this.emitOut(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.failed) {
      done();
      return;
    }
    const unsent = this.unsent();
    try {
      this.lines.flush(this);
      this.flushHeld();
    } catch (error) {
      done(null, this.failOpen(error, unsent, null));
      return;
    }
    this.emitOut(done);
  }

  /** The input bytes received but not sent yet, as a cheap snapshot (both arrays are append-only until replaced). */
  private unsent(): () => Buffer[] {
    const held = this.held;
    const heldCount = held.length;
    const partial = this.lines.pendingSnapshot();
    return () => [...held.slice(0, heldCount), ...partial()];
  }

  private failOpen(error: unknown, unsent: () => Buffer[], chunk: Buffer | null): Buffer {
    this.failed = true;
    const raw = Buffer.concat(chunk === null ? unsent() : [...unsent(), chunk]);
    this.out = [];
    this.held = [];
    this.heldBytes = 0;
    this.heldLines = 0;
    this.onError?.(error);
    return raw;
  }

  private emitOut(done: TransformCallback): void {
    const out = this.out;
    this.out = [];
    done(null, out.length === 0 ? undefined : out.length === 1 ? out[0] : Buffer.concat(out));
  }

  line(content: Buffer, term: Buffer, overflowed: boolean): void {
    if (overflowed) {
      this.put(content, term);
      return;
    }
    if (content.length > this.limits.maxLineBytes) {
      // A long line that arrived whole is treated as one that arrived in pieces (overflowed):
      // what the client gets must not depend on where the upstream's packets split.
      this.overflow(content);
      this.put(EMPTY, term);
      return;
    }
    if (content.length === 0) {
      if (this.fate === 'undecided') this.flushHeld();
      this.put(content, term);
      this.fate = 'undecided';
      return;
    }
    const isData = isDataLine(content);
    if (this.fate === 'undecided') {
      if (!isData) {
        this.hold(content, term);
        return;
      }
      if (!this.removed && isUsageOnlyChunk(content)) {
        this.removed = true;
        this.dropHeld();
        this.fate = 'drop';
      } else {
        this.flushHeld();
        this.fate = 'pass';
      }
    }
    this.put(isData && this.stripNullUsage && this.fate === 'pass' ? withoutNullUsage(content) : content, term);
  }

  lfAfterCr(): void {
    if (this.lastLine === 'held') this.hold(TERM_LF, null);
    else if (this.lastLine === 'out') this.out.push(TERM_LF);
  }

  overflow(bytes: Buffer): void {
    if (this.fate === 'undecided') {
      this.flushHeld();
      this.fate = 'pass';
    }
    if (this.fate === 'pass') this.out.push(bytes);
  }

  private put(content: Buffer, term: Buffer): void {
    if (this.fate === 'drop') {
      this.lastLine = 'dropped';
      return;
    }
    if (this.fate === 'undecided' && content.length > 0) {
      this.hold(content, term);
      return;
    }
    if (content.length > 0) this.out.push(content);
    if (term.length > 0) this.out.push(term);
    this.lastLine = 'out';
  }

  /** Holds a line of an undecided event, or, past the bounds, decides the event passes. */
  private hold(content: Buffer, term: Buffer | null): void {
    this.held.push(content);
    this.heldBytes += content.length;
    if (term !== null) {
      this.held.push(term);
      this.heldBytes += term.length;
      this.heldLines++;
    }
    this.lastLine = 'held';
    if (this.heldBytes > this.limits.maxHeldBytes || this.heldLines > this.limits.maxHeldLines) {
      this.flushHeld();
      this.fate = 'pass';
      this.lastLine = 'out';
    }
  }

  private flushHeld(): void {
    // A loop, not push(...held): spreading tens of thousands of lines as arguments overflows the stack.
    for (const piece of this.held) this.out.push(piece);
    this.dropHeld();
  }

  private dropHeld(): void {
    this.held = [];
    this.heldBytes = 0;
    this.heldLines = 0;
  }
}

const DATA = Buffer.from('data');

/** `data: …`, `data:…` or a bare `data` line. */
export function isDataLine(line: Buffer): boolean {
  if (line.length < 4 || line[0] !== 0x64 || line.compare(DATA, 0, 4, 0, 4) !== 0) return false;
  return line.length === 4 || line[4] === 0x3a;
}

/** The value of a `data:` line (after the colon and one optional space). */
function dataValueStart(line: Buffer): number {
  if (line.length <= 4) return line.length;
  return line[5] === 0x20 ? 6 : 5;
}

export function isUsageOnlyChunk(line: Buffer): boolean {
  // Pre-check on bytes so ordinary chunks (every one has "choices" and, with include_usage,
  // "usage") are not JSON-parsed: only an empty choices array can be the usage chunk.
  if (line.indexOf('"choices":[]') === -1 && line.indexOf('"choices": []') === -1) return false;
  if (line.indexOf('"usage"') === -1) return false;
  try {
    const v = JSON.parse(line.toString('utf8', dataValueStart(line))) as unknown;
    if (typeof v !== 'object' || v === null) return false;
    const { choices, usage } = v as { choices?: unknown; usage?: unknown };
    return Array.isArray(choices) && choices.length === 0 && typeof usage === 'object' && usage !== null;
  } catch {
    return false;
  }
}

/** The data line with its top-level `"usage": null` member removed, or the line unchanged. */
const NULL_USAGE_LAST = Buffer.from(',"usage":null}');

export function withoutNullUsage(line: Buffer): Buffer {
  // Fast path for OpenAI's own serialisation, where usage is the last member: in valid JSON
  // an unescaped `"usage"` right before the object's final brace is a top-level member.
  const tailAt = line.length - NULL_USAGE_LAST.length;
  if (tailAt > 0 && line.compare(NULL_USAGE_LAST, 0, NULL_USAGE_LAST.length, tailAt) === 0) {
    return Buffer.concat([line.subarray(0, tailAt), line.subarray(line.length - 1)]);
  }
  if (line.indexOf('"usage"') === -1) return line;
  const start = dataValueStart(line);
  const text = line.toString('utf8', start);
  const layout = scanObject(text);
  const m = layout ? lastMember(layout, 'usage') : undefined;
  if (!layout || !m || text.slice(m.valueStart, m.valueEnd) !== 'null') return line;
  const i = layout.members.indexOf(m);
  const prev = layout.members[i - 1];
  const next = layout.members[i + 1];
  // Remove the member with the comma that joined it to its neighbour.
  const cut = prev ? [prev.valueEnd, m.valueEnd] : next ? [m.start, next.start] : [m.start, m.valueEnd];
  const edited = text.slice(0, cut[0]) + text.slice(cut[1]);
  return Buffer.concat([line.subarray(0, start), Buffer.from(edited, 'utf8')]);
}
