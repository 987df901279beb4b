// Byte-level line splitting for SSE and NDJSON, across chunk boundaries.
//
// Works on bytes, not strings: CR and LF never occur inside a UTF-8 multi-byte sequence,
// so a chunk split inside a character is harmless as long as a line is only decoded once
// it is complete. Handles LF, CRLF and lone CR (the SSE spec allows all three), including a
// CRLF whose CR ends one chunk and whose LF starts the next.
//
// Memory is bounded: a line longer than `maxLineBytes` is handed to `overflow()` in pieces
// as it arrives instead of being held, and `line()` then gets only the part after the last piece.

export const LF = 0x0a;
export const CR = 0x0d;
/**
 * The observer's line bound (SSE events, NDJSON lines). Usage sits in an event of a few hundred
 * bytes; 1 MiB keeps whole every event a real API sends (a long tool-call argument, a base64
 * image chunk) while a line that never ends costs at most this much.
 */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);
export const TERM_LF = Buffer.from('\n');
export const TERM_CR = Buffer.from('\r');
export const TERM_CRLF = Buffer.from('\r\n');

export interface LineSink {
  /** A complete line without its terminator; `term` is the raw terminator (empty on flush). */
  line(content: Buffer, term: Buffer, overflowed: boolean): void;
  /** The LF of a CRLF that arrived in the chunk after its CR (the line was already delivered with TERM_CR). */
  lfAfterCr(): void;
  /** Part of a line longer than the cap, as it arrives. */
  overflow(bytes: Buffer): void;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private overflowing = false;
  private afterCr = false;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Bytes of the partial line held right now: never more than maxLineBytes. */
  get bufferedBytes(): number {
    return this.pendingLen;
  }

  /**
   * A snapshot of the partial line's raw bytes as they stand now, read later: lets a caller hand
   * them on untouched if its own handling of the next chunk fails. Cheap: `pending` is only ever
   * appended to or replaced, so a reference and a count pin it.
   */
  pendingSnapshot(): () => Buffer[] {
    const parts = this.pending;
    const count = parts.length;
    return () => parts.slice(0, count);
  }

  /** No partial line or half-seen CRLF is pending. */
  get idle(): boolean {
    return this.pendingLen === 0 && !this.overflowing && !this.afterCr;
  }

  push(chunk: Buffer, sink: LineSink): void {
    let pos = 0;
    const len = chunk.length;
    if (this.afterCr && len > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) {
        sink.lfAfterCr();
        pos = 1;
      }
    }
    // Next LF / CR positions, searched once and reused: re-searching for a byte that does
    // not occur (CR, in most streams) after every line would make a chunk quadratic.
    let nextLf = chunk.indexOf(LF, pos);
    let nextCr = chunk.indexOf(CR, pos);
    while (pos < len) {
      if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = chunk.indexOf(CR, pos);
      const t = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (t === -1) {
        this.hold(chunk.subarray(pos), sink);
        return;
      }
      let term = TERM_LF;
      let next = t + 1;
      if (chunk[t] === CR) {
        if (t + 1 < len && chunk[t + 1] === LF) {
          term = TERM_CRLF;
          next = t + 2;
        } else {
          term = TERM_CR;
          if (t + 1 === len) this.afterCr = true;
        }
      }
      this.deliver(chunk.subarray(pos, t), term, sink);
      pos = next;
    }
  }

  /** End of input: a trailing line without terminator is delivered with an empty `term`. */
  flush(sink: LineSink): void {
    this.afterCr = false;
    if (this.pendingLen > 0 || this.overflowing) this.deliver(EMPTY, EMPTY, sink);
  }

  private hold(bytes: Buffer, sink: LineSink): void {
    if (bytes.length === 0) return;
    if (this.overflowing) {
      sink.overflow(bytes);
      return;
    }
    if (this.pendingLen + bytes.length > this.maxLineBytes) {
      this.pending.push(bytes);
      sink.overflow(Buffer.concat(this.pending));
      this.pending = [];
      this.pendingLen = 0;
      this.overflowing = true;
      return;
    }
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
  }

  private deliver(tail: Buffer, term: Buffer, sink: LineSink): void {
    const overflowed = this.overflowing;
    let content = tail;
    if (this.pendingLen > 0) {
      this.pending.push(tail);
      content = Buffer.concat(this.pending, this.pendingLen + tail.length);
      this.pending = [];
      this.pendingLen = 0;
    }
    this.overflowing = false;
    sink.line(content, term, overflowed);
  }
}
