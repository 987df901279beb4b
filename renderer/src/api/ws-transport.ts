// Browser transport for the headless UI: the contract over one WebSocket, replies matched to
// calls by id, reconnecting with backoff. Written against a minimal socket interface (no DOM
// types) so the same code runs in the page and, with the `ws` package, in Node tests.
import type { CallName, EventName } from '../../../electron/core/contract/contract';
import { ApiError, isApiErrorData } from '../../../electron/core/contract/errors';
import type { ServerFrame } from '../../../electron/core/contract/ws-protocol';
import { CALL_CHANNELS, callNames, EVENT_CHANNELS, eventNameOf } from '../../../electron/core/contract/channels';
import type { ConnectionState, Transport } from './transport';

/** The part of the WHATWG WebSocket this transport uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsTransportOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const OPEN = 1;

interface Pending {
  resolve(value: unknown): void;
  reject(err: ApiError): void;
}

export function createWsTransport(options: WsTransportOptions): Transport {
  const known = new Set<CallName>(callNames);
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  /** Frames written while disconnected go out on the next open. */
  let outbox: string[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let closed = false;
  let wasReady = false;
  let everOpened = false;
  let delay = options.backoffMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const write = (frame: string) => {
    if (socket && socket.readyState === OPEN) socket.send(frame);
    else outbox.push(frame);
  };

  const onFrame = (raw: unknown) => {
    if (typeof raw !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'event') {
      const name = eventNameOf(frame.event);
      if (name) for (const fn of listeners.get(name) ?? []) fn(frame.payload);
      return;
    }
    if (frame.type !== 'reply' || frame.id === null) return;
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if (frame.ok) waiter.resolve(frame.value);
    else
      waiter.reject(
        isApiErrorData(frame.error)
          ? ApiError.fromData(frame.error)
          : new ApiError('internal', 'Malformed error reply.'),
      );
  };

  const open = () => {
    timer = null;
    if (closed) return;
    const s = options.createSocket(options.url);
    socket = s;
    s.onopen = () => {
      delay = options.backoffMs ?? 250;
      // A new connection is a new session on the server: it queues events until told we are
      // ready again, so say so now if the page already did.
      if (everOpened && wasReady) s.send(JSON.stringify({ id: nextId++, call: CALL_CHANNELS.clientReady }));
      everOpened = true;
      const queued = outbox;
      outbox = [];
      for (const frame of queued) s.send(frame);
      for (const fn of connectionListeners) fn('open');
    };
    s.onmessage = (ev) => onFrame(ev.data);
    s.onerror = () => {};
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // Calls in flight may or may not have run: fail them rather than resend.
      for (const [id, w] of pending) {
        pending.delete(id);
        w.reject(new ApiError('unavailable', 'Connection to the inspector was lost.'));
      }
      for (const fn of connectionListeners) fn('closed');
      if (closed) return;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, options.maxBackoffMs ?? 5_000);
    };
  };
  open();

  return {
    call(name, input) {
      if (!known.has(name)) return Promise.reject(new ApiError('unknown_call', `Unknown call: ${name}`));
      if (closed) return Promise.reject(new ApiError('unavailable', 'The client is closed.'));
      if (name === 'clientReady') wasReady = true;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        write(JSON.stringify({ id, call: CALL_CHANNELS[name], input }));
      });
    },
    subscribe(name, listener) {
      if (!(name in EVENT_CHANNELS)) throw new ApiError('unknown_call', `Unknown event: ${name}`);
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'client closed');
      for (const [id, w] of pending) {
        pending.delete(id);
        w.reject(new ApiError('unavailable', 'The client is closed.'));
      }
    },
  };
}
