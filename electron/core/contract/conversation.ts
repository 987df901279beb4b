// The conversation model: one stored exchange (request body, response body or stream) read as
// the model saw it, whatever the provider's wire format. Plain data (structured-clone and JSON
// safe), built by electron/core/inspect/conversation/ and shown by the detail pane.

import type { ApiFormat } from './sse';

/** Where a media part's base64 text is. Large media stay in the body they arrived in (the detail
 *  view already carries it) and are referenced by position, so a 5 MB image is neither copied
 *  nor decoded until the view wants to show it. */
export type MediaData =
  /** `body.slice(start, end)` of the request or response body is the base64 text. */
  | { kind: 'span'; side: 'request' | 'response'; start: number; end: number }
  /** The base64 text itself (small media, or media reassembled from stream events). */
  | { kind: 'inline'; base64: string };

export type MediaSource =
  | { kind: 'base64'; data: MediaData }
  /** A remote URL: shown as a link, never fetched by the app. */
  | { kind: 'url'; url: string }
  /** A provider-side file (OpenAI file_id, Anthropic file_id, Gemini fileUri). */
  | { kind: 'file'; id: string };

export interface Media {
  /** e.g. image/png; null when the body does not say. */
  mime: string | null;
  /** Decoded size in bytes (from the base64 length); null when not in the body. */
  bytes: number | null;
  source: MediaSource;
  /** A file name or title, when the body gives one. */
  name: string | null;
  /** The body was cut at the capture cap inside this media: what is there is incomplete. */
  cut: boolean;
}

/** A tool call's arguments: parsed JSON, or the raw text and why it did not parse. */
export type ToolArguments = { ok: true; value: unknown } | { ok: false; raw: string; error: string };

export type Part =
  | { type: 'text'; text: string }
  | { type: 'image'; media: Media }
  | { type: 'audio'; media: Media; transcript: string | null }
  | { type: 'document'; media: Media }
  | { type: 'tool_call'; id: string | null; name: string; arguments: ToolArguments }
  | { type: 'tool_result'; callId: string | null; name: string | null; parts: Part[]; isError: boolean }
  /** Reasoning / thinking text (or a summary of it); `redacted` when only an encrypted blob was sent. */
  | { type: 'reasoning'; text: string; redacted: boolean }
  | { type: 'refusal'; text: string }
  /** A part this app does not model (a built-in tool's call, a citation…): its type and JSON. */
  | { type: 'other'; label: string; json: string };

export interface ConversationMessage {
  /** As the format names it: system, developer, user, assistant, tool, model, function… */
  role: string;
  /** A participant name (OpenAI `name`), when given. */
  name: string | null;
  parts: Part[];
}

export interface ToolDefinition {
  name: string;
  description: string | null;
  /** The JSON schema of its parameters (or a built-in tool's settings); null when none. */
  schema: unknown;
}

export interface ConversationParam {
  name: string;
  value: string;
}

export interface ConversationReply {
  parts: Part[];
  finishReason: string | null;
  /** The model the response names, when it does. */
  model: string | null;
}

/** The wire formats a conversation is read from: every API format the proxy tells apart. */
export type ConversationFormat = Exclude<ApiFormat, 'unknown'>;

export interface Conversation {
  format: ConversationFormat;
  /** System prompt / instructions given apart from the messages (Anthropic `system`, Gemini
   *  `systemInstruction`, Responses `instructions`, Ollama `system`); chat formats that send it
   *  as a message keep it there, in order. */
  system: Part[];
  messages: ConversationMessage[];
  tools: ToolDefinition[];
  /** The request parameters that shape the answer (model, temperature, max tokens…), in order. */
  params: ConversationParam[];
  /** Why the request side could not be read (not JSON, no body…); null when it was. */
  requestError: string | null;
  reply: ConversationReply | null;
  /** Why there is no reply, or why it is incomplete; null when it was read whole. */
  replyError: string | null;
  /** One line each: where a truncated body was cut, choices or candidates not shown, … */
  notes: string[];
}

/** A conversation, or why this exchange can't be read as one (a format the app does not know). */
export type ConversationResult = { ok: true; conversation: Conversation } | { ok: false; reason: string };
