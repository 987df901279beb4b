// The pieces of spend shown outside the Spend view: the stats bar's figure and the budget banners.
// Small and loaded with the first screen; the Spend view itself loads when opened.
import { useState } from 'react';
import type { BudgetStatus, Projection, SpendSummary } from '../../../electron/core/contract/spend';
import { formatCost, formatPercent } from '../lib/format';

/** "$1.20 (90 %: $1.05–$1.41)", or just the expected value while the spread is unknown. */
export function formatProjection(p: Projection): string {
  if (p.low === null || p.high === null) return `≈${formatCost(p.expected)}`;
  return `≈${formatCost(p.expected)} (90 %: ${formatCost(p.low)}–${formatCost(p.high)})`;
}

export function formatRate(perHour: number): string {
  return `${formatCost(perHour)}/h`;
}

export function budgetScope(b: Pick<BudgetStatus, 'provider' | 'policy'>): string {
  const parts = [b.provider && `provider ${b.provider}`, b.policy && `policy ${b.policy}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'all requests';
}

/** Today's spend, the rate and where today is heading, for the stats bar. */
export function SpendStat({ spend, onOpen }: { spend: SpendSummary | null; onOpen?: () => void }) {
  if (!spend) return null;
  const { today, month, rate } = spend;
  const title = [
    `Today: ${formatCost(today.cost)} over ${today.requests} requests`,
    `Projected by midnight: ${formatProjection(today.projection)}`,
    `This month: ${formatCost(month.cost)}; projected by its end: ${formatProjection(month.projection)}`,
    `Rate: ${formatRate(rate.perHour)} over the last ${rate.hours.toFixed(1)} h`,
    today.costUnknown > 0 ? `${today.costUnknown} requests of unknown price are not included` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <button className="stat stat-button" title={title} onClick={onOpen} data-testid="spend-stat">
      <span className="k">Spend today</span>
      <span className="v">
        {formatCost(today.cost)} · {formatRate(rate.perHour)} · ≈{formatCost(today.projection.expected)} by midnight
      </span>
    </button>
  );
}

const dismissedKey = (b: BudgetStatus) => `${b.name}\u0000${b.periodStart}\u0000${b.threshold}`;

/**
 * One banner per budget past 50 % this period. Dismissing hides it until the budget reaches its
 * next threshold (or the next period); the hard cap's banner says what it refuses.
 */
export function BudgetBanners({ spend, onOpen }: { spend: SpendSummary | null; onOpen?: () => void }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  if (!spend) return null;
  const shown = spend.budgets.filter((b) => b.threshold > 0 && !dismissed.has(dismissedKey(b)));
  return (
    <>
      {shown.map((b) => {
        const period = b.period === 'day' ? 'today' : 'this month';
        const until = b.period === 'day' ? 'midnight' : 'the end of the month';
        const text = b.blocked
          ? `Budget "${b.name}" is used up: ${formatCost(b.spent)} of ${formatCost(b.amountUsd)} ${period}. ` +
            `Its hard cap answers new requests (${budgetScope(b)}) with HTTP 429 until ${until}.`
          : `Budget "${b.name}" has reached ${formatPercent(b.fraction)}: ${formatCost(b.spent)} of ` +
            `${formatCost(b.amountUsd)} ${period} (${budgetScope(b)}); projected ${formatProjection(b.projection)}.`;
        return (
          <div
            key={b.name}
            className={`banner ${b.threshold >= 100 ? 'error' : 'warn'}`}
            role="alert"
            data-testid="budget-banner"
          >
            <span>{text}</span>
            <span className="spacer" />
            {onOpen && (
              <button className="link" onClick={onOpen}>
                Open Spend
              </button>
            )}
            <button onClick={() => setDismissed(new Set([...dismissed, dismissedKey(b)]))}>Dismiss</button>
          </div>
        );
      })}
    </>
  );
}
