// Small pieces of the token ratios table: a (policy, model)'s output-token histogram on a log scale,
// and how well its p90 has held.
import type { TokenDistribution } from '../../../electron/core/contract/estimate';
import { formatInt } from '../lib/format';

const W = 120;
const H = 22;
const COLUMNS = 24;

/**
 * The stored histogram's bins (1 % apart) gathered into COLUMNS columns equally wide in log(tokens)
 * between the smallest and largest value, so one glance shows where outputs fall and how far they spread.
 */
export function MiniHistogram({ d }: { d: TokenDistribution }) {
  const bins = d.outputBins;
  if (bins.length === 0) return null;
  const lo = Math.log(bins[0]![0]);
  const hi = Math.log(bins[bins.length - 1]![0]);
  const span = Math.max(hi - lo, 1e-9);
  const cols = new Array<number>(COLUMNS).fill(0);
  for (const [v, n] of bins) cols[Math.min(COLUMNS - 1, Math.floor(((Math.log(v) - lo) / span) * COLUMNS))]! += n;
  const max = Math.max(...cols);
  const bw = W / COLUMNS;
  // Where p50 and p90 fall on the same axis.
  const at = (v: number) => (hi === lo ? W / 2 : ((Math.log(v) - lo) / span) * W);
  return (
    <svg
      className="mini-hist"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`output tokens from ${Math.round(bins[0]![0])} to ${Math.round(bins[bins.length - 1]![0])}`}
    >
      <title>
        {`output tokens ` +
          `${Math.round(bins[0]![0])}–${Math.round(bins[bins.length - 1]![0])} (log scale); lines at p50 and p90`}
      </title>
      {cols.map((n, i) =>
        n === 0 ? null : (
          <rect key={i} x={i * bw + 0.5} width={bw - 1} y={H - (n / max) * (H - 2)} height={(n / max) * (H - 2)} />
        ),
      )}
      <line className="p50" x1={at(d.output.p50)} x2={at(d.output.p50)} y1={0} y2={H} />
      <line className="p90" x1={at(d.output.p90)} x2={at(d.output.p90)} y1={0} y2={H} />
    </svg>
  );
}

/** "88 % of 100": the share of the newest requests that came in under the p90 estimated before them. */
export function Calibration({ c }: { c: TokenDistribution['calibration'] }) {
  if (c.window === 0 || c.underP90 === null)
    return (
      <span className="faint" title="Too few requests before the newest ones to estimate them from">
        —
      </span>
    );
  const share = c.underP90 / c.window;
  // 90 % is the target; ±10 points over a window of 100 is within what chance gives a good estimate.
  const cls = Math.abs(share - 0.9) <= 0.1 ? 'ok' : 'warn';
  return (
    <span
      className={`calibration ${cls}`}
      title={
        `${c.underP90} of the newest ${c.window} requests used no more output ` +
        `tokens than the p90 estimated from the requests before them (target: 90 %)`
      }
    >
      {Math.round(share * 100)} % <span className="faint">of {formatInt(c.window)}</span>
    </span>
  );
}
