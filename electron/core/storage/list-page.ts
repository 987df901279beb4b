// Which thread reads a page of the list. A time-ordered page whose filter is an index seek costs
// about a millisecond and is read where it is asked for; any other order, a page `skip` rows past
// its cursor, or a filter that may walk the whole log (a text search, say) is read in the reader
// thread, so it never stalls the loop that proxies requests.
import type { ListCursor, RequestPage, Cursor } from '../contract/model';
import { isTimeSort } from '../contract/sort-keys';
import { seeksIndex } from './filter-sql';
import type { ListQuery, LogStore } from './log-store';

export function listPage(
  reads: Pick<LogStore, 'listRequests' | 'listScan'>,
  { filter, sort, cursor, limit, skip }: ListQuery,
): Promise<RequestPage<ListCursor>> {
  if (isTimeSort(sort) && skip === 0 && seeksIndex(filter)) {
    return Promise.resolve(reads.listRequests(filter, cursor as Cursor | null, limit, sort?.dir));
  }
  return reads.listScan(filter, sort ?? { column: 'time', dir: 'desc' }, cursor, limit, skip);
}
