// Stored exchanges read as conversations and compared, in a thread of its own: reading large bodies
// takes long enough (hundreds of milliseconds for megabytes) that the proxy's loop must not run it.
// Two jobs: a diff of two requests (with the later one's cache read against the earlier), and a
// thread's turns each diagnosed against the one before it.
import { parentPort, workerData } from 'node:worker_threads';
import type { RequestDetail } from '../../contract/model';
import { toDetailView } from '../../proxy/usage/stream-view';
import { withConversation } from '../conversation/detail-view';
import { diagnoseCache, summarizeCache, type CacheTurn } from '../cache';
import { diffRequests, type DiffSide } from '.';
import type { CacheAnswer, CacheJob, DiffAnswer, DiffJob } from './diff-protocol';

function side(d: RequestDetail): DiffSide {
  const view = withConversation(toDetailView(d));
  const { exchange, ...row } = d;
  return {
    row,
    conversation: view.conversation,
    bodies: { request: exchange.requestBody, response: exchange.responseBody },
  };
}

function turn(s: DiffSide, baseUrls: Record<string, string>): CacheTurn {
  const r = s.row;
  return {
    id: r.id,
    timestamp: r.timestamp,
    model: r.model,
    provider: r.provider,
    baseUrl: baseUrls[r.provider] ?? null,
    conversation: s.conversation.ok ? s.conversation.conversation : null,
    bodies: s.bodies,
    inputTokens: r.inputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
  };
}

function diff({ a, b, baseUrls }: DiffJob): DiffAnswer {
  try {
    const sa = side(a);
    const sb = side(b);
    const diff = diffRequests(sa, sb);
    // The later request is the turn whose cache is read; the earlier one stands as its previous turn.
    const [prev, cur] = a.timestamp <= b.timestamp ? [sa, sb] : [sb, sa];
    diff.cache = diagnoseCache(turn(cur, baseUrls), turn(prev, baseUrls));
    return { ok: true, diff };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function cache({ turns, baseUrls }: CacheJob): CacheAnswer {
  try {
    // Each turn is parsed once and dropped once its successor has been read against it.
    let prev: CacheTurn | null = null;
    const rows = turns.map((d) => {
      const cur = turn(side(d), baseUrls);
      const diagnosis = prev ? diagnoseCache(cur, prev) : null;
      prev = cur;
      return { turn: { ...cur, conversation: null, bodies: { request: null, response: null } }, diagnosis };
    });
    return {
      ok: true,
      diagnoses: rows.flatMap((r) => (r.diagnosis ? [r.diagnosis] : [])),
      summary: summarizeCache(rows),
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const job = workerData as DiffJob | CacheJob;
parentPort!.postMessage(job.kind === 'cache' ? cache(job) : diff(job));
