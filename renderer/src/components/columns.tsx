import type { ReactNode } from 'react';
import type { RequestRow } from '../../../electron/core/storage/types';
import { formatCost, formatMs, formatStatus, formatTime, formatTokens, UNKNOWN } from '../lib/format';
import type { InflightRow } from '../model/list-model';

// Column definitions of the request list: one place for header, width and cell rendering.
// In-flight rows have no outcome yet, so their cells show progress instead.

export interface Column {
  id: string;
  title: string;
  width: string;
  num?: boolean;
  row: (r: RequestRow) => ReactNode;
  inflight: (r: InflightRow) => ReactNode;
}

const path = (method: string, p: string) => (
  <>
    <span className="method">{method}</span>
    <span className="path">{p}</span>
  </>
);

export const COLUMNS: Column[] = [
  { id: 'time', title: 'Time', width: '96px', row: (r) => <span className="mono">{formatTime(r.timestamp)}</span>, inflight: (r) => <span className="mono">{formatTime(r.timestamp)}</span> },
  { id: 'path', title: 'Request', width: 'minmax(180px, 2fr)', row: (r) => path(r.method, r.path), inflight: (r) => path(r.method, r.path) },
  { id: 'provider', title: 'Provider', width: 'minmax(70px, .6fr)', row: (r) => r.provider, inflight: (r) => r.provider },
  { id: 'model', title: 'Model', width: 'minmax(110px, 1.2fr)', row: (r) => r.model || <span className="faint">{UNKNOWN}</span>, inflight: (r) => r.model || <span className="faint">{UNKNOWN}</span> },
  { id: 'policy', title: 'Policy', width: 'minmax(60px, .6fr)', row: (r) => r.policy ?? <span className="faint">{UNKNOWN}</span>, inflight: (r) => r.policy ?? <span className="faint">{UNKNOWN}</span> },
  {
    id: 'status', title: 'Status', width: '58px', num: true,
    row: (r) => <span className="status" title={r.errorMessage ?? undefined}>{formatStatus(r.status, r.success)}</span>,
    inflight: () => <span className="badge live pulse">live</span>,
  },
  { id: 'stream', title: 'SSE', width: '30px', row: (r) => (r.streaming ? <span className="badge">SSE</span> : null), inflight: (r) => (r.streaming ? <span className="badge live">SSE</span> : null) },
  {
    id: 'in', title: 'In', width: '62px', num: true,
    row: (r) => <span title={r.tokensEstimated ? 'estimated' : undefined}>{formatTokens(r.inputTokens, r.tokensEstimated)}</span>,
    inflight: () => <span className="faint">…</span>,
  },
  {
    id: 'out', title: 'Out', width: '62px', num: true,
    row: (r) => <span title={r.tokensEstimated ? 'estimated' : undefined}>{formatTokens(r.outputTokens, r.tokensEstimated)}</span>,
    inflight: (r) => <span className="pulse">{r.outputTokens == null ? '…' : formatTokens(r.outputTokens)}</span>,
  },
  { id: 'cost', title: 'Cost', width: '72px', num: true, row: (r) => formatCost(r.cost), inflight: () => <span className="faint">…</span> },
  { id: 'latency', title: 'Latency', width: '64px', num: true, row: (r) => formatMs(r.latencyMs), inflight: () => <span className="faint">…</span> },
  { id: 'ttfb', title: 'TTFB', width: '58px', num: true, row: (r) => formatMs(r.ttfbMs), inflight: () => <span className="faint">…</span> },
];

/** With the detail pane open the list has about half the width: keep what identifies a row. */
const COMPACT = new Set(['time', 'path', 'model', 'status', 'cost', 'latency']);

export function columnsFor(compact: boolean): { columns: Column[]; template: string } {
  const columns = compact ? COLUMNS.filter((c) => COMPACT.has(c.id)) : COLUMNS;
  return { columns, template: columns.map((c) => c.width).join(' ') };
}
