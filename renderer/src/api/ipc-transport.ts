// Electron transport: wraps the preload's window.inspector. Calls resolve to an Envelope there
// (contextBridge would strip an Error's code), so the ApiError is rebuilt here.
import type { CallName, EventName, InspectorBridge } from '../../../electron/core/contract/contract';
import { ApiError, isApiErrorData, type Envelope } from '../../../electron/core/contract/errors';
import { eventNames } from '../../../electron/core/contract/channels';
import type { Transport } from './transport';

type AnyCall = (input?: unknown) => Promise<Envelope<unknown>>;
type AnySubscribe = (listener: (payload: unknown) => void) => () => void;

export function unwrapEnvelope(reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const r = reply as Envelope<unknown>;
    if (r.ok) return r.value;
    if (isApiErrorData(r.error)) throw ApiError.fromData(r.error);
  }
  throw new ApiError('internal', 'Malformed reply from the main process.');
}

export function createIpcTransport(bridge: InspectorBridge): Transport {
  const known = new Set<EventName>(eventNames);
  return {
    async call(name: CallName, input: unknown) {
      const fn = bridge[name] as AnyCall | undefined;
      if (typeof fn !== 'function') throw new ApiError('unknown_call', `Unknown call: ${name}`);
      let reply: unknown;
      try {
        reply = await (input === undefined ? fn() : fn(input));
      } catch (err) {
        // Our handlers answer with envelopes; a rejection means the main side itself failed
        // (no handler registered, window torn down). Still an ApiError for the UI.
        throw new ApiError('internal', err instanceof Error ? err.message : String(err));
      }
      return unwrapEnvelope(reply);
    },
    subscribe(name, listener) {
      if (!known.has(name)) throw new ApiError('unknown_call', `Unknown event: ${name}`);
      return (bridge[`on${name[0]!.toUpperCase()}${name.slice(1)}` as keyof InspectorBridge] as AnySubscribe)(listener);
    },
    onConnection: () => () => {},
    close() {},
  };
}
