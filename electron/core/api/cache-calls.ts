// The prompt cache read against real previous turns: one request against the turn before it in its
// thread (the request detail's cache card), and a whole thread turn by turn with its account (the
// thread view). Bodies are read here and parsed in the diff thread, never on the proxy's loop.
import { MAX_CACHE_TURNS, type CacheDiagnosis, type ThreadCache } from '../contract/cache';
import { ApiError } from '../contract/errors';
import type { RequestDetail, RequestRow } from '../contract/model';
import type { ThreadView } from '../contract/threads';
import { runCacheDiagnosis } from '../inspect/diff/diff-thread';

/** Bodies handed to one diagnosis of a thread, at most: older turns beyond are left out of its account. */
export const MAX_CACHE_BODY_BYTES = 64 * 1024 * 1024;

export interface CacheSource {
  getRequest(id: number): RequestDetail | null | Promise<RequestDetail | null>;
  getThread(threadId: number): ThreadView | null | Promise<ThreadView | null>;
  /** The turn before `id` in its thread, when the log answers that with a seek (the live store). */
  previousTurn?(id: number): RequestRow | null;
}

const bytesOf = (d: RequestDetail) => (d.exchange.requestBody?.length ?? 0) + (d.exchange.responseBody?.length ?? 0);

export async function requestCache(
  read: CacheSource,
  id: number,
  baseUrls: Record<string, string>,
): Promise<CacheDiagnosis | null> {
  const cur = await read.getRequest(id);
  if (!cur) throw new ApiError('not_found', `No request with id ${id}.`);
  if (cur.threadId == null) return null;
  let prevId: number | null;
  if (read.previousTurn) prevId = read.previousTurn(id)?.id ?? null;
  else {
    const turns = (await read.getThread(cur.threadId))?.turns ?? [];
    prevId = turns.findLast((t) => t.row.id < id)?.row.id ?? null;
  }
  if (prevId === null) return null;
  const prev = await read.getRequest(prevId);
  if (!prev) return null;
  const answer = await runCacheDiagnosis({ turns: [prev, cur], baseUrls });
  if (!answer.ok) throw new ApiError('unavailable', `Could not read the cache of #${id}: ${answer.error}`);
  return answer.diagnoses[0] ?? null;
}

export async function threadCache(
  read: CacheSource,
  threadId: number,
  baseUrls: Record<string, string>,
): Promise<ThreadCache> {
  const view = await read.getThread(threadId);
  if (!view) throw new ApiError('not_found', `No thread with id ${threadId}.`);
  // The latest turns, newest first, until the count or the bytes run out; then oldest first.
  const details: RequestDetail[] = [];
  let bytes = 0;
  for (const t of view.turns.slice(-MAX_CACHE_TURNS).reverse()) {
    const d = await read.getRequest(t.row.id);
    if (!d) continue;
    bytes += bytesOf(d);
    if (bytes > MAX_CACHE_BODY_BYTES && details.length >= 2) break;
    details.push(d);
  }
  details.reverse();
  const answer = await runCacheDiagnosis({ turns: details, baseUrls });
  if (!answer.ok) throw new ApiError('unavailable', `Could not read the cache of thread #${threadId}: ${answer.error}`);
  return {
    threadId,
    turns: answer.diagnoses,
    summary: answer.summary,
    fromTurn: details[0]?.turn ?? 1,
  };
}
