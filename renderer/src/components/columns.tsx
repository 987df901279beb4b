import type { ReactNode } from 'react';
import type { ListSort, RequestRow, SortColumn } from '../../../electron/core/contract/model';
import { formatCost, formatListTime, formatMs, formatStatus, formatTime, formatTokens, UNKNOWN } from '../lib/format';
import { liveOutputTokens } from '../lib/live-tokens';
import type { InflightRow } from '../model/list-model';

// Column definitions of the request list: one place for header, width and cell rendering.
// In-flight rows have no outcome yet, so their cells show progress instead.

export interface Column {
  id: string;
  title: string;
  width: string;
  num?: boolean;
  /** The order a click on the header asks for. */
  sort: SortColumn;
  /** Extra class of the cell element (its content is often bare text: one element less per cell). */
  cls?: string;
  row: (r: RequestRow) => ReactNode;
  /** The cell's tooltip, set on the cell itself rather than on a span inside it. */
  hint?: (r: RequestRow) => string | undefined;
  inflight: (r: InflightRow) => ReactNode;
}

const path = (method: string, p: string) => (
  <>
    <span className="method">{method}</span>
    {p}
  </>
);

export const COLUMNS: Column[] = [
  // Every visible row is laid out again whenever rows arrive on top, so cells are bare text where they can be.
  // Tabular figures in the row's own font: a monospace cell sat 1 px off the other cells' baseline.
  {
    id: 'time',
    sort: 'time',
    title: 'Time',
    width: '116px',
    cls: 'tabnum',
    row: (r) => formatListTime(r.timestamp),
    hint: (r) => formatTime(r.timestamp),
    inflight: (r) => formatListTime(r.timestamp),
  },
  {
    id: 'path',
    sort: 'path',
    title: 'Request',
    width: 'minmax(180px, 2fr)',
    row: (r) => path(r.method, r.path),
    inflight: (r) => path(r.method, r.path),
  },
  {
    id: 'provider',
    sort: 'provider',
    title: 'Provider',
    width: 'minmax(70px, .6fr)',
    row: (r) => r.provider,
    inflight: (r) => r.provider,
  },
  {
    id: 'model',
    sort: 'model',
    title: 'Model',
    width: 'minmax(110px, 1.2fr)',
    row: (r) => r.model || <span className="faint">{UNKNOWN}</span>,
    inflight: (r) => r.model || <span className="faint">{UNKNOWN}</span>,
  },
  {
    id: 'policy',
    sort: 'policy',
    title: 'Policy',
    width: 'minmax(60px, .6fr)',
    row: (r) => r.policy ?? <span className="faint">{UNKNOWN}</span>,
    inflight: (r) => r.policy ?? <span className="faint">{UNKNOWN}</span>,
  },
  {
    id: 'status',
    sort: 'status',
    title: 'Status',
    width: '58px',
    num: true,
    row: (r) => formatStatus(r.status, r.success),
    hint: (r) => r.errorMessage ?? undefined,
    // No pulsing here: with 200 requests a second, dozens of animated badges each became a
    // compositor layer and re-layerizing them dominated every frame.
    // Finished but not in the log yet: a moment, or as long as the log can't be written.
    inflight: (r) =>
      r.finished ? (
        <span className="badge" title="The response is complete; the request waits to be logged">
          logging…
        </span>
      ) : (
        <span className="badge live">live</span>
      ),
  },
  {
    id: 'stream',
    sort: 'streaming',
    title: 'SSE',
    width: '30px',
    row: (r) => (r.streaming ? <span className="badge">SSE</span> : null),
    inflight: (r) => (r.streaming ? <span className="badge live">SSE</span> : null),
  },
  {
    id: 'in',
    sort: 'inputTokens',
    title: 'In',
    width: '62px',
    num: true,
    row: (r) => formatTokens(r.inputTokens, r.tokensEstimated),
    hint: (r) => (r.tokensEstimated ? 'estimated' : undefined),
    inflight: () => <span className="faint">…</span>,
  },
  {
    id: 'out',
    sort: 'outputTokens',
    title: 'Out',
    width: '62px',
    num: true,
    row: (r) => formatTokens(r.outputTokens, r.tokensEstimated),
    hint: (r) => (r.tokensEstimated ? 'estimated' : undefined),
    inflight: (r) => {
      const t = liveOutputTokens(r.outputTokens, r.text);
      return (
        <span className="live-count" title={t.estimated ? 'estimated from the text so far' : undefined}>
          {t.count == null ? '…' : formatTokens(t.count, t.estimated)}
        </span>
      );
    },
  },
  {
    id: 'cost',
    sort: 'cost',
    title: 'Cost',
    width: '72px',
    num: true,
    row: (r) => formatCost(r.cost, r.tokensEstimated),
    hint: (r) => (r.tokensEstimated && r.cost != null ? 'priced from estimated token counts' : undefined),
    inflight: () => <span className="faint">…</span>,
  },
  {
    id: 'latency',
    sort: 'latency',
    title: 'Latency',
    width: '64px',
    num: true,
    row: (r) => formatMs(r.latencyMs),
    inflight: () => <span className="faint">…</span>,
  },
  {
    id: 'ttfb',
    sort: 'ttfb',
    title: 'TTFB',
    width: '58px',
    num: true,
    row: (r) => formatMs(r.ttfbMs),
    inflight: () => <span className="faint">…</span>,
  },
];

const TEXT_SORTS = new Set<SortColumn>(['path', 'provider', 'model', 'policy']);

/**
 * A click on a header: the other direction of the current order, else A→Z for names and largest first for
 * numbers and time.
 */
export function nextSort(current: ListSort, column: SortColumn): ListSort {
  if (current.column === column) return { column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { column, dir: TEXT_SORTS.has(column) ? 'asc' : 'desc' };
}

/** With the detail pane open the list has about half the width: keep what identifies a row. */
const COMPACT = new Set(['time', 'path', 'model', 'status', 'cost', 'latency']);

const byId = new Map(COLUMNS.map((c) => [c.id, c]));

/** The user's choice of columns, in their order; unknown ids (from an older version) are dropped. */
export function columnsFor(compact: boolean, visible: readonly string[]): { columns: Column[]; template: string } {
  let columns = visible.map((id) => byId.get(id)).filter((c): c is Column => c !== undefined);
  if (columns.length === 0) columns = COLUMNS;
  if (compact) columns = columns.filter((c) => COMPACT.has(c.id));
  return { columns, template: columns.map((c) => c.width).join(' ') };
}

const STORAGE_KEY = 'inspector.columns';

export function loadColumnPrefs(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.filter((id) => byId.has(id));
  } catch {
    // unreadable prefs: fall back to the defaults
  }
  return COLUMNS.map((c) => c.id);
}

export function saveColumnPrefs(ids: string[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    // storage full or disabled: the choice lasts for this session only
  }
}
