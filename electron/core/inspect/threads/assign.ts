// Which thread a request belongs to, decided from its facts and what earlier requests were given.
// Pure: the lookups are the caller's (SQL in the writer, see storage/thread-store.ts), and every
// lookup sees only requests before this one, so assigning live, after a restart and in a rebuild
// from the rows gives the same answer.
//
// Signals, strongest first:
//   1. a client-native id (header, metadata.user_id session, prompt_cache_key): one thread per id;
//      within it, a history that no longer extends the last request of the same system prompt
//      and tools (compaction, a rewind) starts a new segment;
//   2. OpenAI Responses' previous_response_id: the thread of the request that got that response;
//   3. the hash chain: the earlier request whose whole message list is the longest prefix of this
//      one's (same system prompt and tools). This one continues that request's thread, unless
//      another request already went on from there: then the history was edited, and it forks.
// A thread's id is the id of its first request.

import type { ThreadFacts } from './facts';

/** An earlier request as assignment sees it. */
export interface Prior {
  requestId: number;
  threadId: number;
  turn: number;
  segment: number;
}

export interface ThreadLookup {
  /** The latest request before `before` whose native id is `key`. */
  latestWithNative(key: string, before: number): Prior | null;
  /** The latest request before `before` whose whole chain hash is `chain`. */
  latestWithChain(chain: string, before: number): Prior | null;
  /** The request before `before` that got the Responses id `responseId`. */
  withResponseId(responseId: string, before: number): Prior | null;
  /** Whether a request before `before` already extends request `requestId`'s whole history. */
  extendedBefore(requestId: number, before: number): boolean;
  /** The thread's latest request before `before`. */
  latestInThread(threadId: number, before: number): Prior | null;
  /** The thread's latest request before `before` with this context hash, and its chain hash. */
  latestInThreadWithContext(
    threadId: number,
    contextHash: string,
    before: number,
  ): (Prior & { chainHash: string | null }) | null;
}

/** The user's choices: a thread split off at a request, a thread merged into another. */
export interface Overrides {
  splitAt: ReadonlySet<number>;
  /** merged thread id -> the thread it was merged into. */
  mergedInto: ReadonlyMap<number, number>;
}

export const NO_OVERRIDES: Overrides = { splitAt: new Set(), mergedInto: new Map() };

export interface Assignment {
  threadId: number;
  turn: number;
  segment: number;
  /** What grouped it: `header:x-claude-code-session-id`, `prefix:37`, `fork:12`, `new`, `split`… */
  source: string;
  /** The thread a fork or a split came from. */
  parentThreadId: number | null;
  /** The earlier request whose whole history this one extends (the longest such), if any. */
  extendsId: number | null;
}

/** The key a native id is stored and looked up under. */
export const nativeKey = (facts: ThreadFacts): string | null =>
  facts.native ? `${facts.native.source}=${facts.native.value}` : null;

function resolve(threadId: number, o: Overrides): number {
  let id = threadId;
  // Merges form chains (a into b, b into c); a cycle cannot be stored (see thread-store), the bound is a guard.
  for (let i = 0; i < 64 && o.mergedInto.has(id); i++) id = o.mergedInto.get(id)!;
  return id;
}

export function assignThread(requestId: number, facts: ThreadFacts, look: ThreadLookup, o: Overrides): Assignment {
  const natural = naturalAssignment(requestId, facts, look);
  if (o.splitAt.has(requestId) && natural.threadId !== requestId) {
    // A split-off part merged back (into its parent or elsewhere) counts on from that thread.
    const threadId = resolve(requestId, o);
    const last = threadId === requestId ? null : look.latestInThread(threadId, requestId);
    return {
      ...natural,
      threadId,
      turn: (last?.turn ?? 0) + 1,
      segment: last?.segment ?? 1,
      source: 'split',
      parentThreadId: natural.threadId,
    };
  }
  const threadId = resolve(natural.threadId, o);
  if (threadId === natural.threadId) return natural;
  // Merged into another thread: the turn counts on from that thread's latest.
  const last = look.latestInThread(threadId, requestId);
  return { ...natural, threadId, turn: (last?.turn ?? 0) + 1, segment: last?.segment ?? 1 };
}

function fresh(requestId: number, source: string, parentThreadId: number | null, extendsId: number | null): Assignment {
  return { threadId: requestId, turn: 1, segment: 1, source, parentThreadId, extendsId };
}

/** The longest earlier request this one extends, and how many messages they share. */
function longestPrefix(requestId: number, facts: ThreadFacts, look: ThreadLookup): { prior: Prior; k: number } | null {
  for (let k = facts.chain.length - 1; k >= 0; k--) {
    const prior = look.latestWithChain(facts.chain[k]!, requestId);
    if (prior) return { prior, k: k + 1 };
  }
  return null;
}

function naturalAssignment(requestId: number, facts: ThreadFacts, look: ThreadLookup): Assignment {
  const prefix = longestPrefix(requestId, facts, look);
  const extendsId = prefix?.prior.requestId ?? null;
  const key = nativeKey(facts);
  if (key !== null) {
    const source = facts.native!.source;
    const prior = look.latestWithNative(key, requestId);
    if (!prior) return fresh(requestId, source, null, extendsId);
    const last = look.latestInThread(prior.threadId, requestId) ?? prior;
    const lane = look.latestInThreadWithContext(prior.threadId, facts.contextHash, requestId);
    // Compaction or a rewind: the history no longer extends the last request of the same kind.
    const extends_ = lane === null || (lane.chainHash !== null && facts.chain.includes(lane.chainHash));
    return {
      threadId: prior.threadId,
      turn: last.turn + 1,
      segment: extends_ ? last.segment : last.segment + 1,
      source,
      parentThreadId: null,
      extendsId,
    };
  }
  if (facts.previousResponseId !== null) {
    const prior = look.withResponseId(facts.previousResponseId, requestId);
    if (prior) {
      const last = look.latestInThread(prior.threadId, requestId) ?? prior;
      return {
        threadId: prior.threadId,
        turn: last.turn + 1,
        segment: last.segment,
        source: 'previous_response_id',
        parentThreadId: null,
        extendsId,
      };
    }
  }
  if (prefix === null) return fresh(requestId, 'new', null, null);
  const { prior, k } = prefix;
  if (look.extendedBefore(prior.requestId, requestId)) return fresh(requestId, `fork:${k}`, prior.threadId, extendsId);
  const last = look.latestInThread(prior.threadId, requestId) ?? prior;
  return {
    threadId: prior.threadId,
    turn: last.turn + 1,
    segment: last.segment,
    source: `prefix:${k}`,
    parentThreadId: null,
    extendsId,
  };
}
