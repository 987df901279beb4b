import { forwardRef, memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { RequestFilter, StatsGroupBy, StatusClass } from '../../../electron/core/contract/model';
import { useClient, type SetFilter } from '../lib/hooks';
import { FilterBox, type Facets } from './filter-box';
import { isEmptyFilter, NO_POLICY, sinceFor, type RelativeRange } from '../model/filter-hash';

interface Props {
  filter: RequestFilter;
  /** The relative time range the filter's `since` follows, if any. */
  range: RelativeRange | null;
  onChange: SetFilter;
}

const STATUS_CHIPS: { label: string; value: StatusClass; title: string }[] = [
  { label: '2xx', value: 2, title: 'Successful responses' },
  { label: '4xx', value: 4, title: 'Client errors' },
  { label: '5xx', value: 5, title: 'Server / upstream errors' },
  { label: 'no status', value: 0, title: 'Aborted before a response status was sent' },
];

const RANGES: { label: string; key: RelativeRange }[] = [
  { label: 'Last 15 min', key: '15m' },
  { label: 'Last hour', key: '1h' },
  { label: 'Last 24 h', key: '24h' },
  { label: 'Last 7 days', key: '7d' },
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

function Facet({
  label,
  value,
  facet,
  onPick,
}: {
  label: string;
  value: (string | null)[] | undefined;
  facet: [(string | null)[], () => void];
  onPick: (v: (string | null)[] | undefined) => void;
}) {
  const [values, want] = facet;
  const current = value?.[0];
  const encoded = current === undefined ? '' : current === null ? NO_POLICY : current;
  const options = new Set(values.map((v) => v ?? NO_POLICY));
  if (encoded) options.add(encoded);
  return (
    <select
      aria-label={label}
      title={encoded ? `${label}: ${current ?? '(none)'}` : label}
      value={encoded}
      className={encoded ? 'set' : undefined}
      onPointerDown={want}
      onFocus={want}
      onChange={(e) =>
        onPick(e.target.value === '' ? undefined : [e.target.value === NO_POLICY ? null : e.target.value])
      }
    >
      <option value="">Any {label.toLowerCase()}</option>
      {[...options].map((v) => (
        // The closed select shows only the chosen option: it names its field, or "openai" alone
        // could be a provider, a model or a policy.
        <option key={v} value={v}>
          {v === encoded ? `${label}: ` : ''}
          {v === '' ? '(unknown)' : v}
        </option>
      ))}
    </select>
  );
}

export const FilterBar = memo(
  forwardRef<HTMLInputElement, Props>(function FilterBar({ filter, range, onChange }, ref) {
    const providers = useFacet('provider');
    const models = useFacet('model');
    const policies = useFacet('policy');
    const facets: Facets = useMemo(
      () => ({
        model: models[0],
        provider: providers[0],
        policy: policies[0],
        want: () => (models[1](), providers[1](), policies[1]()),
      }),
      [models, providers, policies],
    );

    const set = <K extends keyof RequestFilter>(key: K, v: RequestFilter[K] | undefined) =>
      onChange(v === undefined ? without(filter, key) : { ...filter, [key]: v });

    const toggleStatus = (s: StatusClass) => {
      const cur = filter.statusClass ?? [];
      const next = cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s].sort();
      set('statusClass', next.length ? next : undefined);
    };

    // A `since` that is no relative range came from a hand-edited or shared link: shown as such.
    const rangeValue = range ?? (filter.since ? 'custom' : '');

    return (
      <div className="filterbar" role="search">
        <FilterBox ref={ref} filter={filter} onChange={onChange} facets={facets} />
        <label title="Also search request and response bodies (slower)">
          <input
            type="checkbox"
            checked={!!filter.searchBodies}
            onChange={(e) => set('searchBodies', e.target.checked || undefined)}
          />
          bodies
        </label>
        <Facet
          label="Provider"
          value={filter.provider}
          facet={providers}
          onPick={(v) => set('provider', v as string[] | undefined)}
        />
        <Facet
          label="Model"
          value={filter.model}
          facet={models}
          onPick={(v) => set('model', v as string[] | undefined)}
        />
        <Facet label="Policy" value={filter.policy} facet={policies} onPick={(v) => set('policy', v)} />
        <div className="chips" role="group" aria-label="Status">
          {STATUS_CHIPS.map((c) => (
            <button
              key={c.value}
              className="chip"
              title={c.title}
              aria-pressed={!!filter.statusClass?.includes(c.value)}
              onClick={() => toggleStatus(c.value)}
            >
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
          value={rangeValue}
          className={rangeValue ? 'set' : undefined}
          onChange={(e) => {
            const key = RANGES.find((r) => r.key === e.target.value)?.key;
            if (key) onChange({ ...filter, since: sinceFor(key) }, key);
            else if (e.target.value === '') onChange(without(filter, 'since'), null);
          }}
        >
          <option value="">All time</option>
          {RANGES.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
          {rangeValue === 'custom' && (
            <option value="custom">Since {filter.since!.slice(0, 16).replace('T', ' ')} UTC</option>
          )}
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
