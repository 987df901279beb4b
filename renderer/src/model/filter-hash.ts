import { parseQuery } from '../../../electron/core/contract/filter-query';
import {
  SORT_COLUMNS,
  type ListSort,
  type RequestFilter,
  type StatusClass,
} from '../../../electron/core/contract/model';

// The filter lives in the URL hash (`#q=gpt&model=a&model=b&status=4`) so a reload, or a link
// pasted to a teammate's inspector, shows the same rows. Parsing is lenient: anything malformed
// is ignored rather than breaking the page, because the hash is user-editable.

/** Stands for "requests without a policy" (null in RequestFilter.policy). */
export const NO_POLICY = '(none)';

const STATUS_CLASSES: readonly StatusClass[] = [0, 1, 2, 3, 4, 5];

function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s));
}

/**
 * Time ranges relative to now. The hash keeps them as such (`last=1h`), not as the instant they
 * were picked: "last 15 minutes" chosen at 10:00 must not still mean "since 09:45" after a reload
 * at 10:30.
 */
export const RELATIVE_RANGES = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
} as const;
export type RelativeRange = keyof typeof RELATIVE_RANGES;

const isRange = (v: string | null): v is RelativeRange => v !== null && Object.hasOwn(RELATIVE_RANGES, v);

/**
 * The lower bound of a relative range, rounded down to the minute: the page parses the hash twice
 * as it opens (the first page is asked for before React loads, then the app asks again) and both
 * must name the same rows, so the same query.
 */
export function sinceFor(range: RelativeRange, now = Date.now()): string {
  return new Date(Math.floor((now - RELATIVE_RANGES[range]) / 60_000) * 60_000).toISOString();
}

/** The relative range the hash names, if any. */
export function hashToRange(hash: string): RelativeRange | null {
  const last = new URLSearchParams(hash.replace(/^#/, '')).get('last');
  return isRange(last) ? last : null;
}

/**
 * The filter and, unless it is newest first, the order (`sort=cost.desc`). With `range`, the
 * filter's `since` is written as that relative range.
 */
export function filterToHash(filter: RequestFilter, sort?: ListSort, range?: RelativeRange | null): string {
  const p = new URLSearchParams();
  if (filter.text) p.set('q', filter.text);
  if (filter.query) p.set('f', filter.query);
  if (filter.searchBodies) p.set('bodies', '1');
  for (const m of filter.model ?? []) p.append('model', m);
  for (const m of filter.provider ?? []) p.append('provider', m);
  for (const m of filter.policy ?? []) p.append('policy', m ?? NO_POLICY);
  for (const s of filter.statusClass ?? []) p.append('status', String(s));
  if (filter.success !== undefined) p.set('ok', filter.success ? '1' : '0');
  if (filter.streaming !== undefined) p.set('stream', filter.streaming ? '1' : '0');
  if (range) p.set('last', range);
  else if (filter.since) p.set('since', filter.since);
  if (filter.until) p.set('until', filter.until);
  if (filter.correlationId) p.set('cid', filter.correlationId);
  if (sort && !(sort.column === 'time' && sort.dir === 'desc')) p.set('sort', `${sort.column}.${sort.dir}`);
  const s = p.toString();
  return s ? `#${s}` : '';
}

function bool(v: string | null): boolean | undefined {
  return v === '1' ? true : v === '0' ? false : undefined;
}

export function hashToFilter(hash: string, now = Date.now()): RequestFilter {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const f: RequestFilter = {};
  const text = p.get('q')?.trim();
  if (text) f.text = text;
  // The filter language; a hand-edited link that no longer parses is ignored like any malformed part.
  const query = p.get('f')?.trim();
  if (query && parseQuery(query).ok) f.query = query;
  if (p.get('bodies') === '1') f.searchBodies = true;
  const models = p.getAll('model').filter(Boolean);
  if (models.length) f.model = models;
  const providers = p.getAll('provider').filter(Boolean);
  if (providers.length) f.provider = providers;
  const policies = p
    .getAll('policy')
    .filter(Boolean)
    .map((v) => (v === NO_POLICY ? null : v));
  if (policies.length) f.policy = policies;
  const status = [...new Set(p.getAll('status').map(Number))].filter((n): n is StatusClass =>
    STATUS_CLASSES.includes(n as StatusClass),
  );
  if (status.length) f.statusClass = status.sort();
  const ok = bool(p.get('ok'));
  if (ok !== undefined) f.success = ok;
  const stream = bool(p.get('stream'));
  if (stream !== undefined) f.streaming = stream;
  const last = p.get('last');
  const since = p.get('since');
  if (isRange(last)) f.since = sinceFor(last, now);
  else if (since && isIsoDate(since)) f.since = since;
  const until = p.get('until');
  if (until && isIsoDate(until)) f.until = until;
  const cid = p.get('cid')?.trim();
  if (cid) f.correlationId = cid;
  return f;
}

/** The order kept in the hash; newest first when absent or unreadable. */
export function hashToSort(hash: string): ListSort {
  const [column, dir] = (new URLSearchParams(hash.replace(/^#/, '')).get('sort') ?? '').split('.');
  const known = SORT_COLUMNS.find((c) => c === column);
  return known && (dir === 'asc' || dir === 'desc') ? { column: known, dir } : { column: 'time', dir: 'desc' };
}

/** True when the filter narrows nothing (used for the empty state and the "clear" button). */
export function isEmptyFilter(f: RequestFilter): boolean {
  return filterToHash(f) === '';
}

/** Stable identity for a filter, to know when a list or stats query must restart. */
export function filterKey(f: RequestFilter): string {
  return filterToHash(f);
}
