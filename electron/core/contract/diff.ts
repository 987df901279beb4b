// A structural diff of two logged requests (requests:diff), as plain data: built in a worker
// thread by electron/core/inspect/diff/ and shown by the page's diff view. Every text in it is
// bounded (long unchanged runs are elided, long added or removed texts are cut), so a diff of two
// multi-megabyte bodies is a few hundred kilobytes at most and paints without a long task.

import type { CacheDiagnosis } from './cache';
import type { ConversationFormat } from './conversation';

export type ChangeOp = 'same' | 'added' | 'removed' | 'changed';

export interface TextSpan {
  op: 'same' | 'added' | 'removed';
  /** The run, or its head when part of it is left out. */
  text: string;
  /** Characters of this run left out between `text` and `tail` (a long unchanged run keeps only
   *  some context on each side; a long change is cut after its head). */
  elided: number;
  /** What follows the elision; '' when nothing was left out or only a head is kept. */
  tail: string;
}

export interface TextDiff {
  spans: TextSpan[];
  /** Offset in the first text of its first difference; null when the texts are equal. */
  firstChange: number | null;
  /** How it was compared: by character, or by line when the texts were too far apart to compare
   *  by character in the time allowed. */
  granularity: 'char' | 'line' | 'whole';
}

/** One difference inside two JSON values (tool arguments, tool schemas), at a JSON path. */
export interface JsonChange {
  /** e.g. `$.query.filters[2]`. */
  path: string;
  op: 'added' | 'removed' | 'changed';
  /** The value as compact JSON (cut at a bound); null on the side where it is absent. */
  before: string | null;
  after: string | null;
  /** Both sides strings: where they differ, by character. */
  text: TextDiff | null;
}

/** A message part as the diff shows it: its kind, a one-line label and its text (bounded). */
export interface PartView {
  kind: string;
  label: string;
  text: string;
  /** Characters of the text left out of `text`. */
  cut: number;
}

export interface PartDiff {
  op: ChangeOp;
  a: PartView | null;
  b: PartView | null;
  /** Changed text, reasoning, tool results: the character diff. */
  text: TextDiff | null;
  /** Changed tool call arguments: the JSON diff. */
  json: JsonChange[] | null;
}

export interface MessageDiff {
  op: ChangeOp;
  /** Position in the first request's messages; null when added. */
  a: number | null;
  /** Position in the second request's messages; null when removed. */
  b: number | null;
  role: string;
  /** The first line of the message, for a collapsed row. */
  preview: string;
  /** Empty for an unchanged message (its preview says enough). */
  parts: PartDiff[];
}

export interface ToolDiff {
  name: string;
  op: ChangeOp;
  a: number | null;
  b: number | null;
  description: TextDiff | null;
  schema: JsonChange[];
}

export interface ParamDiff {
  name: string;
  op: ChangeOp;
  before: string | null;
  after: string | null;
}

/** What the diff's header shows of each request. */
export interface DiffHead {
  id: number;
  timestamp: string;
  method: string;
  path: string;
  model: string;
  provider: string;
  status: number | null;
  streaming: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cost: number | null;
  latencyMs: number | null;
  format: ConversationFormat | null;
}

export interface ReplySide {
  parts: PartView[];
  finishReason: string | null;
  model: string | null;
  /** Why there is no reply, or why it is incomplete. */
  error: string | null;
}

export interface DiffSummary {
  messages: Record<ChangeOp, number>;
  systemChanged: boolean;
  toolsChanged: number;
  toolsReordered: boolean;
  paramsChanged: number;
}

export interface RequestDiff {
  a: DiffHead;
  b: DiffHead;
  /** The system prompt given apart from the messages; null when neither request has one. */
  system: TextDiff | null;
  tools: { reordered: boolean; items: ToolDiff[] };
  params: ParamDiff[];
  messages: MessageDiff[];
  replies: { a: ReplySide; b: ReplySide };
  summary: DiffSummary;
  /** One line each: a side that can't be read as a conversation, a body cut at capture, … */
  notes: string[];
  /** The later request's prompt cache, read against the earlier one as its previous turn. */
  cache: CacheDiagnosis | null;
}
