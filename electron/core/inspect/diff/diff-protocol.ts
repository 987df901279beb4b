/** What the diff thread is given and answers (see diff-worker.ts). */
import type { RequestDiff } from '../../contract/diff';
import type { RequestDetail } from '../../contract/model';

export interface DiffJob {
  a: RequestDetail;
  b: RequestDetail;
}

export type DiffAnswer = { ok: true; diff: RequestDiff } | { ok: false; error: string };
