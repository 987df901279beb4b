// Raw HTTP for tests that need what fetch hides: exact bytes (no decompression), hop-by-hop
// headers, and aborting at a precise point.
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function rawRequest(
  url: string,
  opts: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; agent?: false } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const json = (value: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

/**
 * Opens a raw connection, writes `head` (request line and headers, as given) and then `bodyBytes`
 * bytes of body, and destroys the socket once they are flushed: a client that dies mid-request.
 */
export async function sendThenDrop(port: number, head: string, bodyBytes = 0): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => undefined);
  const piece = Buffer.alloc(64 * 1024, 0x61);
  const write = (chunk: Buffer | string) =>
    new Promise<void>((resolve) => (socket.write(chunk) ? resolve() : socket.once('drain', resolve)));
  await write(head);
  for (let sent = 0; sent < bodyBytes; sent += piece.length)
    await write(piece.subarray(0, Math.min(piece.length, bodyBytes - sent)));
  // TCP delivers the bytes before the FIN, so the proxy reads all of them, then sees the client go.
  socket.destroy();
}
