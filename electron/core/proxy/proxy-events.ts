// What the proxy's listener emits. The request events are the contract's live events, passed on
// as they are; `listening` is for the core alone.
import type { RequestFinishedEvent, RequestProgressEvent, RequestStartedEvent } from '../contract/live-events';

export interface ProxyEvents {
  requestStarted: (event: RequestStartedEvent) => void;
  requestProgress: (event: RequestProgressEvent) => void;
  requestFinished: (event: RequestFinishedEvent) => void;
  /** The proxy is listening at this address (after start() and after each successful rebind). */
  listening: (address: { host: string; port: number }) => void;
}
