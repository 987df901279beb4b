// What the typed client needs from a transport. Two implementations: WebSocket (headless, in a
// browser) and IPC (Electron, through the preload's window.inspector).
import type { CallName, EventName } from '../../../electron/core/contract/contract';

export type ConnectionState = 'open' | 'closed';

export interface Transport {
  /** Resolves with the call's result or rejects with an ApiError. */
  call(name: CallName, input: unknown): Promise<unknown>;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
  /**
   * Connection changes; 'open' after a reconnect means events may have been missed, so the page
   * should refetch. IPC never disconnects and never calls this.
   */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}
