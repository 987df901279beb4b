// The first page of the list, asked for before the rest of the page's script has loaded.
// The entry module is small: it opens the connection and sends this request, then imports React and
// the screens. Parsing and running that script took most of the first second of opening a log; the
// server now answers while it happens, instead of after it. The list takes the answer if it asks
// for the same first page (same filter, same order), else asks again.
import type { ListCursor, ListSort, RequestFilter, RequestPage } from '../../../electron/core/contract/model';
import type { Client } from './client';

let early: { key: string; page: Promise<RequestPage<ListCursor>> } | null = null;

const keyOf = (filter: RequestFilter, sort: ListSort, limit: number) => JSON.stringify([filter, sort, limit]);

export function prefetchFirstPage(
  client: Pick<Client, 'listRequests'>,
  filter: RequestFilter,
  sort: ListSort,
  limit: number,
): void {
  const page = client.listRequests({ filter, sort, cursor: null, limit });
  // Nobody may take it (another filter by then): a failure is the list's to report when it asks itself.
  page.catch(() => undefined);
  early = { key: keyOf(filter, sort, limit), page };
}

/** The early first page if it matches, once; null otherwise. */
export function takeFirstPage(
  filter: RequestFilter,
  sort: ListSort,
  limit: number,
): Promise<RequestPage<ListCursor>> | null {
  const e = early;
  early = null;
  return e && e.key === keyOf(filter, sort, limit) ? e.page : null;
}
