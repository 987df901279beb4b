// Public shapes of the usage module. The ones the page sees too (API format, SSE event) are the
// contract's.
import type { SseEvent } from '../../contract/sse';

export type { ApiFormat, SseEvent } from '../../contract/sse';

export interface RequestInfo {
  /** From the body, else from the path (Gemini, Azure deployments), else null. */
  model: string | null;
  /** The request asked for a streamed response. */
  stream: boolean;
  /** Prompt text (system + messages / input / contents / prompt), joined with newlines. */
  promptText: string;
}

export interface UsageResult {
  /** As reported by the response. */
  model: string | null;
  /** The whole prompt, cached tokens included. */
  inputTokens: number | null;
  /** Reasoning tokens included. */
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  /** Cost the upstream reported itself (OpenRouter `usage.cost`). */
  providerCost: number | null;
  finishReason: string | null;
  /** Reassembled assistant text, capped (see outputTextTruncated). */
  outputText: string;
  /** outputText hit its cap; outputChars still counts everything. */
  outputTextTruncated: boolean;
  outputChars: number;
  /** SSE events (or NDJSON lines / JSON array elements) seen; 0 for a non-streamed body. */
  events: number;
  /** Message from an error body or an in-stream error event. */
  errorMessage: string | null;
  /** Set when the observer itself failed (a bug): the figures above are then incomplete. */
  observerError: string | null;
  /** Reported values that were not kept (an implausible token count or cost), one line each. */
  notes: string[];
}

export interface StreamProgress {
  /** Total events so far (not since the last drain). */
  events: number;
  /** Latest output token count the stream reported so far, if it reports running counts. */
  outputTokens: number | null;
  /** Assistant text since the last drain (capped). */
  textDelta: string;
  /** Events since the last drain (capped; see droppedEvents). */
  newEvents: SseEvent[];
  /** Events since the last drain that did not fit in newEvents. */
  droppedEvents: number;
}

/** Fed the DECODED (decompressed) response body chunk by chunk, as it arrives. */
export interface ResponseObserver {
  write(chunk: Buffer): void;
  /** What arrived since the last call (for live UI progress events); cheap. */
  drainProgress(): StreamProgress;
  /**
   * Bytes (or characters) of the response held right now: the reader's buffer (see observer.ts
   * for each mode's bound), the assistant text and the undrained progress events. Bounded
   * whatever the upstream sends.
   */
  readonly bufferedBytes: number;
  /**
   * Final result; safe on a stream cut off midway: counts seen so far are kept, absent counts stay null.
   * `decodedBody`: every byte written so far, already decoded by the caller (the proxy's capture,
   * when it was not truncated); a non-streamed body is then parsed from it rather than joined and
   * decoded a second time.
   */
  end(decodedBody?: string): UsageResult;
}

/** USD per 1M tokens. */
export interface PriceOverride {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}
