// One diff in a thread of its own: reading two large bodies as conversations and comparing them
// takes long enough (hundreds of milliseconds for megabytes) that the proxy's loop must not run it.
import { parentPort, workerData } from 'node:worker_threads';
import type { RequestDetail } from '../../contract/model';
import { toDetailView } from '../../proxy/usage/stream-view';
import { withConversation } from '../conversation/detail-view';
import { diagnoseCache, type CacheTurn } from '../cache';
import { diffRequests, type DiffSide } from '.';
import type { DiffAnswer, DiffJob } from './diff-protocol';

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

function run({ a, b, baseUrls }: DiffJob): DiffAnswer {
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

parentPort!.postMessage(run(workerData as DiffJob));
