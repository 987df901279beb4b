// In-flight request events for the UI. Plain data, no Node imports: the renderer imports these
// through the API contract. They are events, never database writes; the row arrives later,
// once the writer has committed it.

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

/** A streamed SSE/NDJSON event as parsed by the usage observer. */
export interface ProgressSseEvent {
  event: string | null;
  data: string;
  id?: string;
  /** The event was larger than the parser's cap: `data` holds only its tail. */
  truncated?: true;
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
  newEvents: ProgressSseEvent[];
}

export interface RequestFinishedEvent {
  id: string;
}

export interface ProxyEvents {
  requestStarted: (event: RequestStartedEvent) => void;
  requestProgress: (event: RequestProgressEvent) => void;
  requestFinished: (event: RequestFinishedEvent) => void;
  /** The proxy is listening at this address (after start() and after each successful rebind). */
  listening: (address: { host: string; port: number }) => void;
}
