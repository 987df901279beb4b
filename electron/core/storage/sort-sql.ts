// The list in an order other than time: keyset pages on (sort value, id), NULLs last in either
// direction. No index serves these orders (the writer pays for every index on `requests`, and it
// is the part of the app that must keep up), so each page is a scan of the filter's rows with a
// bounded sort, about as long as a grouped stats query: they run in the reader thread, never on
// the loop that proxies requests. Time order stays on the main thread, where an index makes a
// page a b-tree seek.
import { filterSql, type SqlPart } from './filter-sql';
import type { RequestFilter, SortCursor } from '../contract/model';
import { SORT_KEYS, type ValueSort } from '../contract/sort-keys';

/**
 * One page after `cursor`, selecting `columns` of `requests r`. With NULLs last, the rows after a
 * cursor are those with a value beyond it (or equal, with an id beyond it) plus every NULL; after a
 * cursor that is itself NULL, only NULLs with an id beyond it remain. The row-value comparison is
 * NULL (so false) for a NULL value, hence the explicit `IS NULL` arm.
 * The scan and its sort pick ids reading only the sort column (SQLite decodes a record up to the
 * last column it needs); the page's full rows are read by id afterwards. Selecting every column in
 * the scan made each page two to four times slower at a million rows.
 */
export function sortedPageSql(
  columns: string,
  filter: RequestFilter,
  sort: ValueSort,
  cursor: SortCursor | null,
  offset = false,
): SqlPart {
  const key = `r.${SORT_KEYS[sort.column].column.name}`;
  const where: SqlPart = filterSql(filter);
  let inner = `SELECT r.id FROM requests r WHERE ${where.sql}`;
  const params = [...where.params];
  const beyond = sort.dir === 'desc' ? '<' : '>';
  if (cursor && cursor.value !== null) {
    inner += ` AND ((${key}, r.id) ${beyond} (?, ?) OR ${key} IS NULL)`;
    params.push(cursor.value, cursor.id);
  } else if (cursor) {
    inner += ` AND ${key} IS NULL AND r.id ${beyond} ?`;
    params.push(cursor.id);
  }
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  const order = `ORDER BY ${key} ${dir} NULLS LAST, r.id ${dir}`;
  // With `offset`, an `OFFSET ?` follows the `LIMIT ?` left to bind (a far page: see listPage).
  return {
    sql: `SELECT ${columns} FROM requests r WHERE r.id IN (${inner} ${order} LIMIT ?${offset ? ' OFFSET ?' : ''}) ${order}`,
    params,
  };
}
