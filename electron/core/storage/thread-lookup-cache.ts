// The thread lookups of the live write path, answered from memory. Assigning a request's thread
// asks for "the latest request before this one" by chain hash, native id, Responses id or thread
// (2–5 indexed reads a request, 10–25 µs each on this machine: most of the writer's time per row
// with bodies). Live, "before this one" is "of all rows so far", so the latest per key is kept
// here as each assigned row is noted, and a key not held yet is read once from SQL, a miss (null)
// included, which later rows' notes overwrite. That holds only while every row written goes
// through note() and none is changed or deleted otherwise: the owner calls clear() after a
// rollback, a deletion, an override or a rebuild, and uses the SQL lookup itself whenever
// `before` is not the newest id (a rebuild or a reassignment reads the past).
import type { Assignment, Prior, ThreadFacts, ThreadLookup } from '../inspect/threads';
import { nativeKey } from '../inspect/threads';

/** Keys held per kind at most; past it that kind starts over (a miss costs one SQL read). */
const MAX_KEYS = 20_000;

type WithChain = Prior & { chainHash: string | null };

function bounded<K, V>() {
  const m = new Map<K, V>();
  return {
    get: (k: K) => m.get(k),
    set(k: K, v: V) {
      if (m.size >= MAX_KEYS && !m.has(k)) m.clear();
      m.set(k, v);
    },
    clear: () => m.clear(),
  };
}

export function createLookupCache(sql: ThreadLookup) {
  const native = bounded<string, Prior | null>();
  const chain = bounded<string, Prior | null>();
  const response = bounded<string, Prior | null>();
  const extended = bounded<number, boolean>();
  const inThread = bounded<number, Prior | null>();
  const inThreadWithContext = bounded<string, WithChain | null>();
  const all = [native, chain, response, extended, inThread, inThreadWithContext];
  /** Every row noted has an id below this; a lookup for a later `before` may use memory. */
  let newest = 0;

  const through =
    <K, V>(map: ReturnType<typeof bounded<K, V>>, read: (before: number) => V) =>
    (key: K, before: number): V => {
      if (before <= newest) return read(before);
      const held = map.get(key);
      if (held !== undefined) return held;
      const v = read(before);
      map.set(key, v);
      return v;
    };

  const lookup: ThreadLookup = {
    latestWithNative: (key, before) => through(native, (b) => sql.latestWithNative(key, b))(key, before),
    latestWithChain: (hash, before) => through(chain, (b) => sql.latestWithChain(hash, b))(hash, before),
    withResponseId: (id, before) => through(response, (b) => sql.withResponseId(id, b))(id, before),
    extendedBefore: (requestId, before) =>
      through(extended, (b) => sql.extendedBefore(requestId, b))(requestId, before),
    latestInThread: (threadId, before) => through(inThread, (b) => sql.latestInThread(threadId, b))(threadId, before),
    latestInThreadWithContext: (threadId, contextHash, before) =>
      through(inThreadWithContext, (b) => sql.latestInThreadWithContext(threadId, contextHash, b))(
        `${threadId}\u0000${contextHash}`,
        before,
      ),
  };

  return {
    lookup,
    /** Request `id` was just stored with these facts and this assignment (ids only grow). */
    note(id: number, facts: ThreadFacts, a: Assignment): void {
      newest = Math.max(newest, id);
      const prior: Prior = { requestId: id, threadId: a.threadId, turn: a.turn, segment: a.segment };
      const key = nativeKey(facts);
      if (key !== null) native.set(key, prior);
      const last = facts.chain.at(-1) ?? null;
      if (last !== null) chain.set(last, prior);
      if (facts.responseId !== null) response.set(facts.responseId, prior);
      if (a.extendsId !== null) extended.set(a.extendsId, true);
      inThread.set(a.threadId, prior);
      inThreadWithContext.set(`${a.threadId}\u0000${facts.contextHash}`, { ...prior, chainHash: last });
    },
    /** Forget everything: the rows changed other than by note(). */
    clear(): void {
      for (const m of all) m.clear();
      newest = 0;
    },
  };
}
