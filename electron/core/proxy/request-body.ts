// Reads the client's request body before forwarding: the proxy needs the model, the stream flag
// and the prompt (policy keyword rules) before it knows what to log, and may rewrite the body to
// ask for stream usage. LLM request bodies are small; a body over the limit is not held back: the
// prefix read so far is replayed and the rest streams straight through.
//
// Memory: at most `limit` bytes plus the read that crossed it (one socket read, at most 64 KiB)
// are held; past that, pipe() pauses the client whenever the upstream is slower, so the replay
// stream holds no more than its high-water marks beyond the prefix.
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

export type RequestBody =
  /** The whole body is in `body`. */
  | { kind: 'complete'; body: Buffer }
  /**
   * Only the first `prefix.length` bytes were read; `stream` yields the whole body, and
   * `received()` counts what has arrived so far (the whole size once the client has sent it all).
   * `aborted` resolves with the reason if the client fails before the rest has arrived (it never
   * resolves otherwise); `stream` then simply stops, and the caller cuts the upstream request.
   */
  | {
      kind: 'partial';
      prefix: Buffer;
      stream: Readable;
      received: () => number;
      uploading: () => boolean;
      aborted: Promise<string>;
    }
  /** The client went away or errored before the body was complete. */
  | { kind: 'aborted'; received: number; message: string };

const failedMessage = (error: Error) => `client request body failed: ${error.message}`;
const ABORTED_MESSAGE = 'client aborted before the request body was complete';

export function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const settle = (result: RequestBody) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      req.pause();
      const prefix = Buffer.concat(chunks, size);
      const stream = new PassThrough();
      stream.write(prefix);
      let received = size;
      let reportAbort!: (message: string) => void;
      const aborted = new Promise<string>((resolve) => (reportAbort = resolve));
      settle({ kind: 'partial', prefix, stream, received: () => received, uploading: () => !req.complete, aborted });
      // Counted beside the pipe, so a body too large to hold still has its size logged.
      req.on('data', (more: Buffer) => (received += more.length));
      req.pipe(stream);
      // A client that dies mid-upload: the replay stream is destroyed WITHOUT an error. pipe()
      // forwards no errors, and http-proxy-3 listens for none on it, so an error emitted here would
      // be unhandled and take the process down. The exchange hears of it through `aborted`.
      const fail = (message: string) => {
        reportAbort(message);
        req.unpipe(stream);
        stream.destroy();
      };
      req.once('error', (error) => fail(failedMessage(error)));
      req.once('close', () => {
        if (!req.complete) fail(ABORTED_MESSAGE);
      });
    };
    const onEnd = () => {
      // The listeners stay: a request that has ended emits no more data, a later 'close' finds it
      // complete and an 'error' finds the read settled. Removing four listeners cost more than that.
      if (settled) return;
      settled = true;
      resolve({ kind: 'complete', body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => settle({ kind: 'aborted', received: size, message: failedMessage(error) });
    const onClose = () => {
      if (!req.complete) settle({ kind: 'aborted', received: size, message: ABORTED_MESSAGE });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
