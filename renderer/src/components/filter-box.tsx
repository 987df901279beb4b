import { forwardRef, useState } from 'react';
import { FIELD_NAMES, FLAGS, quoteValue, type QueryError } from '../../../electron/core/contract/filter-query';
import type { RequestFilter } from '../../../electron/core/contract/model';

// The filter box: the filter language, parsed as you type. Plain words stay the text search the
// box always was (with "bodies", over bodies too); anything that uses the language (a field, an
// operator, a quote, -, OR, parentheses) is sent as filter text. A mistake is shown with its column
// and nothing is asked of the server until it is fixed. The filter bar holds the text (its dropdowns
// write into it too) and sends it on.

export interface Facets {
  model: (string | null)[];
  provider: (string | null)[];
  policy: (string | null)[];
  /** Loads the facets' values (a grouped query) the first time they are wanted. */
  want(): void;
}

interface Props {
  text: string;
  onText(text: string): void;
  /** The text, sent at once (Escape). */
  onCommit(text: string): void;
  /** Why the text does not parse, if it doesn't. */
  error: QueryError | null;
  facets: Facets;
}

const HISTORY_KEY = 'inspector.filterHistory';
const SAVED_KEY = 'inspector.savedFilters';
const HISTORY_MAX = 20;

function stored<T>(key: string, ok: (x: unknown) => x is T): T[] {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter(ok) : [];
  } catch {
    return [];
  }
}

const history = () => stored(HISTORY_KEY, (x): x is string => typeof x === 'string');

interface SavedFilter {
  name: string;
  text: string;
}

const savedFilters = () =>
  stored(
    SAVED_KEY,
    (x): x is SavedFilter =>
      typeof (x as SavedFilter)?.name === 'string' && typeof (x as SavedFilter)?.text === 'string',
  );

/** Keeps a named filter (a name used again is replaced). */
export function saveFilter(name: string, text: string): void {
  try {
    localStorage.setItem(SAVED_KEY, JSON.stringify([{ name, text }, ...savedFilters().filter((f) => f.name !== name)]));
  } catch {
    // Storage full or refused: nothing to keep it in.
  }
}

/** Puts filter text first in the recent filters offered when the box is empty. */
export function remember(text: string): void {
  try {
    localStorage.setItem(
      HISTORY_KEY,
      JSON.stringify([text, ...history().filter((h) => h !== text)].slice(0, HISTORY_MAX)),
    );
  } catch {
    // Storage full or refused: history is a convenience.
  }
}

/** Words only: the box's old meaning, a substring of model, path, id or error (and bodies, if ticked). */
export function isPlainText(t: string): boolean {
  return (
    !/[:<>=()"]/.test(t) &&
    !/(^|\s)-\S/.test(t) &&
    !/(^|\s)(OR|AND|NOT)(\s|$)/.test(t) &&
    !t.split(/\s+/).some((w) => (FLAGS as readonly string[]).includes(w))
  );
}

export function boxToFilter(filter: RequestFilter, text: string): RequestFilter {
  const { text: _t, query: _q, ...rest } = filter;
  const t = text.trim();
  if (!t) return rest;
  return isPlainText(t) ? { ...rest, text: t } : { ...rest, query: t };
}

interface Suggestion {
  label: string;
  /** What it puts in the box: the whole text (a saved or recent filter), or the word being typed. */
  value: string;
  whole: boolean;
}

const words = (xs: string[]): Suggestion[] => xs.map((x) => ({ label: x, value: x, whole: false }));

/** With the box empty, the saved filters and then the recent ones; else completions of the word being typed. */
function suggestions(text: string, facets: Facets): Suggestion[] {
  if (!text.trim()) {
    const saved = savedFilters().map((f) => ({ label: `★ ${f.name}: ${f.text}`, value: f.text, whole: true }));
    return [
      ...saved,
      ...history()
        .slice(0, 8)
        .map((h) => ({ label: h, value: h, whole: true })),
    ];
  }
  return words(completions(text, facets));
}

function completions(text: string, facets: Facets): string[] {
  const word = /(\S*)$/.exec(text)![1]!;
  const neg = word.startsWith('-') ? '-' : '';
  const w = word.slice(neg.length);
  const field = /^(model|provider|policy):(.*)$/.exec(w);
  if (field) {
    const values = facets[field[1] as 'model' | 'provider' | 'policy'].filter((v): v is string => !!v);
    return values
      .filter((v) => v.startsWith(field[2]!.replace(/^"/, '')) && quoteValue(v) !== field[2])
      .slice(0, 8)
      .map((v) => `${neg}${field[1]}:${quoteValue(v)}`);
  }
  if (!w || w.includes(':')) return [];
  const names = [...FIELD_NAMES.filter((f) => f !== 'thread').map((f) => `${f}:`), ...FLAGS];
  return names
    .filter((n) => n.startsWith(w) && n !== w)
    .slice(0, 8)
    .map((n) => `${neg}${n}`);
}

export const FilterBox = forwardRef<HTMLInputElement, Props>(function FilterBox(
  { text, onText, onCommit, error, facets },
  ref,
) {
  const [focused, setFocused] = useState(false);
  const [naming, setNaming] = useState(false);
  const offered = focused ? suggestions(text, facets) : [];
  const accept = (s: string) =>
    onText(text.trim() ? `${text.replace(/\S*$/, '')}${s}${s.endsWith(':') ? '' : ' '}` : s);

  return (
    <div className="filterbox">
      <input
        ref={ref}
        type="search"
        placeholder="Filter ( / ): model:gpt-4o* status>=400 since:1h, or words"
        title={
          'Words search model, path, correlation id and error; or the filter language: model:…  ' +
          'provider:… policy:… status>=400 status:5xx cost>0.01 latency>2s ' +
          'streaming -streaming error:"…" body:"…" since:1h, with OR, - and parentheses'
        }
        aria-label="Filter text"
        aria-invalid={!!error}
        value={text}
        spellCheck={false}
        onChange={(e) => onText(e.target.value)}
        onFocus={() => (setFocused(true), facets.want())}
        onBlur={() => setFocused(false)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            onCommit('');
            e.currentTarget.blur();
          } else if (e.key === 'Tab' && offered.length && text.trim()) {
            e.preventDefault();
            accept(offered[0]!.value);
          }
        }}
      />
      {error && (
        <div className="filter-error" role="alert">
          {error.message}
        </div>
      )}
      {offered.length > 0 && (
        <ul className="suggest" role="listbox" aria-label={text.trim() ? 'Suggestions' : 'Recent filters'}>
          {offered.map((o) => (
            // mousedown, not click: the input's blur (which hides this list) comes before a click.
            <li
              key={o.label}
              role="option"
              aria-selected={false}
              onMouseDown={(e) => (e.preventDefault(), o.whole ? onText(o.value) : accept(o.value))}
            >
              {o.label}
            </li>
          ))}
        </ul>
      )}
      {!error && text.trim() && !naming && (
        <button
          className="link"
          title="Keep this filter under a name (offered when the box is empty)"
          onClick={() => setNaming(true)}
        >
          Save…
        </button>
      )}
      {naming && (
        <input
          aria-label="Name of the saved filter"
          placeholder="name, then Enter"
          autoFocus
          style={{ width: 140 }}
          onBlur={() => setNaming(false)}
          onKeyDown={(e) => {
            const name = e.currentTarget.value.trim();
            if (e.key === 'Enter' && name) {
              saveFilter(name, text.trim());
              setNaming(false);
            } else if (e.key === 'Escape') setNaming(false);
          }}
        />
      )}
    </div>
  );
});
