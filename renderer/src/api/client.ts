// The typed client the screens use: one method per contract call, `on(event, fn)` returning an
// unsubscribe. Built by walking the contract at runtime, so a call added to the contract appears
// here without anyone writing a method by hand. Screens depend only on this interface, so a
// component test can hand them a client backed by plain functions.
import type { CallName, ClientCalls, EventName, EventPayload } from '../../../electron/core/contract/contract';
import { callNames } from '../../../electron/core/contract/channels';
import type { ConnectionState, Transport } from './transport';

export interface Client extends ClientCalls {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** 'open' after a reconnect means events may have been missed: refetch. IPC never disconnects. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export function createClient(transport: Transport): Client {
  const methods = Object.fromEntries(
    callNames.map((name: CallName) => [name, (input?: unknown) => transport.call(name, input)]),
  ) as unknown as ClientCalls;
  return {
    ...methods,
    on: (event, listener) => transport.subscribe(event, listener as (payload: unknown) => void),
    onConnection: (listener) => transport.onConnection(listener),
    close: () => transport.close(),
  };
}
