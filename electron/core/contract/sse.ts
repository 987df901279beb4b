// Shapes of a streamed response as the page sees them: which API format it spoke, and its
// events as they appeared on the wire. The proxy's usage parser produces them (proxy/usage);
// the live progress events and the detail view carry them.

export type ApiFormat =
  | 'openai-chat'
  | 'openai-completions'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini'
  | 'ollama-chat'
  | 'ollama-generate'
  | 'unknown';

/** One server-sent event (or NDJSON line / JSON array element) as it appeared on the wire. */
export interface SseEvent {
  event: string | null;
  data: string;
  id?: string;
  /** The event was larger than the parser's cap: `data` holds only its tail. */
  truncated?: true;
  /**
   * The assistant text this event added, read by the server with the format's own handler (the
   * one that counts its usage); absent when it added none. The page shows it and never parses
   * events itself.
   */
  text?: string;
}
