// Threads as the page, the CLI and the MCP tools see them: one line per conversation in the
// grouped list, and a thread's turns on a timeline. Threads are inferred by the writer
// (electron/core/inspect/threads/); `source` says from what.

import type { RequestRow } from './model';

export interface ThreadSummary {
  /** The id of the thread's first request. */
  threadId: number;
  /** Requests in the thread (those matching the list's filter, in the grouped list). */
  turns: number;
  firstAt: string;
  lastAt: string;
  /** First request's start to the last request's end, in ms. */
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Sum over turns whose cost is known. */
  cost: number;
  costUnknown: number;
  /** Cached input tokens / input tokens; null when no turn reported input tokens. */
  cacheHitRate: number | null;
  /** What grouped the first turn: `header:x-claude-code-session-id`, `prefix:37`, `fork:3`, `new`, `split`. */
  source: string;
  /** The thread a fork or split came from. */
  parentThreadId: number | null;
  /** The model of the latest turn. */
  model: string;
  segments: number;
}

export interface ThreadTurn {
  row: RequestRow;
  /** Counts up when compaction (or a rewind) shrank the history. */
  segment: number;
  /** The signal that put this request in the thread (see ThreadSummary.source). */
  source: string;
  parentThreadId: number | null;
  /** Messages the request sent. */
  messageCount: number;
  /** From the previous turn's end (start + latency) to this turn's start; null for the first turn. */
  gapMs: number | null;
}

export interface ThreadView {
  summary: ThreadSummary;
  turns: ThreadTurn[];
}

/** Keyset position in the grouped list: the last thread's latest start and id. */
export interface ThreadCursor {
  lastAt: string;
  threadId: number;
}

export interface ThreadPage {
  threads: ThreadSummary[];
  nextCursor: ThreadCursor | null;
}

/** Turns of a thread shown by thread(), at most; a longer thread shows its latest turns. */
export const MAX_THREAD_TURNS = 2000;

/** How a user corrects a thread: split it so a request starts a thread of its own, or merge two. */
export type ThreadEdit = { kind: 'split'; requestId: number } | { kind: 'merge'; threadId: number; intoId: number };
