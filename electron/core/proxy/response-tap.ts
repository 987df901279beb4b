// The logged copy of a response: decoded (gzip/deflate/br) for the log and the usage observer,
// while the client keeps receiving the original bytes. Decoding runs beside the client path
// and never delays it; capture stops at the cap but the observer still sees every byte, since
// usage arrives at the end of a stream.
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';

export interface TapResult {
  body: string | null;
  truncated: boolean;
  /** Set when the body could not be decoded (bad or unsupported content-encoding). */
  decodeError: string | null;
}

export interface ResponseTap {
  /** A raw chunk as received from the upstream. */
  write(chunk: Buffer): void;
  /** Flushes the decoder. Safe on a body cut off midway: what was decoded is kept. */
  end(): Promise<TapResult>;
  /** Bytes of the capture held: never more than the cap. */
  readonly capturedBytes: number;
}

export function createResponseTap(opts: {
  contentEncoding: string | undefined;
  cap: number;
  onDecoded: (chunk: Buffer) => void;
}): ResponseTap {
  const encoding = (opts.contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return new Capture(opts.cap, opts.onDecoded);
  const decoder = makeDecoder(encoding);
  if (decoder === null) return new Undecodable(`content-encoding ${encoding} is not decoded; body not logged`);
  return new DecodedCapture(new Capture(opts.cap, opts.onDecoded), decoder, encoding);
}

// Classes rather than object literals of closures (one made per response, with a getter): one hidden
// class for every tap, and no per-response closures holding the exchange's state.

/** The capped copy of the decoded bytes; every byte still goes to `onDecoded`. */
class Capture implements ResponseTap {
  private readonly chunks: Buffer[] = [];
  private captured = 0;
  truncated = false;
  decodeError: string | null = null;

  constructor(
    private readonly cap: number,
    private readonly onDecoded: (chunk: Buffer) => void,
  ) {}

  get capturedBytes(): number {
    return this.captured;
  }

  write(chunk: Buffer): void {
    if (this.captured < this.cap) {
      const room = this.cap - this.captured;
      const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(piece);
      this.captured += piece.length;
      if (piece.length < chunk.length) this.truncated = true;
    } else if (chunk.length > 0) {
      this.truncated = true;
    }
    this.onDecoded(chunk);
  }

  end(): Promise<TapResult> {
    return Promise.resolve(this.result());
  }

  result(): TapResult {
    const chunks = this.chunks;
    const body =
      chunks.length === 0 && this.decodeError !== null
        ? null
        : // One chunk (the usual small answer) is decoded in place, without a copy.
          chunks.length === 1
          ? chunks[0]!.toString('utf8')
          : Buffer.concat(chunks, this.captured).toString('utf8');
    return { body, truncated: this.truncated, decodeError: this.decodeError };
  }
}

/** A body in an encoding we do not decode: nothing is captured, the row says why. */
class Undecodable implements ResponseTap {
  readonly capturedBytes = 0;
  constructor(private readonly reason: string) {}
  write(): void {}
  end(): Promise<TapResult> {
    return Promise.resolve({ body: null, truncated: false, decodeError: this.reason });
  }
}

class DecodedCapture implements ResponseTap {
  private failed = false;
  private readonly done: Promise<TapResult>;

  constructor(
    private readonly capture: Capture,
    private readonly decoder: Transform,
    encoding: string,
  ) {
    decoder.on('data', (chunk: Buffer) => capture.write(chunk));
    this.done = new Promise<TapResult>((resolve) => {
      decoder.once('end', () => resolve(capture.result()));
      decoder.once('error', (error) => {
        this.failed = true;
        // A body cut off midway ends in "unexpected end of file": what was decoded stays logged.
        capture.decodeError = `could not decode ${encoding} body: ${error.message}`;
        resolve(capture.result());
      });
    });
  }

  get capturedBytes(): number {
    return this.capture.capturedBytes;
  }

  write(chunk: Buffer): void {
    if (!this.failed) this.decoder.write(chunk);
  }

  end(): Promise<TapResult> {
    if (!this.failed) this.decoder.end();
    return this.done;
  }
}

function makeDecoder(encoding: string): Transform | null {
  // Flush on partial input so a stream's events reach the observer as they arrive.
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ flush: constants.Z_SYNC_FLUSH });
    case 'deflate':
      return createInflate({ flush: constants.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return null;
  }
}
