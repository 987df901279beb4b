// The read side of threads (migrations/0003): the grouped list, one thread's turns, a request's
// previous turn and message hashes. Any connection: the main thread's for seeks by id, the reader
// thread's for the grouped list, which scans the filtered rows.
import type { Db } from './database';
import { filterSql } from './filter-sql';
import { ROW_SELECT, toRow } from './rows';
import { statementCache } from './statement-cache';
import type { MessageHash } from '../inspect/threads';
import type { RequestFilter, RequestRow } from '../contract/model';
import {
  MAX_THREAD_TURNS,
  type ThreadCursor,
  type ThreadPage,
  type ThreadSummary,
  type ThreadTurn,
  type ThreadView,
} from '../contract/threads';

const SUMMARY_SELECT = `r.thread_id AS threadId, count(*) AS turns, min(r.timestamp) AS firstAt,
  max(r.timestamp) AS lastAt,
  max(unixepoch(r.timestamp, 'subsec') * 1000 + coalesce(r.latency_ms, 0))
    - min(unixepoch(r.timestamp, 'subsec') * 1000) AS durationMs,
  coalesce(sum(r.input_tokens), 0) AS inputTokens, coalesce(sum(r.output_tokens), 0) AS outputTokens,
  coalesce(sum(r.cache_read_tokens), 0) AS cacheReadTokens, coalesce(sum(r.cache_write_tokens), 0) AS cacheWriteTokens,
  coalesce(sum(r.cost), 0) AS cost, coalesce(sum(r.cost IS NULL), 0) AS costUnknown,
  sum(r.input_tokens IS NOT NULL) AS withInput`;

interface RawSummary extends Omit<ThreadSummary, 'cacheHitRate' | 'source' | 'parentThreadId' | 'model' | 'segments'> {
  withInput: number;
}

export const MAX_THREAD_PAGE = 500;

export function createThreadQueries(db: Db) {
  const prepared = statementCache(db);
  const previous = db.prepare(`SELECT ${ROW_SELECT} FROM requests r
    WHERE r.thread_id = (SELECT thread_id FROM requests WHERE id = ?) AND r.id < ? ORDER BY r.id DESC LIMIT 1`);
  const hashes = db.prepare(
    'SELECT position, role, hash, size FROM request_messages WHERE request_id = ? ORDER BY position',
  );
  const first = db.prepare(`SELECT t.source, t.parent_thread_id AS parentThreadId FROM request_threads t
    WHERE t.request_id = (SELECT min(id) FROM requests WHERE thread_id = ?)`);
  const latest = db.prepare(`SELECT r.model, t.segment AS segments FROM requests r
    JOIN request_threads t ON t.request_id = r.id WHERE r.thread_id = ? ORDER BY r.id DESC LIMIT 1`);
  const turns = db.prepare(`SELECT ${ROW_SELECT}, t.segment, t.source, t.parent_thread_id AS parentThreadId,
      t.message_count AS messageCount
    FROM requests r JOIN request_threads t ON t.request_id = r.id
    WHERE r.thread_id = ? ORDER BY r.id DESC LIMIT ${MAX_THREAD_TURNS}`);
  const summaryOf = db.prepare(`SELECT ${SUMMARY_SELECT} FROM requests r WHERE r.thread_id = ? GROUP BY r.thread_id`);

  function finish(raw: RawSummary): ThreadSummary {
    const { withInput, ...s } = raw;
    const f = first.get(s.threadId) as { source: string; parentThreadId: number | null } | undefined;
    const l = latest.get(s.threadId) as { model: string; segments: number | null } | undefined;
    return {
      ...s,
      durationMs: Math.max(0, Math.round(s.durationMs ?? 0)),
      cacheHitRate: withInput > 0 && s.inputTokens > 0 ? s.cacheReadTokens / s.inputTokens : null,
      source: f?.source ?? 'new',
      parentThreadId: f?.parentThreadId ?? null,
      model: l?.model ?? '',
      segments: l?.segments ?? 1,
    };
  }

  return {
    /** The turn before `id` in its thread; null for a first turn or a request in no thread. */
    previousTurn(id: number): RequestRow | null {
      const raw = previous.get(id, id) as Parameters<typeof toRow>[0] | undefined;
      return raw ? toRow(raw) : null;
    },

    /** The request's system prompt (-1), tools (-2) and messages (0…) as hashes; [] for a request in no thread. */
    messageHashes(id: number): MessageHash[] {
      return hashes.all(id) as MessageHash[];
    },

    /** A thread's summary and turns, oldest first (the latest MAX_THREAD_TURNS of a longer one); null when none. */
    thread(threadId: number): ThreadView | null {
      const raw = summaryOf.get(threadId) as RawSummary | undefined;
      if (!raw) return null;
      const rows = (turns.all(threadId) as (Parameters<typeof toRow>[0] & Omit<ThreadTurn, 'row' | 'gapMs'>)[])
        .reverse()
        .map((r): Omit<ThreadTurn, 'gapMs'> => ({
          row: toRow(r),
          segment: r.segment,
          source: r.source,
          parentThreadId: r.parentThreadId,
          messageCount: r.messageCount,
        }));
      const out: ThreadTurn[] = rows.map((t, i) => {
        const prev = rows[i - 1]?.row;
        const gapMs = prev ? Date.parse(t.row.timestamp) - (Date.parse(prev.timestamp) + (prev.latencyMs ?? 0)) : null;
        return { ...t, gapMs: gapMs === null ? null : Math.round(gapMs) };
      });
      return { summary: finish(raw), turns: out };
    },

    /**
     * Threads with a request matching `filter`, the one with the latest matching turn first, summed
     * over those requests. Callers run it in the reader thread: it walks the matching rows newest
     * first (the list's own index) only until it has met `limit` threads, then sums just those
     * threads through their index, so a page costs what its threads hold, not what the log holds.
     * A thread is placed at its latest matching turn, (timestamp, id); the cursor names the last
     * thread of the previous page, and the walk resumes below that thread's latest turn.
     */
    listThreads(filter: RequestFilter, cursor: ThreadCursor | null, limit: number): ThreadPage {
      const n = Math.max(1, Math.min(MAX_THREAD_PAGE, Math.floor(limit)));
      const where = filterSql(filter);
      let from: [string, number] | null = null;
      if (cursor) {
        const at = prepared(`SELECT max(r.id) AS id FROM requests r
          WHERE r.thread_id = ? AND r.timestamp = ? AND ${where.sql}`).get(
          cursor.threadId,
          cursor.lastAt,
          ...where.params,
        ) as { id: number | null } | undefined;
        // The thread has no turn there any more (split, merged, pruned): resume at its time.
        from = [cursor.lastAt, at?.id ?? Number.MAX_SAFE_INTEGER];
      }
      const walk = prepared(`SELECT r.thread_id AS t FROM requests r
        WHERE r.thread_id IS NOT NULL AND ${where.sql}${from ? ' AND (r.timestamp, r.id) < (?, ?)' : ''}
        ORDER BY r.timestamp DESC, r.id DESC`);
      // On a later page, a thread met in the walk may have a newer matching turn above the cursor:
      // it was listed before.
      const seenAbove = from
        ? prepared(`SELECT 1 FROM requests r WHERE r.thread_id = ? AND (r.timestamp, r.id) >= (?, ?)
            AND ${where.sql} LIMIT 1`)
        : null;
      const order: number[] = [];
      const met = new Set<number>();
      for (const { t } of walk.iterate(...where.params, ...(from ?? [])) as IterableIterator<{ t: number }>) {
        if (met.has(t)) continue;
        met.add(t);
        if (seenAbove && from && seenAbove.get(t, from[0], from[1], ...where.params)) continue;
        order.push(t);
        if (order.length > n) break;
      }
      if (order.length === 0) return { threads: [], nextCursor: null };
      const ids = order.slice(0, n);
      const raw = prepared(`SELECT ${SUMMARY_SELECT} FROM requests r
        WHERE r.thread_id IN (${ids.map(() => '?').join(', ')}) AND ${where.sql} GROUP BY r.thread_id`).all(
        ...ids,
        ...where.params,
      ) as RawSummary[];
      const byId = new Map(raw.map((r) => [r.threadId, r]));
      const threads = ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [finish(r)] : [];
      });
      const last = threads.at(-1);
      return {
        threads,
        nextCursor: order.length > n && last ? { lastAt: last.lastAt, threadId: last.threadId } : null,
      };
    },
  };
}

export type ThreadQueries = ReturnType<typeof createThreadQueries>;
