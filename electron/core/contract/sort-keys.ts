// The list's orders other than time, as both sides need them: the column each one orders on, and
// its value read from a row the way SQLite holds it (booleans are 0/1), so the page's cursor and
// its live rows compare exactly as the store's keyset does. The SQL of each order is the store's
// (storage/sort-sql.ts), on the same column.
import { REQUEST_COLUMNS, type RequestColumn } from './columns';
import type { ListSort, RequestRow, SortColumn, SortCursor } from './model';

export type ValueColumn = Exclude<SortColumn, 'time'>;

/** The row field each order sorts on. */
const SORT_FIELDS = {
  path: 'path',
  provider: 'provider',
  model: 'model',
  policy: 'policy',
  status: 'status',
  streaming: 'streaming',
  inputTokens: 'inputTokens',
  outputTokens: 'outputTokens',
  cost: 'cost',
  latency: 'latencyMs',
  ttfb: 'ttfbMs',
} as const satisfies Record<ValueColumn, keyof RequestRow>;

interface SortKey {
  /** The column in `requests`. */
  column: RequestColumn;
  value: (r: RequestRow) => string | number | null;
  /** Which cursor values make sense for the column (checked at the API boundary). */
  kind: 'text' | 'number';
}

function sortKey(field: keyof RequestRow): SortKey {
  const column = REQUEST_COLUMNS.find((c) => c.field === field)!;
  const value =
    column.type === 'boolean'
      ? (r: RequestRow) => (r[field] ? 1 : 0)
      : (r: RequestRow) => r[field] as string | number | null;
  return { column, value, kind: column.type === 'text' ? 'text' : 'number' };
}

export const SORT_KEYS = Object.fromEntries(
  Object.entries(SORT_FIELDS).map(([order, field]) => [order, sortKey(field)]),
) as Record<ValueColumn, SortKey>;

export type ValueSort = ListSort & { column: ValueColumn };

export const isTimeSort = (sort: ListSort | null | undefined): boolean => !sort || sort.column === 'time';

/** The cursor that continues after `row` in `sort`. */
export function sortCursorOf(row: RequestRow, sort: ValueSort): SortCursor {
  return { value: SORT_KEYS[sort.column].value(row), id: row.id };
}
