import { useEffect, useMemo, useState } from 'react';
import uPlot from 'uplot';
import type { TokenRatio } from '../../../electron/core/contract/types';
import { formatInt, formatRatio, formatTime, UNKNOWN } from '../lib/format';
import { errorMessage, useClient, useLiveQuery, useTokenRatios } from '../lib/hooks';
import type { TokenDistribution } from '../../../electron/core/contract/estimate';
import { Calibration, MiniHistogram } from './distribution-cells';
import { useColorScheme } from '../lib/css-var';
import { cssVar, UplotChart } from './uplot-chart';

const keyOf = (r: TokenRatio) => `${r.policy ?? ''}\u0000${r.model}`;
const SAMPLE = 1000;
const BINS = 24;

/** Histogram of output/input over the newest successful requests of one (policy, model). */
function useDistribution(r: TokenRatio | null): { data: uPlot.AlignedData | null; n: number; error: string | null } {
  const client = useClient();
  const [state, setState] = useState<{ data: uPlot.AlignedData | null; n: number; error: string | null }>({
    data: null,
    n: 0,
    error: null,
  });
  const key = r ? `${keyOf(r)}\u0000${r.sampleCount}` : null;
  useEffect(() => {
    if (!r) return;
    let live = true;
    client
      .listRequests({ filter: { model: [r.model], policy: [r.policy], success: true }, cursor: null, limit: SAMPLE })
      .then((page) => {
        const ratios = page.rows
          .filter((x) => (x.inputTokens ?? 0) > 0 && x.outputTokens != null)
          .map((x) => x.outputTokens! / x.inputTokens!);
        if (!live) return;
        if (ratios.length === 0) return setState({ data: null, n: 0, error: null });
        let lo = Math.min(...ratios);
        let hi = Math.max(...ratios);
        if (hi === lo) {
          // One value (a fixed prompt often yields it): a ±10% window around it, so the axis
          // shows that value instead of a default unit range that squeezes it into the first bin.
          const pad = Math.max(Math.abs(lo) * 0.1, 0.01);
          lo -= pad;
          hi += pad;
        }
        const width = (hi - lo) / BINS;
        const counts = new Array<number>(BINS).fill(0);
        for (const x of ratios) counts[Math.min(BINS - 1, Math.floor((x - lo) / width))]!++;
        setState({ data: [counts.map((_, i) => lo + (i + 0.5) * width), counts], n: ratios.length, error: null });
      })
      .catch((e: unknown) => live && setState({ data: null, n: 0, error: errorMessage(e) }));
    return () => {
      live = false;
    };
    // `key` captures everything about `r` that changes the sample.
  }, [client, key]);
  return state;
}

function RangeBar({ r, max }: { r: TokenRatio; max: number }) {
  const pct = (x: number) => `${Math.min(100, (x / max) * 100)}%`;
  return (
    <div
      className="range"
      title={`min ${formatRatio(r.minRatio)} · avg ${formatRatio(r.avgRatio)} · max ${formatRatio(r.maxRatio)}`}
    >
      <div className="span" style={{ left: pct(r.minRatio), width: `calc(${pct(r.maxRatio)} - ${pct(r.minRatio)})` }} />
      <div className="avg" style={{ left: pct(r.avgRatio) }} />
    </div>
  );
}

function DistributionCells({ d }: { d: TokenDistribution | undefined }) {
  if (!d)
    return (
      <>
        <td className="num faint">{UNKNOWN}</td>
        <td />
        <td className="num faint">{UNKNOWN}</td>
      </>
    );
  const q = d.output;
  return (
    <>
      <td className="num">
        {formatInt(Math.round(q.p50))} / {formatInt(Math.round(q.p90))} / {formatInt(Math.round(q.p99))}
      </td>
      <td>
        <MiniHistogram d={d} />
      </td>
      <td className="num">
        <Calibration c={d.calibration} />
      </td>
    </>
  );
}

/** Output tokens per input-size band: where input size changes the answer, the estimate uses its band. */
function Bands({ d }: { d: TokenDistribution | undefined }) {
  if (!d || d.bands.length === 0) return null;
  return (
    <>
      <div className="section-title">Output tokens by input size</div>
      <table className="table bands" aria-label="Output tokens by input size">
        <thead>
          <tr>
            <th>Input tokens</th>
            <th className="num">Samples</th>
            <th className="num">p50</th>
            <th className="num">p90</th>
            <th className="num">p99</th>
          </tr>
        </thead>
        <tbody>
          {d.bands.map((b) => (
            <tr key={b.lo}>
              <td className="mono">
                {formatInt(b.lo)}–{b.hi === null ? '' : formatInt(b.hi - 1)}
              </td>
              <td className="num">{formatInt(b.sampleCount)}</td>
              <td className="num">{formatInt(Math.round(b.output.p50))}</td>
              <td className="num">{formatInt(Math.round(b.output.p90))}</td>
              <td className="num">{formatInt(Math.round(b.output.p99))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** `readOnly`: a database opened for browsing, whose ratios are shown as stored and never rebuilt. */
export function RatiosPage({ readOnly = false }: { readOnly?: boolean } = {}) {
  const client = useClient();
  const { data, error, reload } = useTokenRatios();
  const [selected, setSelected] = useState<string | null>(null);
  const [rebuilding, setRebuilding] = useState<string | null>(null);
  const ratios = useMemo(() => [...(data ?? [])].sort((a, b) => b.sampleCount - a.sampleCount), [data]);
  const dists = useLiveQuery<TokenDistribution[]>(() => client.getTokenDistributions(), [client], 1000);
  const distOf = useMemo(() => {
    const m = new Map<string, TokenDistribution>();
    for (const d of dists.data ?? []) m.set(`${d.policy ?? ''}\u0000${d.model}`, d);
    return m;
  }, [dists.data]);
  const current = ratios.find((r) => keyOf(r) === selected) ?? ratios[0] ?? null;
  const dist = useDistribution(current);
  // One outlier shouldn't flatten every other bar: the scale stops at three times the largest average.
  const max = Math.max(1e-9, ...ratios.map((r) => Math.min(r.maxRatio, 3 * r.avgRatio)));
  const scheme = useColorScheme();
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      // x values are bin centres: widen the range by half a bin each side, or uPlot cuts the first
      // and last bars in half at the plot's edges.
      scales: {
        x: {
          time: false,
          range: (u) => {
            const xs = u.data[0];
            const half = xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 0.5;
            return [xs[0]! - half, xs[xs.length - 1]! + half];
          },
        },
      },
      axes: [
        { label: 'output / input tokens', stroke: cssVar('--fg-2'), grid: { stroke: cssVar('--line') } },
        // Counts: whole-number ticks only (uPlot's default steps put "0.5 requests" on a short axis).
        {
          label: 'requests',
          stroke: cssVar('--fg-2'),
          grid: { stroke: cssVar('--line') },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000],
        },
      ],
      series: [
        {},
        {
          label: 'requests',
          stroke: cssVar('--accent'),
          fill: cssVar('--accent-bg'),
          width: 1,
          paths: uPlot.paths.bars?.({ size: [0.9, 60] }),
          points: { show: false },
        },
      ],
    }),
    // The colours cssVar reads change with the scheme.
    [scheme],
  );

  const rebuild = () => {
    setRebuilding('Rebuilding…');
    client.rebuildTokenRatios().then(
      () => {
        setRebuilding(null);
        reload();
      },
      (e: unknown) => setRebuilding(`Rebuild failed: ${errorMessage(e)}`),
    );
  };

  return (
    <div className="page" data-testid="ratios">
      <div className="section-title">
        Token ratios — output tokens per input token, learned from successful requests
        <span className="spacer" />
        {rebuilding && <span className={rebuilding.startsWith('Rebuild failed') ? 'err' : 'muted'}>{rebuilding}</span>}
        {!readOnly && (
          <button
            onClick={rebuild}
            disabled={rebuilding === 'Rebuilding…'}
            title="Recompute every ratio from the logged requests"
          >
            Rebuild
          </button>
        )}
      </div>
      {error && <div className="error-box">{error}</div>}
      {dists.error && <div className="error-box">{dists.error}</div>}
      {ratios.length === 0 ? (
        <div className="faint">
          {data
            ? 'No ratios yet: they appear after the first successful request that reports both token counts.'
            : 'Loading…'}
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Token ratios">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Model</th>
                <th className="num">Samples</th>
                <th className="num" title="Output tokens at the 50th, 90th and 99th percentile (within 1 %)">
                  Output p50 / p90 / p99
                </th>
                <th>Output tokens</th>
                <th
                  className="num"
                  title={
                    'Share of the newest requests that used no more ' +
                    'output tokens than the p90 estimated before them'
                  }
                >
                  Under p90
                </th>
                <th className="num">Avg ratio</th>
                <th className="num">Std dev</th>
                <th className="num">Min</th>
                <th className="num">Max</th>
                <th>Range</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {ratios.map((r) => (
                <tr
                  key={keyOf(r)}
                  className="clickable"
                  aria-selected={current === r}
                  onClick={() => setSelected(keyOf(r))}
                >
                  <td>{r.policy ?? <span className="faint">{UNKNOWN}</span>}</td>
                  <td>{r.model || <span className="faint">(unknown)</span>}</td>
                  <td className="num">{formatInt(r.sampleCount)}</td>
                  <DistributionCells d={distOf.get(keyOf(r))} />
                  <td className="num">
                    <strong>{formatRatio(r.avgRatio)}</strong>
                  </td>
                  <td className="num">{formatRatio(r.stddevRatio)}</td>
                  <td className="num">{formatRatio(r.minRatio)}</td>
                  <td className="num">{formatRatio(r.maxRatio)}</td>
                  <td>
                    <RangeBar r={r} max={max} />
                  </td>
                  <td className="mono faint">{formatTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && (
        <>
          <div className="section-title">
            {`Distribution — ${current.policy ?? 'no policy'} · ${current.model || '(unknown)'} · `}
            {`newest ${formatInt(dist.n)} requests`}
          </div>
          {dist.error ? (
            <div className="error-box">{dist.error}</div>
          ) : dist.data ? (
            <UplotChart data={dist.data} options={options} height={200} label="Distribution of output/input ratios" />
          ) : (
            <div className="faint">No samples.</div>
          )}
          <Bands d={distOf.get(keyOf(current))} />
        </>
      )}
    </div>
  );
}
