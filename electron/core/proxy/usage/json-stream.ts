// Splits a JSON array streamed in pieces (Gemini's streamGenerateContent without ?alt=sse:
// `[{…}\n,\r\n{…}\n]`) into its object elements as each completes. A body that is a single
// top-level object (an error, a non-streamed reply) yields that object.
//
// Scans bytes: the structural characters are ASCII and never occur inside a UTF-8
// multi-byte sequence, so chunks may split anywhere. An element over the cap keeps its tail.

import { DEFAULT_MAX_LINE_BYTES } from './lines';
import { TAIL_BYTES } from './sse';

export class JsonElementSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private rootIsArray: boolean | null = null;
  private capturing = false;
  private parts: Buffer[] = [];
  private len = 0;
  private overflowed = false;

  constructor(private readonly maxElementBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Bytes of the element being read: never more than maxElementBytes between pushes. */
  get bufferedBytes(): number {
    return this.len;
  }

  push(chunk: Buffer, onElement: (text: string, truncated: boolean) => void): void {
    let segStart = this.capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) this.inString = false;
        continue;
      }
      if (b === 0x22) this.inString = true;
      else if (b === 0x7b || b === 0x5b) {
        if (this.rootIsArray === null) this.rootIsArray = b === 0x5b;
        if (!this.capturing && b === 0x7b && this.depth === this.elementDepth()) {
          this.capturing = true;
          segStart = i;
        }
        this.depth++;
      } else if (b === 0x7d || b === 0x5d) {
        this.depth--;
        if (this.capturing && this.depth === this.elementDepth()) {
          this.append(chunk.subarray(segStart, i + 1));
          this.emit(onElement);
          segStart = -1;
        }
      }
    }
    if (this.capturing && segStart >= 0) this.append(chunk.subarray(segStart));
  }

  private elementDepth(): number {
    return this.rootIsArray ? 1 : 0;
  }

  private append(bytes: Buffer): void {
    this.parts.push(bytes);
    this.len += bytes.length;
    if (this.len > this.maxElementBytes) {
      const all = Buffer.concat(this.parts, this.len);
      this.parts = [Buffer.from(all.subarray(all.length - TAIL_BYTES))];
      this.len = TAIL_BYTES;
      this.overflowed = true;
    }
  }

  private emit(onElement: (text: string, truncated: boolean) => void): void {
    const text = Buffer.concat(this.parts, this.len).toString('utf8');
    const truncated = this.overflowed;
    this.parts = [];
    this.len = 0;
    this.overflowed = false;
    this.capturing = false;
    onElement(text, truncated);
  }
}
