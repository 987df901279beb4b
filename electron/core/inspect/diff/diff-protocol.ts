/** What the diff thread is given and answers (see diff-worker.ts). */
import type { RequestDiff } from '../../contract/diff';
import type { RequestDetail } from '../../contract/model';

export interface DiffJob {
  a: RequestDetail;
  b: RequestDetail;
  /** Each upstream's base URL by name, for the cache card's prices. */
  baseUrls: Record<string, string>;
}

export type DiffAnswer = { ok: true; diff: RequestDiff } | { ok: false; error: string };
