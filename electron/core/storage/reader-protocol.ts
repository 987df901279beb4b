import type { ValueSort } from './sort-sql';
import type { RequestFilter, RequestPage, SortCursor, Stats, StatsGroupBy } from './types';

export type ReaderRequest =
  | { type: 'stats'; id: number; filter: RequestFilter; groupBy: StatsGroupBy | null }
  | { type: 'list'; id: number; filter: RequestFilter; sort: ValueSort; cursor: SortCursor | null; limit: number }
  | { type: 'close' };

export type ReaderResult = Stats | RequestPage<SortCursor>;

export type ReaderResponse = { id: number; ok: true; result: ReaderResult } | { id: number; ok: false; error: string };
