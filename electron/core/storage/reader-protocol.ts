import type { RequestFilter, Stats, StatsGroupBy } from './types';

export type ReaderRequest =
  | { type: 'stats'; id: number; filter: RequestFilter; groupBy: StatsGroupBy | null }
  | { type: 'close' };

export type ReaderResponse = { id: number; ok: true; result: Stats } | { id: number; ok: false; error: string };
