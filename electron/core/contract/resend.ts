// Resend and edit-and-resend (requests:resend-preview, requests:resend): what the page is told
// before it sends a logged request again, and what it gets back. Plain data.

/** Where the key of a resend comes from. */
export type ResendKeySource =
  /** The upstream's key in settings, injected by the proxy as for any request. */
  | 'settings'
  /** A key pasted for this one send: held in memory for the call, never stored. */
  | 'pasted'
  /** No key: the original sent none (a local model), or the upstream needs none. */
  | 'none';

export interface ResendPreview {
  id: number;
  /** Why this request can't be sent again (its body was cut at capture, or not kept); null when it can. */
  refusal: string | null;
  /** The upstream it goes to (the row's provider). */
  upstream: string;
  /** The client headers (and query parameters, as `?name`) that were redacted at capture and are not replayed. */
  leftOut: string[];
  /** The upstream has no key in settings and the original's key was redacted: a key must be pasted. */
  needsKey: boolean;
  /** The header a pasted key goes in (where the original carried its key). */
  keyHeader: string | null;
  streaming: boolean;
}

export interface ResendResult {
  /** The new request's correlation id: its in-flight row and, once logged, its row carry it. */
  correlationId: string;
  replayOf: number;
  leftOut: string[];
  key: ResendKeySource;
}
