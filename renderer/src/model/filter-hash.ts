import { parseQuery, quoteValue } from '../../../electron/core/contract/filter-query';
import { slotTerm, wordsInBodies } from '../../../electron/core/contract/filter-slots';
import { SORT_COLUMNS, type ListSort, type RequestFilter } from '../../../electron/core/contract/model';

// The filter lives in the URL hash (`#f=model:gpt-4o* since:1h`, or `#q=words` for plain words) so a
// reload, or a link pasted to a teammate's inspector, shows the same rows. The filter bar keeps its
// whole filter in that text (its dropdowns write terms into it), so the hash holds the text, the
// "bodies" box and the order. Parsing is lenient: anything malformed is ignored rather than breaking
// the page, because the hash is user-editable.

/** Stands for "requests without a policy" in links written before the filter was text. */
export const NO_POLICY = '(none)';

/** The time ranges the filter bar offers, as `since:` durations (relative to when the query runs). */
export const RELATIVE_RANGES = ['15m', '1h', '24h', '7d'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)) && parseQuery(`since:${s}`).ok;
}

const anyOf = (terms: string[]) => (terms.length > 1 ? `(${terms.join(' OR ')})` : (terms[0] ?? ''));

/**
 * The terms a link from before the filter was text says with its own parameters (`model=`,
 * `provider=`, `policy=`, `status=`, `ok=`, `stream=`, `last=`, `since=`, `until=`, `cid=`).
 */
function legacyTerms(p: URLSearchParams): string[] {
  const values = (k: string) => p.getAll(k).filter(Boolean);
  const terms = [
    anyOf(values('model').map((m) => `model:${quoteValue(m)}`)),
    anyOf(values('provider').map((m) => `provider:${quoteValue(m)}`)),
    anyOf(values('policy').map((m) => slotTerm('policy', m === NO_POLICY ? null : m))),
  ];
  const status = [...new Set(p.getAll('status').map(Number))].filter((n) => Number.isInteger(n) && n >= 0 && n <= 5);
  if (status.length) terms.push(slotTerm('status', status));
  const ok = p.get('ok');
  if (ok === '1' || ok === '0') terms.push(ok === '1' ? 'success' : 'failed');
  const stream = p.get('stream');
  if (stream === '1' || stream === '0') terms.push(slotTerm('streaming', stream === '1'));
  const last = p.get('last');
  const since = p.get('since');
  if (RELATIVE_RANGES.includes(last as RelativeRange)) terms.push(`since:${last}`);
  else if (since && isIsoDate(since)) terms.push(`since:${since}`);
  const until = p.get('until');
  if (until && isIsoDate(until)) terms.push(`until:${until}`);
  const cid = p.get('cid')?.trim();
  if (cid) terms.push(`id:${quoteValue(cid)}`);
  return terms.filter(Boolean);
}

/** The filter and, unless it is newest first, the order (`sort=cost.desc`). */
export function filterToHash(filter: RequestFilter, sort?: ListSort): string {
  const p = new URLSearchParams();
  if (filter.text) p.set('q', filter.text);
  if (filter.query) p.set('f', filter.query);
  if (filter.searchBodies) p.set('bodies', '1');
  if (sort && !(sort.column === 'time' && sort.dir === 'desc')) p.set('sort', `${sort.column}.${sort.dir}`);
  const s = p.toString();
  return s ? `#${s}` : '';
}

export function hashToFilter(hash: string): RequestFilter {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const f: RequestFilter = {};
  const text = p.get('q')?.trim();
  // The filter language; a hand-edited link that no longer parses is ignored like any malformed part.
  let query = p.get('f')?.trim();
  if (query && !parseQuery(query).ok) query = undefined;
  const legacy = legacyTerms(p);
  // Words with "bodies" ticked: what the "bodies" shortcut now writes into the text.
  const bodies = p.get('bodies') === '1' && !!text;
  if (legacy.length || bodies) {
    // A top-level OR is put in parentheses, or the terms ANDed after it would join its last part.
    const group = (q: string | undefined) => {
      const r = q ? parseQuery(q) : null;
      return r?.ok && r.tree?.kind === 'or' ? `(${q})` : q;
    };
    const words = !text ? '' : bodies ? wordsInBodies(text) : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    const joined = [legacy.length || query ? group(words) : words, group(query), ...legacy].filter(Boolean).join(' ');
    if (parseQuery(joined).ok) query = joined;
  } else if (text) f.text = text;
  if (query) f.query = query;
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
