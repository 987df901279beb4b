/** What the diff thread is given and answers (see diff-worker.ts). */
import type { CacheDiagnosis, CacheSummary } from '../../contract/cache';
import type { RequestDiff } from '../../contract/diff';
import type { RequestDetail } from '../../contract/model';

/** Two requests compared. */
export interface DiffJob {
  kind?: 'diff';
  a: RequestDetail;
  b: RequestDetail;
  /** Each upstream's base URL by name, for the cache card's prices. */
  baseUrls: Record<string, string>;
}

/** Turns of one thread, oldest first, each diagnosed against the one before it. */
export interface CacheJob {
  kind: 'cache';
  turns: RequestDetail[];
  baseUrls: Record<string, string>;
}

export type DiffAnswer = { ok: true; diff: RequestDiff } | { ok: false; error: string };
export type CacheAnswer =
  { ok: true; diagnoses: CacheDiagnosis[]; summary: CacheSummary } | { ok: false; error: string };
