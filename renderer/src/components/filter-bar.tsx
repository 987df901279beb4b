import { forwardRef, memo, useCallback, useEffect, useMemo, useState } from 'react';
import { parseQuery, quoteValue, removePart, topLevelParts } from '../../../electron/core/contract/filter-query';
import {
  readSlot,
  readWordsInBodies,
  setTerm,
  wordsInBodies,
  type Slot,
  type SlotState,
  type SlotValues,
} from '../../../electron/core/contract/filter-slots';
import type { RequestFilter, StatsGroupBy } from '../../../electron/core/contract/model';
import { useClient, type SetFilter } from '../lib/hooks';
import { boxToFilter, FilterBox, isPlainText, remember, type Facets } from './filter-box';
import { isEmptyFilter, NO_POLICY, RELATIVE_RANGES, type RelativeRange } from '../model/filter-hash';

// The filter bar: the filter box, and shortcuts beside it (provider, model, policy, status, streamed,
// time range) that write their term into the box's text (filter-slots.ts) and show what the text
// says, so the text is the one filter: the URL, history, saved filters and exports all carry it.

interface Props {
  filter: RequestFilter;
  onChange: SetFilter;
}

const STATUS_CHIPS: { label: string; value: number; title: string }[] = [
  { label: '2xx', value: 2, title: 'Successful responses (status:2xx)' },
  { label: '4xx', value: 4, title: 'Client errors (status:4xx)' },
  { label: '5xx', value: 5, title: 'Server / upstream errors (status:5xx)' },
  { label: 'no status', value: 0, title: 'Aborted before a response status was sent (status:0xx)' },
];

const RANGE_LABELS: Record<RelativeRange, string> = {
  '15m': 'Last 15 min',
  '1h': 'Last hour',
  '24h': 'Last 24 h',
  '7d': 'Last 7 days',
};

/** The option a dropdown shows when its field is in the box in a shape it can't show as one value. */
const IN_BOX = '\u0000box';
/** The option for the empty value (a model the log could not tell): '' is "any". */
const EMPTY = '\u0000empty';

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

const SLOTS: Slot[] = ['provider', 'model', 'policy', 'status', 'streaming', 'since'];
type Slots = { [S in Slot]: SlotState<S> };

/** What the text says for each slot (text that does not parse says nothing). */
function readSlots(text: string): Slots {
  const ok = parseQuery(text).ok;
  return Object.fromEntries(SLOTS.map((s) => [s, ok ? readSlot(text, s) : { kind: 'unset' }])) as Slots;
}

const encode = (v: string | null) => (v === null ? NO_POLICY : v === '' ? EMPTY : v);
const decode = (v: string) => (v === NO_POLICY ? null : v === EMPTY ? '' : v);

function Facet({
  label,
  state,
  facet,
  disabled,
  onPick,
}: {
  label: string;
  state: SlotState<'provider' | 'model' | 'policy'>;
  facet: [(string | null)[], () => void];
  disabled: boolean;
  onPick: (v: string | null | undefined) => void;
}) {
  const [values, want] = facet;
  const value = state.kind === 'complex' ? IN_BOX : state.kind === 'set' ? encode(state.value) : '';
  const options = new Set(values.map(encode));
  if (state.kind === 'set') options.add(value);
  const shown = state.kind === 'set' ? (state.value ?? '(none)') : state.kind === 'complex' ? 'set in the box' : '';
  return (
    <select
      aria-label={label}
      title={shown ? `${label}: ${shown}` : label}
      value={value}
      className={value ? 'set' : undefined}
      disabled={disabled}
      onPointerDown={want}
      onFocus={want}
      onChange={(e) => onPick(e.target.value === '' ? undefined : decode(e.target.value))}
    >
      <option value="">Any {label.toLowerCase()}</option>
      {state.kind === 'complex' && (
        <option value={IN_BOX} disabled>
          {label}: in the box
        </option>
      )}
      {[...options].map((v) => (
        // The closed select shows only the chosen option: it names its field, or "openai" alone
        // could be a provider, a model or a policy.
        <option key={v} value={v}>
          {v === value ? `${label}: ` : ''}
          {v === EMPTY ? '(unknown)' : v}
        </option>
      ))}
    </select>
  );
}

export const FilterBar = memo(
  forwardRef<HTMLInputElement, Props>(function FilterBar({ filter, onChange }, ref) {
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

    // The text as typed; the filter gets it once it parses, 200 ms after the last key (each change
    // restarts the list query), or at once from a shortcut.
    const committed = filter.query ?? filter.text ?? '';
    const [text, setText] = useState(committed);
    // A filter set elsewhere (a link, Clear, Escape) replaces the text; its own commit keeps what was
    // typed (the space after the last term, say).
    useEffect(() => setText((cur) => (cur.trim() === committed ? cur : committed)), [committed]);
    const parsed = useMemo(() => parseQuery(text), [text]);
    useEffect(() => {
      if (!parsed.ok) return;
      const next = boxToFilter(filter, text);
      if (next.text === filter.text && next.query === filter.query) return;
      const t = window.setTimeout(() => {
        if (next.query) remember(next.query);
        onChange(next);
      }, 200);
      return () => window.clearTimeout(t);
    }, [text, parsed, filter, onChange]);
    const commit = (t: string) => {
      setText(t);
      const next = boxToFilter(filter, t);
      if (next.query) remember(next.query);
      onChange(next);
    };

    // The shortcuts read the text as typed; while it has a mistake they show the last good filter
    // and wait (writing into text that does not parse could only guess).
    const slots = useMemo(() => readSlots(parsed.ok ? text : committed), [parsed.ok, text, committed]);
    const locked = !parsed.ok;
    // Plain words are one phrase ("gpt 4o" is not gpt AND 4o): quoted once terms join them.
    const write = <S extends Slot>(slot: S, value: SlotValues[S] | undefined) =>
      commit(setTerm(text.trim() && isPlainText(text.trim()) ? quoteValue(text.trim()) : text, slot, value));

    const status = slots.status;
    const toggleStatus = (c: number) => {
      const cur = status.kind === 'set' ? status.value : [];
      write('status', cur.includes(c) ? cur.filter((x) => x !== c) : [...cur, c]);
    };
    const streaming = slots.streaming;
    const since = slots.since;
    const rangeValue = since.kind === 'complex' ? IN_BOX : since.kind === 'set' ? since.value : '';
    const parts = filter.query ? topLevelParts(filter.query) : [];
    // "bodies": plain words become `W OR body:W`, and back (filter-slots.ts).
    const inBodies = parsed.ok ? readWordsInBodies(text) : null;
    const plain = parsed.ok && !!text.trim() && isPlainText(text.trim());
    return (
      <div className="filterbar" role="search">
        <FilterBox
          ref={ref}
          text={text}
          onText={setText}
          onCommit={commit}
          error={parsed.ok ? null : parsed.error}
          facets={facets}
        />
        <label
          title={
            plain || inBodies !== null
              ? 'Also look for these words in request and response bodies (writes W OR body:W)'
              : text.trim()
                ? 'For plain words: with the filter language, body:"…" searches bodies'
                : 'Type words first, then tick to also look for them in bodies'
          }
        >
          <input
            type="checkbox"
            checked={inBodies !== null}
            disabled={!plain && inBodies === null}
            onChange={(e) => commit(e.target.checked ? wordsInBodies(text) : (inBodies ?? text))}
          />
          bodies
        </label>
        <Facet
          label="Provider"
          state={slots.provider}
          facet={providers}
          disabled={locked}
          onPick={(v) => write('provider', v ?? undefined)}
        />
        <Facet
          label="Model"
          state={slots.model}
          facet={models}
          disabled={locked}
          onPick={(v) => write('model', v ?? undefined)}
        />
        <Facet
          label="Policy"
          state={slots.policy}
          facet={policies}
          disabled={locked}
          onPick={(v) => write('policy', v)}
        />
        <div
          className={status.kind === 'complex' ? 'chips in-box' : 'chips'}
          role="group"
          aria-label="Status"
          title={status.kind === 'complex' ? 'Status is set in the box: a chip replaces it' : undefined}
        >
          {STATUS_CHIPS.map((c) => (
            <button
              key={c.value}
              className="chip"
              title={c.title}
              disabled={locked}
              aria-pressed={status.kind === 'set' && status.value.includes(c.value)}
              onClick={() => toggleStatus(c.value)}
            >
              {c.label}
            </button>
          ))}
        </div>
        <select
          aria-label="Streamed"
          value={streaming.kind === 'complex' ? IN_BOX : streaming.kind === 'set' ? (streaming.value ? '1' : '0') : ''}
          className={streaming.kind === 'unset' ? undefined : 'set'}
          disabled={locked}
          onChange={(e) => write('streaming', e.target.value === '' ? undefined : e.target.value === '1')}
        >
          <option value="">Stream: any</option>
          {streaming.kind === 'complex' && (
            <option value={IN_BOX} disabled>
              Streamed: in the box
            </option>
          )}
          <option value="1">Streamed</option>
          <option value="0">Not streamed</option>
        </select>
        <select
          aria-label="Time range"
          value={rangeValue}
          className={rangeValue ? 'set' : undefined}
          disabled={locked}
          onChange={(e) => write('since', e.target.value === '' ? undefined : e.target.value)}
        >
          <option value="">All time</option>
          {since.kind === 'complex' && (
            <option value={IN_BOX} disabled>
              Time: in the box
            </option>
          )}
          {RELATIVE_RANGES.map((r) => (
            <option key={r} value={r}>
              {RANGE_LABELS[r]}
            </option>
          ))}
          {since.kind === 'set' && !(RELATIVE_RANGES as readonly string[]).includes(since.value) && (
            <option value={since.value}>Since {since.value}</option>
          )}
        </select>
        {!isEmptyFilter(filter) && (
          <button className="link" title="Clear the filter" onClick={() => onChange({})}>
            Clear
          </button>
        )}
        {parts.length > 0 && (
          <div className="terms" role="group" aria-label="Filter terms">
            {parts.map((p) => {
              const label = filter.query!.slice(p.start, p.end);
              return (
                <button
                  key={`${p.start}:${label}`}
                  className="chip term"
                  title={`Remove ${label}`}
                  onClick={() => commit(removePart(filter.query!, p))}
                >
                  {label} <span aria-hidden="true">×</span>
                </button>
              );
            })}
          </div>
        )}
      </div>
    );
  }),
);
