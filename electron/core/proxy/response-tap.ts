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
  const chunks: Buffer[] = [];
  let captured = 0;
  let truncated = false;
  let decodeError: string | null = null;

  const consume = (chunk: Buffer) => {
    if (captured < opts.cap) {
      const room = opts.cap - captured;
      const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
      chunks.push(piece);
      captured += piece.length;
      if (piece.length < chunk.length) truncated = true;
    } else if (chunk.length > 0) {
      truncated = true;
    }
    opts.onDecoded(chunk);
  };
  // One chunk (the usual small answer) is decoded in place, without a copy.
  const text = () =>
    chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, captured).toString('utf8');
  const result = (): TapResult => ({
    body: chunks.length === 0 && decodeError !== null ? null : text(),
    truncated,
    decodeError,
  });

  const encoding = (opts.contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    return {
      write: consume,
      end: () => Promise.resolve(result()),
      get capturedBytes() {
        return captured;
      },
    };
  }
  const decoder = makeDecoder(encoding);
  if (decoder === null) {
    decodeError = `content-encoding ${encoding} is not decoded; body not logged`;
    return { write: () => undefined, end: () => Promise.resolve(result()), capturedBytes: 0 };
  }
  decoder.on('data', consume);
  const done = new Promise<TapResult>((resolve) => {
    decoder.once('end', () => resolve(result()));
    decoder.once('error', (error) => {
      // A body cut off midway ends in "unexpected end of file": what was decoded stays logged.
      decodeError = `could not decode ${encoding} body: ${error.message}`;
      resolve(result());
    });
  });
  let failed = false;
  decoder.once('error', () => {
    failed = true;
  });
  return {
    write(chunk) {
      if (!failed) decoder.write(chunk);
    },
    end() {
      if (!failed) decoder.end();
      return done;
    },
    get capturedBytes() {
      return captured;
    },
  };
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
