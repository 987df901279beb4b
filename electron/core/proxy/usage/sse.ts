// Incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation"):
// `field: value` lines, one optional space after the colon, `:` comments, multi-line data
// joined with LF, an event dispatched at a blank line, nothing dispatched for an event
// without data. Bounded memory: an event larger than the cap keeps only its tail (and is
// flagged `truncated`), which is where providers put usage.

import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type LineSink } from './lines';
import type { SseEvent } from './types';

/** Bytes of an oversized line/event kept for salvaging usage from its end. */
export const TAIL_BYTES = 64 * 1024;
/** Bytes of an oversized line kept from its start: enough to tell a `data` line from others. */
export const HEAD_BYTES = 16;
/**
 * An `event:` or `id:` value is kept to this many characters. Real ones are a few dozen; without
 * a bound, each could hold a whole line's worth (1 MiB) for as long as the event lasts.
 */
export const MAX_FIELD_CHARS = 1024;

export class SseParser implements LineSink {
  private readonly lines: LineSplitter;
  private eventType: string | null = null;
  private id: string | undefined;
  private data: string[] = [];
  private dataLen = 0;
  private truncated = false;
  private overflowHead: Buffer | null = null;
  private overflowTail: Buffer = Buffer.alloc(0);
  /** Bytes of the oversized line so far. */
  private overflowBytes = 0;
  private atStart = true;
  private onEvent: (e: SseEvent) => void = () => {};

  constructor(private readonly maxEventBytes = DEFAULT_MAX_LINE_BYTES) {
    this.lines = new LineSplitter(maxEventBytes);
  }

  /**
   * Bytes (characters, for decoded text) held right now. Never more than twice the event cap
   * (a partial line, the event's data) plus TAIL_BYTES + HEAD_BYTES (an oversized line) plus two
   * MAX_FIELD_CHARS (event type and id).
   */
  get bufferedBytes(): number {
    return (
      this.lines.bufferedBytes +
      this.dataLen +
      this.overflowTail.length +
      (this.overflowHead?.length ?? 0) +
      (this.eventType?.length ?? 0) +
      (this.id?.length ?? 0)
    );
  }

  write(chunk: Buffer, onEvent: (e: SseEvent) => void): void {
    this.onEvent = onEvent;
    this.lines.push(chunk, this);
  }

  /** End of input: a last event missing its blank line is still dispatched (a cut-off
   *  stream's last complete `data:` line often holds the usage); one cut inside a line is
   *  dispatched flagged `truncated`. */
  end(onEvent: (e: SseEvent) => void): void {
    this.onEvent = onEvent;
    this.lines.flush(this);
    this.dispatch();
  }

  line(content: Buffer, term: Buffer, overflowed: boolean): void {
    // A line without terminator only comes from end(): the stream was cut inside it.
    if (term.length === 0 && content.length > 0) this.truncated = true;
    if (overflowed) {
      this.overflowLine(content);
      return;
    }
    if (content.length > this.maxEventBytes) {
      // A long line that arrived whole reads as one that arrived in pieces: the events must not
      // depend on where the upstream's packets split.
      this.overflow(content);
      this.overflowLine(EMPTY);
      return;
    }
    let start = 0;
    // A UTF-8 BOM may open the stream and is not part of the first field name.
    if (this.atStart) {
      this.atStart = false;
      if (content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) start = 3;
    }
    if (content.length === start) {
      this.dispatch();
      return;
    }
    if (content[start] === 0x3a /* : */) return; // comment
    const text = content.toString('utf8', start);
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    this.field(field, value);
  }

  lfAfterCr(): void {}

  overflow(bytes: Buffer): void {
    this.atStart = false;
    if (this.overflowHead === null) this.overflowHead = Buffer.from(bytes.subarray(0, HEAD_BYTES));
    this.overflowTail = keepTail(this.overflowTail, bytes);
    this.overflowBytes += bytes.length;
  }

  private overflowLine(rest: Buffer): void {
    const head = this.overflowHead ?? EMPTY;
    let tail = keepTail(this.overflowTail, rest);
    const whole = this.overflowBytes + rest.length <= tail.length;
    this.overflowHead = null;
    this.overflowTail = EMPTY;
    this.overflowBytes = 0;
    // Only a data line is worth keeping; any other field that long is garbage.
    if (head.length < 5 || head.toString('latin1', 0, 5) !== 'data:') return;
    // With a cap below TAIL_BYTES the tail may be the whole line: its value starts after the field name.
    if (whole) tail = tail.subarray(tail[5] === 0x20 ? 6 : 5);
    this.truncated = true;
    this.data = [tail.toString('utf8')];
    this.dataLen = tail.length;
  }

  private field(field: string, value: string): void {
    switch (field) {
      case 'data':
        this.data.push(value);
        this.dataLen += value.length + 1;
        if (this.dataLen > this.maxEventBytes) {
          const joined = this.data.join('\n');
          this.data = [joined.slice(joined.length - TAIL_BYTES)];
          this.dataLen = this.data[0]?.length ?? 0;
          this.truncated = true;
        }
        return;
      case 'event':
        this.eventType = value.slice(0, MAX_FIELD_CHARS);
        return;
      case 'id':
        if (!value.includes('\0')) this.id = value.slice(0, MAX_FIELD_CHARS);
        return;
      default:
        // `retry` and unknown fields don't matter to a logger.
        return;
    }
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const e: SseEvent = { event: this.eventType, data: this.data.join('\n') };
      if (this.id !== undefined) e.id = this.id;
      if (this.truncated) e.truncated = true;
      this.onEvent(e);
    }
    this.eventType = null;
    this.id = undefined;
    this.data = [];
    this.dataLen = 0;
    this.truncated = false;
  }
}

const EMPTY = Buffer.alloc(0);

function keepTail(prev: Buffer, more: Buffer): Buffer {
  if (more.length >= TAIL_BYTES) return Buffer.from(more.subarray(more.length - TAIL_BYTES));
  const joined = Buffer.concat([prev, more]);
  return joined.length > TAIL_BYTES ? Buffer.from(joined.subarray(joined.length - TAIL_BYTES)) : joined;
}

/** All events of a stored (possibly truncated) SSE body, for the detail view. */
export function parseSseEvents(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser(Math.max(DEFAULT_MAX_LINE_BYTES, body.length + 1));
  const push = (e: SseEvent): void => {
    events.push(e);
  };
  parser.write(Buffer.from(body, 'utf8'), push);
  parser.end(push);
  return events;
}
