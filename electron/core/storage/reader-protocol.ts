import type { SchemaEntry } from './schema-check';
import type { SpendHours } from './spend-query';
import type { ThreadCursor, ThreadPage, ThreadView } from '../contract/threads';
import type { DistributionRow } from './token-distributions';
import type { TokenDistribution } from '../contract/estimate';
import type {
  ListCursor,
  ListSort,
  RequestDetail,
  RequestFilter,
  RequestPage,
  Stats,
  StatsGroupBy,
  TokenRatio,
} from '../contract/model';

export type ReaderRequest =
  | { type: 'stats'; id: number; filter: RequestFilter; groupBy: StatsGroupBy | null }
  | {
      type: 'list';
      id: number;
      filter: RequestFilter;
      sort: ListSort;
      cursor: ListCursor | null;
      limit: number;
      skip: number;
    }
  | { type: 'detail'; id: number; rowId: number }
  | { type: 'ratios'; id: number }
  | { type: 'spend'; id: number; fromHour: string }
  | { type: 'threads'; id: number; filter: RequestFilter; cursor: ThreadCursor | null; limit: number }
  | { type: 'thread'; id: number; threadId: number }
  | { type: 'distributions'; id: number }
  | { type: 'distributionRows'; id: number }
  | { type: 'close' };

export type ReaderResult =
  | Stats
  | RequestPage<ListCursor>
  | RequestDetail
  | null
  | TokenRatio[]
  | SpendHours
  | ThreadPage
  | ThreadView
  | TokenDistribution[]
  | DistributionRow[];

/** `ready`: the thread has its connection; a query's time budget counts from then, not from a thread's start-up. */
export type ReaderResponse =
  | { type: 'ready' }
  | { type: 'answer'; id: number; ok: true; result: ReaderResult }
  | { type: 'answer'; id: number; ok: false; error: string };

export interface ReaderConfig {
  file: string;
  readonly?: boolean;
  /**
   * A file that isn't the live log: the thread checks its schema again on its own connection (the
   * file could have been swapped since the caller checked it) and keeps the schema untrusted.
   */
  expectedSchema?: SchemaEntry[];
}
