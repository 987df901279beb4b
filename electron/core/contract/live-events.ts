// In-flight request events for the UI. Plain data, no Node imports: the renderer imports these
// through the API contract. They are events, never database writes; the row arrives later,
// once the writer has committed it.
import type { ConversationReply } from './conversation';
import type { SseEvent } from './sse';

export interface RequestStartedEvent {
  /** The correlation id (client's X-Correlation-Id or a new UUID). */
  id: string;
  /** ISO-8601 UTC with milliseconds, equal to the row's `timestamp`. */
  timestamp: string;
  method: string;
  path: string;
  provider: string;
  /** '' until known. */
  model: string;
  policy: string | null;
  /** The client asked for a stream. */
  streaming: boolean;
}

/** Emitted for streamed responses, at most ~10 times a second per request. */
export interface RequestProgressEvent {
  id: string;
  /** Events seen so far. */
  events: number;
  /** Output tokens so far, when the stream reports them. */
  outputTokens: number | null;
  /** Assistant text that arrived since the previous progress event. */
  textDelta: string;
  /** Events that arrived since the previous progress event. */
  newEvents: SseEvent[];
  /** The whole reply so far, rebuilt from every event (set by the API; absent when the format
   *  is not one the app reads as a conversation). */
  reply?: ConversationReply;
}

export interface RequestFinishedEvent {
  id: string;
}
