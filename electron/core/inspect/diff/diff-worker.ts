// One diff in a thread of its own: reading two large bodies as conversations and comparing them
// takes long enough (hundreds of milliseconds for megabytes) that the proxy's loop must not run it.
import { parentPort, workerData } from 'node:worker_threads';
import type { RequestDetail } from '../../contract/model';
import { toDetailView } from '../../proxy/usage/stream-view';
import { withConversation } from '../conversation/detail-view';
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

function run({ a, b }: DiffJob): DiffAnswer {
  try {
    return { ok: true, diff: diffRequests(side(a), side(b)) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.postMessage(run(workerData as DiffJob));
