// The shape of the API client the screens use. The typed client and its transports are built in
// renderer/src/api (from the contract); screens depend only on this shape, so component tests
// can hand them a client backed by plain functions.
import type { ClientCalls, EventName, EventPayload } from '../../../electron/core/contract/contract';

export interface InspectorClient extends ClientCalls {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** 'open' after a reconnect means events may have been missed: refetch. Absent for IPC. */
  onConnection?(listener: (state: 'open' | 'closed') => void): () => void;
}
