// Shapes shared by the proxy (which produces records), the storage engine (which keeps
// them) and the API contract (which serves them). Plain data only: no Node or DOM types,
// so the renderer can import these through the contract.

import type { ExchangeColumn, FieldsOf, RequestColumn, WriterField } from './columns';

export type { Headers } from './columns';

// The row types are the column tables of columns.ts read as TypeScript: a column added there is a
// field here, with the type and nullability the table gives it.

/** A row of the request list: every `requests` column, no headers or bodies. */
export type RequestRow = FieldsOf<RequestColumn>;

/** Headers and bodies as the proxy captured them. */
export type ExchangeRecord = Omit<FieldsOf<ExchangeColumn>, 'bodiesDropped'>;

/** What the proxy hands to the writer once a request has finished, one per request. */
export interface LogRecord extends Omit<RequestRow, 'id' | WriterField> {
  exchange: ExchangeRecord;
}

export interface RequestDetail extends RequestRow {
  exchange: FieldsOf<ExchangeColumn>;
}

export type StatusClass = 0 | 1 | 2 | 3 | 4 | 5;

/** Every field narrows the result; absent fields don't filter. Arrays mean "any of". */
export interface RequestFilter {
  /**
   * Filter text in the filter language (filter-query.ts), e.g. `model:gpt-4o* status>=400 since:1h`,
   * ANDed with the fields below. A mistake is refused with its column, never read as "no rows".
   */
  query?: string;
  /** Substring of model, path, correlation id or error message (case-insensitive). */
  text?: string;
  /** Also search request and response bodies for `text` (slower: reads exchanges). */
  searchBodies?: boolean;
  /** Inclusive lower bound on `timestamp`, ISO-8601. */
  since?: string;
  /** Exclusive upper bound on `timestamp`, ISO-8601. */
  until?: string;
  model?: string[];
  provider?: string[];
  /** null in the list matches requests without a policy. */
  policy?: (string | null)[];
  /** 0 matches requests that got no status at all. */
  statusClass?: StatusClass[];
  success?: boolean;
  streaming?: boolean;
  minCost?: number;
  minLatencyMs?: number;
  correlationId?: string;
}

/** Keyset position: the last row of the previous page. */
export interface Cursor {
  timestamp: string;
  id: number;
}

/** Keyset position in a list sorted by another column: the last row's sort value (null sorts last) and id. */
export interface SortCursor {
  value: string | number | null;
  id: number;
}

/** What a list call hands back to page on: a time cursor for time order, a SortCursor otherwise. */
export type ListCursor = Cursor | SortCursor;

export interface RequestPage<C extends ListCursor = Cursor> {
  rows: RequestRow[];
  /** Pass back to get the next page; null when this was the last. */
  nextCursor: C | null;
  /**
   * A far page (asked for with `skip`) only: the rows after the cursor that match, counted in the
   * same read as the page, so the list knows its exact length without reading to the end.
   */
  remaining?: number;
}

/**
 * Columns the list can be sorted by (the row field each one orders on is in sort-keys.ts, its SQL in
 * storage/sort-sql.ts).
 */
export const SORT_COLUMNS = [
  'time',
  'path',
  'provider',
  'model',
  'policy',
  'status',
  'streaming',
  'inputTokens',
  'outputTokens',
  'cost',
  'latency',
  'ttfb',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** List order. Rows without a value (NULL) come last in either direction; ties are broken by id. */
export interface ListSort {
  column: SortColumn;
  dir: 'asc' | 'desc';
}

export type StatsGroupBy = 'model' | 'provider' | 'policy';

export interface StatsRow {
  /** The group's value; null for the totals row and for "no policy". */
  key: string | null;
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum over requests whose cost is known. */
  cost: number;
  /** How many requests had no known cost (their cost is not in `cost`). */
  costUnknown: number;
  latencyP50: number | null;
  latencyP95: number | null;
}

export interface Stats {
  total: StatsRow;
  groups: StatsRow[];
}

export interface TokenRatio {
  /** null: requests without a policy. */
  policy: string | null;
  model: string;
  sampleCount: number;
  avgRatio: number;
  /** Sample standard deviation of the ratio; null with fewer than two samples. */
  stddevRatio: number | null;
  minRatio: number;
  maxRatio: number;
  updatedAt: string;
}

export interface WriterStatus {
  /** Records accepted by enqueue() and not yet committed or dropped. */
  queued: number;
  committed: number;
  /** Batches whose commit failed (each is retried until it lands). */
  failed: number;
  /** Records refused because the queue was full: counted, never silent. */
  dropped: number;
  /** Records kept without their bodies because the queue's byte bound was reached. */
  bodiesShed: number;
  /** Set while the writer is failing; cleared by the next successful commit. */
  lastError: string | null;
  lastErrorAt: string | null;
  state: 'ok' | 'retrying' | 'restarting' | 'closed';
}
