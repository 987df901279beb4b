import type { ListCursor, ListSort, RequestFilter, RequestPage, Stats, StatsGroupBy } from '../contract/model';

export type ReaderRequest =
  | { type: 'stats'; id: number; filter: RequestFilter; groupBy: StatsGroupBy | null }
  | { type: 'list'; id: number; filter: RequestFilter; sort: ListSort; cursor: ListCursor | null; limit: number; skip: number }
  | { type: 'close' };

export type ReaderResult = Stats | RequestPage<ListCursor>;

export type ReaderResponse = { id: number; ok: true; result: ReaderResult } | { id: number; ok: false; error: string };
