import { forwardRef, memo, useCallback, useEffect, useState } from 'react';
import type { RequestFilter, StatsGroupBy, StatusClass } from '../../../electron/core/storage/types';
import { useClient } from '../lib/hooks';
import { isEmptyFilter, NO_POLICY } from '../model/filter-hash';

interface Props {
  filter: RequestFilter;
  onChange: (f: RequestFilter) => void;
}

const STATUS_CHIPS: { label: string; value: StatusClass; title: string }[] = [
  { label: '2xx', value: 2, title: 'Successful responses' },
  { label: '4xx', value: 4, title: 'Client errors' },
  { label: '5xx', value: 5, title: 'Server / upstream errors' },
  { label: 'no status', value: 0, title: 'Aborted before a response status was sent' },
];

const RANGES: { label: string; ms: number | null }[] = [
  { label: 'All time', ms: null },
  { label: 'Last 15 min', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 h', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/**
 * Distinct values of a column for a structured filter: a grouped stats query, run when the user
 * first reaches for that filter (over a large log it costs far more than a page of rows).
 */
function useFacet(groupBy: StatsGroupBy): [(string | null)[], () => void] {
  const client = useClient();
  const [values, setValues] = useState<(string | null)[]>([]);
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    client.getStats({ filter: {}, groupBy }).then(
      (s) => live && setValues(s.groups.map((g) => g.key).slice(0, 200)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, groupBy, wanted]);
  return [values, useCallback(() => setWanted(true), [])];
}

function without<K extends keyof RequestFilter>(f: RequestFilter, key: K): RequestFilter {
  const next = { ...f };
  delete next[key];
  return next;
}

function Facet({ label, value, facet, onPick }: { label: string; value: (string | null)[] | undefined; facet: [(string | null)[], () => void]; onPick: (v: (string | null)[] | undefined) => void }) {
  const [values, want] = facet;
  const current = value?.[0];
  const encoded = current === undefined ? '' : current === null ? NO_POLICY : current;
  const options = new Set(values.map((v) => v ?? NO_POLICY));
  if (encoded) options.add(encoded);
  return (
    <select
      aria-label={label}
      title={label}
      value={encoded}
      className={encoded ? 'set' : undefined}
      onPointerDown={want}
      onFocus={want}
      onChange={(e) => onPick(e.target.value === '' ? undefined : [e.target.value === NO_POLICY ? null : e.target.value])}
    >
      <option value="">Any {label.toLowerCase()}</option>
      {[...options].map((v) => (
        <option key={v} value={v}>
          {v === '' ? '(unknown)' : v}
        </option>
      ))}
    </select>
  );
}

export const FilterBar = memo(
  forwardRef<HTMLInputElement, Props>(function FilterBar({ filter, onChange }, ref) {
  const [text, setText] = useState(filter.text ?? '');
  const providers = useFacet('provider');
  const models = useFacet('model');
  const policies = useFacet('policy');

  useEffect(() => setText(filter.text ?? ''), [filter.text]);

  // Debounced: each change restarts the list query.
  useEffect(() => {
    if (text.trim() === (filter.text ?? '')) return;
    const t = window.setTimeout(() => onChange(text.trim() ? { ...filter, text: text.trim() } : without(filter, 'text')), 200);
    return () => window.clearTimeout(t);
  }, [text, filter, onChange]);

  const set = <K extends keyof RequestFilter>(key: K, v: RequestFilter[K] | undefined) =>
    onChange(v === undefined ? without(filter, key) : { ...filter, [key]: v });

  const toggleStatus = (s: StatusClass) => {
    const cur = filter.statusClass ?? [];
    const next = cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s].sort();
    set('statusClass', next.length ? next : undefined);
  };

  const rangeMs = filter.since ? Date.now() - Date.parse(filter.since) : null;
  const rangeLabel = filter.since ? (RANGES.find((r) => r.ms && rangeMs !== null && Math.abs(rangeMs - r.ms) < 60_000)?.label ?? 'custom') : 'All time';

  return (
    <div className="filterbar" role="search">
      <input
        ref={ref}
        type="search"
        placeholder="Filter ( / ): model, path, id, error…"
        title="Model, path, correlation id or error message; tick “bodies” to search request and response bodies too"
        aria-label="Filter text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setText('');
            onChange(without(filter, 'text'));
            e.currentTarget.blur();
          }
        }}
      />
      <label title="Also search request and response bodies (slower)">
        <input type="checkbox" checked={!!filter.searchBodies} onChange={(e) => set('searchBodies', e.target.checked || undefined)} />
        bodies
      </label>
      <Facet label="Provider" value={filter.provider} facet={providers} onPick={(v) => set('provider', v as string[] | undefined)} />
      <Facet label="Model" value={filter.model} facet={models} onPick={(v) => set('model', v as string[] | undefined)} />
      <Facet label="Policy" value={filter.policy} facet={policies} onPick={(v) => set('policy', v)} />
      <div className="chips" role="group" aria-label="Status">
        {STATUS_CHIPS.map((c) => (
          <button key={c.value} className="chip" title={c.title} aria-pressed={!!filter.statusClass?.includes(c.value)} onClick={() => toggleStatus(c.value)}>
            {c.label}
          </button>
        ))}
      </div>
      <select
        aria-label="Streamed"
        value={filter.streaming === undefined ? '' : filter.streaming ? '1' : '0'}
        className={filter.streaming === undefined ? undefined : 'set'}
        onChange={(e) => set('streaming', e.target.value === '' ? undefined : e.target.value === '1')}
      >
        <option value="">Streamed or not</option>
        <option value="1">Streamed</option>
        <option value="0">Not streamed</option>
      </select>
      <select
        aria-label="Time range"
        value={rangeLabel}
        onChange={(e) => {
          const r = RANGES.find((x) => x.label === e.target.value);
          if (r) set('since', r.ms === null ? undefined : new Date(Date.now() - r.ms).toISOString());
        }}
      >
        {RANGES.map((r) => (
          <option key={r.label}>{r.label}</option>
        ))}
        {rangeLabel === 'custom' && <option>custom</option>}
      </select>
      {!isEmptyFilter(filter) && (
        <button className="link" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </div>
  );
  }),
);
