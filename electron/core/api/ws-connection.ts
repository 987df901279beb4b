// One authenticated WebSocket: parses frames, dispatches calls, pushes hub events.
// Every malformed input gets an error reply; nothing a client sends can throw out of here.
import type { RawData, WebSocket } from 'ws';
import { events } from '../contract/contract';
import type { Dispatch } from './dispatcher';
import type { EventHub } from './event-hub';
import type { ApiErrorData } from '../contract/errors';
import { MAX_MESSAGE_BYTES, requestFrameSchema, type ServerFrame } from '../contract/ws-protocol';

/** A page that stops reading is cut off rather than buffered without bound in the main process. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.byteLength, 0);
  return data.byteLength;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export function serveConnection(socket: WebSocket, hub: EventHub, dispatch: Dispatch): void {
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1008, 'client too slow');
      return;
    }
    socket.send(JSON.stringify(frame));
  };
  const fail = (id: number | null, error: ApiErrorData) => send({ type: 'reply', id, ok: false, error });

  const session = hub.attach((name, payload) => send({ type: 'event', event: events[name].channel, payload }));
  socket.on('close', () => session.close());
  // An 'error' without a listener would be thrown by the EventEmitter and crash the process.
  socket.on('error', () => session.close());

  socket.on('message', (data, isBinary) => {
    if (isBinary)
      return fail(null, { code: 'invalid_input', message: 'Binary frames are not accepted; send JSON text.' });
    if (byteLength(data) > MAX_MESSAGE_BYTES) {
      return fail(null, { code: 'payload_too_large', message: `Message exceeds ${MAX_MESSAGE_BYTES} bytes.` });
    }
    let json: unknown;
    try {
      json = JSON.parse(toText(data));
    } catch {
      return fail(null, { code: 'invalid_input', message: 'Malformed frame: not JSON.' });
    }
    const frame = requestFrameSchema.safeParse(json);
    if (!frame.success) {
      const id = typeof (json as { id?: unknown } | null)?.id === 'number' ? (json as { id: number }).id : null;
      return fail(id, {
        code: 'invalid_input',
        message: 'Malformed frame: expected {"id": number, "call": string, "input"?: any}.',
      });
    }
    const { id, call, input } = frame.data;
    dispatch(call, input, session).then(
      (reply) => send({ type: 'reply', id, ...reply }),
      (err: unknown) => fail(id, { code: 'internal', message: err instanceof Error ? err.message : 'internal error' }),
    );
  });
}
