import { lazy, memo, Suspense, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useThrottled } from '../lib/hooks';
import type uPlot from 'uplot';
import type { RequestRow, Stats } from '../../../electron/core/contract/model';
import { formatCost, formatInt, formatMs, formatPercent } from '../lib/format';
import type { ListModel } from '../model/list-model';
import { cssVar, useColorScheme } from '../lib/css-var';
import type { SpendSummary } from '../../../electron/core/contract/spend';
import { SpendStat } from './spend-parts';

// The sparkline (and uPlot with it) loads after the first rows: it is not what the user waits for.
const UplotChart = lazy(() => import('./uplot-chart').then((m) => ({ default: m.UplotChart })));

function Stat({ k, v, title, className }: { k: string; v: string; title?: string; className?: string }) {
  return (
    <div className="stat" title={title}>
      <span className="k">{k}</span>
      <span className={`v ${className ?? ''}`}>{v}</span>
    </div>
  );
}

const CHART_ROWS = 300;

/** Latency of the first rows of the list (the newest, in time order), oldest to newest, for the small chart. */
function recentLatency(model: ListModel): uPlot.AlignedData {
  const rows: RequestRow[] = [];
  for (let i = 0; i < model.count && rows.length < CHART_ROWS; i++) {
    const it = model.item(i);
    if (it.kind === 'row') rows.push(it.row);
    else if (it.kind === 'loading') break;
  }
  // Oldest to newest whatever the list's order: uPlot needs its x values ascending.
  rows.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id - b.id));
  return [rows.map((r) => Date.parse(r.timestamp) / 1000), rows.map((r) => r.latencyMs)];
}

/** Totals for the current filter (server-side, over every matching row) and a latency sparkline. */
export const StatsStrip = memo(function StatsStrip({
  stats,
  error,
  model,
  spend = null,
  onOpenSpend,
}: {
  stats: Stats | null;
  error: string | null;
  model: ListModel;
  /** The live log's spend today (not the filter's): absent for a database opened read-only. */
  spend?: SpendSummary | null;
  onOpenSpend?: () => void;
}) {
  const version = useSyncExternalStore(model.subscribe, model.getVersion);
  // Redrawing the chart every frame under live traffic is wasted work: once a second is plenty.
  // A throttle, not a debounce: restarting a 1 s timer on every change (as this once did) never
  // fired while batches kept arriving, and the chart stood still (or empty) under steady traffic.
  const [tick, setTick] = useState(0);
  const redraw = useThrottled(() => setTick((n) => n + 1), 1000);
  useEffect(() => redraw(), [version, redraw]);
  const series = useMemo(() => recentLatency(model), [model, tick]);
  const scheme = useColorScheme();
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true } },
      series: [{}, { stroke: cssVar('--accent'), width: 1, points: { show: false }, spanGaps: true }],
      padding: [4, 0, 4, 0],
    }),
    // The colours cssVar reads change with the scheme.
    [scheme],
  );
  const t = stats?.total;
  return (
    <div className="stats" data-testid="stats">
      {error && !t ? (
        <div className="stat err">Stats unavailable: {error}</div>
      ) : (
        <>
          <Stat k="Requests" v={formatInt(t?.requests)} />
          <Stat
            k="Errors"
            v={t ? formatPercent(t.errorRate) : '—'}
            className={t && t.errors > 0 ? 'err' : ''}
            title={t ? `${formatInt(t.errors)} failed` : undefined}
          />
          <Stat k="Tokens in / out" v={t ? `${formatInt(t.inputTokens)} / ${formatInt(t.outputTokens)}` : '—'} />
          <Stat
            k="Cost"
            v={
              t
                ? t.requests > 0 && t.costUnknown === t.requests
                  ? '—'
                  : formatCost(t.cost) + (t.costUnknown > 0 ? ' +?' : '')
                : '—'
            }
            title={
              t && t.costUnknown > 0
                ? `${formatInt(t.costUnknown)} requests with unknown price are not included`
                : undefined
            }
          />
          <Stat k="p50 / p95" v={t ? `${formatMs(t.latencyP50)} / ${formatMs(t.latencyP95)}` : '—'} />
          <SpendStat spend={spend} onOpen={onOpenSpend} />
          <div className="stat-chart" title={`Latency of the newest ${CHART_ROWS} requests shown`}>
            {/* A bare line says nothing about what it plots. */}
            <span className="chart-label" aria-hidden="true">
              latency, newest {CHART_ROWS}
            </span>
            <Suspense fallback={null}>
              <UplotChart data={series} options={options} height={38} label="Latency of recent requests" />
            </Suspense>
          </div>
        </>
      )}
    </div>
  );
});
