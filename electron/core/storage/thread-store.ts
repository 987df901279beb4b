// The writer's side of threads (migrations/0003): per request, the message hashes and the facts
// assignment reads, and the assignment itself; a rebuild from the rows; the user's overrides.
// Every function runs inside the caller's transaction. Assignment only looks at requests with a
// smaller id, so doing it live (in commit order), after a restart or in a rebuild agrees.
import type { Db } from './database';
import { requestBodySql } from './body-store';
import type { LogRecord } from '../contract/model';
import type { ThreadEdit } from '../contract/threads';
import {
  assignThread,
  chainOf,
  nativeKey,
  threadFacts,
  type Assignment,
  type MessageHash,
  type Overrides,
  type Prior,
  type ThreadFacts,
  type ThreadInput,
  type ThreadLookup,
} from '../inspect/threads';
import { createLookupCache } from './thread-lookup-cache';

export type ThreadOverride = ThreadEdit;

const PRIOR = 't.request_id AS requestId, r.thread_id AS threadId, r.turn AS turn, t.segment AS segment';

function createLookup(db: Db): ThreadLookup {
  const latestBy = (column: string) =>
    db.prepare(`SELECT ${PRIOR} FROM request_threads t JOIN requests r ON r.id = t.request_id
      WHERE t.${column} = ? AND t.request_id < ? AND r.thread_id IS NOT NULL ORDER BY t.request_id DESC LIMIT 1`);
  const native = latestBy('native_key');
  const chain = latestBy('chain_hash');
  const response = latestBy('response_id');
  const extended = db.prepare('SELECT 1 FROM request_threads WHERE extends_id = ? AND request_id < ? LIMIT 1').pluck();
  const inThread = db.prepare(`SELECT ${PRIOR} FROM requests r JOIN request_threads t ON t.request_id = r.id
    WHERE r.thread_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT 1`);
  const inThreadWithContext = db.prepare(`SELECT ${PRIOR}, t.chain_hash AS chainHash
    FROM requests r JOIN request_threads t ON t.request_id = r.id
    WHERE r.thread_id = ? AND r.id < ? AND t.context_hash = ? ORDER BY r.id DESC LIMIT 1`);
  return {
    latestWithNative: (key, before) => (native.get(key, before) as Prior | undefined) ?? null,
    latestWithChain: (hash, before) => (chain.get(hash, before) as Prior | undefined) ?? null,
    withResponseId: (id, before) => (response.get(id, before) as Prior | undefined) ?? null,
    extendedBefore: (requestId, before) => extended.get(requestId, before) !== undefined,
    latestInThread: (threadId, before) => (inThread.get(threadId, before) as Prior | undefined) ?? null,
    latestInThreadWithContext: (threadId, contextHash, before) =>
      (inThreadWithContext.get(threadId, before, contextHash) as (Prior & { chainHash: string | null }) | undefined) ??
      null,
  };
}

/** The input facts are read from: a record on its way in, or a stored row in a rebuild. */
export const threadInputOf = (r: LogRecord): ThreadInput => ({
  method: r.method,
  path: r.path,
  requestHeaders: r.exchange.requestHeaders,
  requestBody: r.exchange.requestBody,
  requestBodyTruncated: r.exchange.requestBodyTruncated,
  responseBody: r.exchange.responseBody,
});

interface StoredFacts {
  native_key: string | null;
  context_hash: string;
  previous_response_id: string | null;
  response_id: string | null;
}

/** Statements prepared once per connection (the writer's). */
export function createThreadStore(db: Db) {
  const look = createLookup(db);
  // Live adds read the latest rows per key from memory (thread-lookup-cache.ts); reassignments read SQL.
  const cache = createLookupCache(look);
  const insertMessage = db.prepare(
    'INSERT INTO request_messages (request_id, position, role, hash, size) VALUES (?, ?, ?, ?, ?)',
  );
  const insertThread = db.prepare(`INSERT INTO request_threads (request_id, segment, source, parent_thread_id,
      native_key, context_hash, chain_hash, message_count, extends_id, previous_response_id, response_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateThread = db.prepare(
    'UPDATE request_threads SET segment = ?, source = ?, parent_thread_id = ?, extends_id = ? WHERE request_id = ?',
  );
  const setRow = db.prepare('UPDATE requests SET thread_id = ?, turn = ? WHERE id = ?');
  const readOverrides = db.prepare('SELECT kind, request_id, thread_id, into_id FROM thread_overrides ORDER BY id');
  const addOverride = db.prepare(
    'INSERT INTO thread_overrides (kind, request_id, thread_id, into_id, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const setComplete = db.prepare("UPDATE derived_tables SET complete = ? WHERE name = 'threads'");
  const isComplete = db.prepare("SELECT complete FROM derived_tables WHERE name = 'threads'").pluck();

  let overrides = loadOverrides();

  function loadOverrides(): Overrides {
    const splitAt = new Set<number>();
    const mergedInto = new Map<number, number>();
    for (const o of readOverrides.all() as {
      kind: string;
      request_id: number | null;
      thread_id: number | null;
      into_id: number | null;
    }[]) {
      if (o.kind === 'split' && o.request_id !== null) splitAt.add(o.request_id);
      if (o.kind === 'merge' && o.thread_id !== null && o.into_id !== null) mergedInto.set(o.thread_id, o.into_id);
    }
    return { splitAt, mergedInto };
  }

  function write(id: number, a: Assignment): void {
    setRow.run(a.threadId, a.turn, id);
  }

  /** A request just inserted (or being rebuilt): its hashes and facts stored, its thread assigned. */
  function add(id: number, input: ThreadInput, lookup: ThreadLookup = cache.lookup): Assignment | null {
    const facts = threadFacts(input);
    if (facts === null) return null;
    for (const h of facts.hashes) insertMessage.run(id, h.position, h.role, h.hash, h.size);
    const a = assignThread(id, facts, lookup, overrides);
    insertThread.run(
      id,
      a.segment,
      a.source,
      a.parentThreadId,
      nativeKey(facts),
      facts.contextHash,
      facts.chain.at(-1) ?? null,
      facts.chain.length,
      a.extendsId,
      facts.previousResponseId,
      facts.responseId,
    );
    write(id, a);
    if (lookup === cache.lookup) cache.note(id, facts, a);
    return a;
  }

  // Replays read facts back from the tables: no body is parsed again.
  const storedFacts = db.prepare(`SELECT native_key, context_hash, previous_response_id, response_id
    FROM request_threads WHERE request_id = ?`);
  const storedHashes = db.prepare(
    'SELECT position, role, hash, size FROM request_messages WHERE request_id = ? ORDER BY position',
  );
  function factsOf(id: number): ThreadFacts | null {
    const f = storedFacts.get(id) as StoredFacts | undefined;
    if (!f) return null;
    const hashes = storedHashes.all(id) as MessageHash[];
    const eq = f.native_key?.indexOf('=') ?? -1;
    return {
      contextHash: f.context_hash,
      hashes,
      chain: chainOf(f.context_hash, hashes),
      native: f.native_key && eq > 0 ? { source: f.native_key.slice(0, eq), value: f.native_key.slice(eq + 1) } : null,
      previousResponseId: f.previous_response_id,
      responseId: f.response_id,
    };
  }

  /** Assigns the given requests again, in id order, from their stored facts. */
  function reassign(ids: readonly number[]): void {
    for (const id of ids) {
      const facts = factsOf(id);
      if (!facts) continue;
      const a = assignThread(id, facts, look, overrides);
      updateThread.run(a.segment, a.source, a.parentThreadId, a.extendsId, id);
      write(id, a);
    }
  }

  const affectedRows = (threads: number[]) =>
    db
      .prepare(
        `SELECT id FROM requests WHERE thread_id IN (${threads.map(() => '?').join(', ')})
         UNION SELECT request_id FROM request_threads WHERE parent_thread_id IN (${threads.map(() => '?').join(', ')})
         ORDER BY 1`,
      )
      .pluck()
      .all(...threads, ...threads) as number[];
  const threadOf = db.prepare('SELECT thread_id FROM requests WHERE id = ?').pluck();
  const turnOf = db.prepare('SELECT turn FROM requests WHERE id = ?').pluck();
  const threadExists = db.prepare('SELECT 1 FROM requests WHERE thread_id = ? LIMIT 1').pluck();

  /**
   * Records the user's choice and applies it to the rows it changes (both threads' rows, and the
   * forks that point at them), as a rebuild would. Throws a message for a choice that makes no sense.
   */
  function override(o: ThreadOverride, now: string): void {
    let threads: number[];
    if (o.kind === 'split') {
      const thread = threadOf.get(o.requestId) as number | null | undefined;
      if (thread === undefined) throw new Error(`request ${o.requestId} does not exist`);
      if (thread === null) throw new Error(`request ${o.requestId} is in no thread`);
      if (turnOf.get(o.requestId) === 1) throw new Error(`request ${o.requestId} already starts its thread`);
      addOverride.run('split', o.requestId, null, null, now);
      threads = [thread];
    } else {
      if (o.threadId === o.intoId) throw new Error('a thread cannot be merged into itself');
      for (const t of [o.threadId, o.intoId])
        if (threadExists.get(t) === undefined) throw new Error(`thread ${t} does not exist`);
      addOverride.run('merge', null, o.threadId, o.intoId, now);
      threads = [o.threadId, o.intoId];
    }
    cache.clear();
    overrides = loadOverrides();
    reassign(affectedRows(threads));
  }

  const clearRows = db.prepare('UPDATE requests SET thread_id = NULL, turn = NULL WHERE thread_id IS NOT NULL');
  const clearMessages = db.prepare('DELETE FROM request_messages');
  const clearThreads = db.prepare('DELETE FROM request_threads');
  const PAGE = 500;
  const page = db.prepare(`SELECT r.id, r.method, r.path, e.request_headers, ${requestBodySql('e')} AS request_body,
      e.request_body_truncated,
      e.response_body FROM requests r JOIN exchanges e ON e.request_id = r.id WHERE r.id > ? ORDER BY r.id LIMIT ?`);

  /** Everything again from `requests` and `exchanges`, in id order, the user's overrides applied. */
  function rebuild(): void {
    cache.clear();
    clearRows.run();
    clearMessages.run();
    clearThreads.run();
    overrides = loadOverrides();
    let after = 0;
    for (;;) {
      // A page at a time: inserts can't run while an iterator holds the connection, and memory stays flat.
      const rows = page.all(after, PAGE) as {
        id: number;
        method: string;
        path: string;
        request_headers: string;
        request_body: string | null;
        request_body_truncated: number;
        response_body: string | null;
      }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        add(
          r.id,
          {
            method: r.method,
            path: r.path,
            requestHeaders: safeHeaders(r.request_headers),
            requestBody: r.request_body,
            requestBodyTruncated: r.request_body_truncated === 1,
            responseBody: r.response_body,
          },
          look,
        );
      }
      after = rows.at(-1)!.id;
    }
    setComplete.run(1);
  }

  return {
    add: (id: number, input: ThreadInput) => add(id, input),
    override,
    rebuild,
    isComplete: () => isComplete.get() === 1,
    markStale: () => {
      cache.clear();
      setComplete.run(0);
    },
    /** Rows were deleted or a transaction rolled back: what the live lookups held may be gone. */
    forget: () => cache.clear(),
  };
}

function safeHeaders(json: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export type ThreadStore = ReturnType<typeof createThreadStore>;
