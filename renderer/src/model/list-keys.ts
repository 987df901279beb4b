// Keys of the list's items: what the selection, the scroll anchor and React hold. They are strings
// (React keys, `data-key` in the DOM) of three known shapes, and this module is the only place that
// builds or reads them.

/** A committed row, by its id. */
export type RowKey = `r${number}`;
/** A request still in flight, by its correlation id (its committed row will carry it too). */
export type InflightKey = `f${string}`;
/** A row that can be selected. */
export type ItemKey = RowKey | InflightKey;
/** A placeholder for a snapshot row whose page isn't read yet, by its display index. */
export type LoadingKey = `l${number}`;

export const rowKey = (id: number): RowKey => `r${id}`;
export const inflightKey = (correlationId: string): InflightKey => `f${correlationId}`;
export const loadingKey = (index: number): LoadingKey => `l${index}`;

export type ParsedKey = { kind: 'row'; id: number } | { kind: 'inflight'; correlationId: string };

export function parseKey(key: ItemKey): ParsedKey {
  return key.startsWith('f')
    ? { kind: 'inflight', correlationId: key.slice(1) }
    : { kind: 'row', id: Number(key.slice(1)) };
}
