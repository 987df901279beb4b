// The list's orders other than time, as both sides need them: the field of a row each column
// orders on, read the way SQLite holds it (booleans are 0/1), so the page's cursor and its live
// rows compare exactly as the store's keyset does. The SQL of each order is the store's
// (storage/sort-sql.ts).
import type { ListSort, RequestRow, SortColumn, SortCursor } from './model';

export type ValueColumn = Exclude<SortColumn, 'time'>;

interface SortKey {
  value: (r: RequestRow) => string | number | null;
  /** Which cursor values make sense for the column (checked at the API boundary). */
  kind: 'text' | 'number';
}

export const SORT_KEYS: Record<ValueColumn, SortKey> = {
  path: { value: (r) => r.path, kind: 'text' },
  provider: { value: (r) => r.provider, kind: 'text' },
  model: { value: (r) => r.model, kind: 'text' },
  policy: { value: (r) => r.policy, kind: 'text' },
  status: { value: (r) => r.status, kind: 'number' },
  streaming: { value: (r) => (r.streaming ? 1 : 0), kind: 'number' },
  inputTokens: { value: (r) => r.inputTokens, kind: 'number' },
  outputTokens: { value: (r) => r.outputTokens, kind: 'number' },
  cost: { value: (r) => r.cost, kind: 'number' },
  latency: { value: (r) => r.latencyMs, kind: 'number' },
  ttfb: { value: (r) => r.ttfbMs, kind: 'number' },
};

export type ValueSort = ListSort & { column: ValueColumn };

export const isTimeSort = (sort: ListSort | null | undefined): boolean => !sort || sort.column === 'time';

/** The cursor that continues after `row` in `sort`. */
export function sortCursorOf(row: RequestRow, sort: ValueSort): SortCursor {
  return { value: SORT_KEYS[sort.column].value(row), id: row.id };
}
