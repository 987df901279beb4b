// The Spend view: today and this month with where they are heading, the rate, every budget, the
// last 30 days, and what the spend went to (provider, model, policy). Everything comes from the
// one summary the core pushes (useSpend); nothing here asks on a timer.
import { useState } from 'react';
import type { SpendCell, SpendPeriod, SpendSummary } from '../../../electron/core/contract/spend';
import { formatCost, formatInt, formatPercent, UNKNOWN } from '../lib/format';
import { budgetScope, formatProjection, formatRate } from './spend-parts';

function PeriodCard({ title, until, p }: { title: string; until: string; p: SpendPeriod }) {
  return (
    <div className="spend-card">
      <div className="k">{title}</div>
      <div className="big">{formatCost(p.cost)}</div>
      <div className="faint">
        {formatInt(p.requests)} requests
        {p.costUnknown > 0 && ` · ${formatInt(p.costUnknown)} of unknown price not counted`}
      </div>
      <div className="projection" data-testid={`projection-${title.toLowerCase().replace(/ /g, '-')}`}>
        Projected by {until}: <strong>{formatProjection(p.projection)}</strong>
      </div>
    </div>
  );
}

function Breakdown({ title, cells, total }: { title: string; cells: SpendCell[]; total: number }) {
  return (
    <div className="spend-breakdown">
      <table className="table" aria-label={`Spend by ${title.toLowerCase()}`}>
        <thead>
          <tr>
            <th>{title}</th>
            <th className="num">Cost</th>
            <th className="num">Requests</th>
            <th className="share-col">Share</th>
          </tr>
        </thead>
        <tbody>
          {cells.length === 0 && (
            <tr>
              <td colSpan={4} className="faint">
                No requests.
              </td>
            </tr>
          )}
          {cells.map((c) => (
            <tr key={c.key ?? '\u0000'}>
              <td>{c.key ?? <span className="faint">{title === 'Policy' ? 'no policy' : UNKNOWN}</span>}</td>
              <td className="num">{formatCost(c.cost)}</td>
              <td className="num">{formatInt(c.requests)}</td>
              <td className="share-col">
                <div className="share" title={formatPercent(total > 0 ? c.cost / total : 0)}>
                  <div style={{ width: `${total > 0 ? (c.cost / total) * 100 : 0}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Days({ days }: { days: SpendSummary['days'] }) {
  const max = Math.max(1e-9, ...days.map((d) => d.cost));
  return (
    <div className="spend-days" role="img" aria-label="Spend per day, the last 30 days">
      {days.map((d, i) => (
        <div key={d.day} className="day" title={`${d.day}: ${formatCost(d.cost)} · ${formatInt(d.requests)} requests`}>
          <div className={i === days.length - 1 ? 'bar today' : 'bar'} style={{ height: `${(d.cost / max) * 100}%` }} />
          <div className="label">{i % 5 === days.length % 5 || i === days.length - 1 ? d.day.slice(5) : ''}</div>
        </div>
      ))}
    </div>
  );
}

export function SpendPage({ spend }: { spend: SpendSummary | null }) {
  const [range, setRange] = useState<'today' | 'month'>('today');
  if (!spend) {
    return (
      <div className="page" data-testid="spend">
        <span className="faint">Loading…</span>
      </div>
    );
  }
  const p = range === 'today' ? spend.today : spend.month;
  return (
    <div className="page" data-testid="spend">
      <div className="section-title">
        Spend — from the log, over requests whose price is known (local time)
        <span className="spacer" />
        <span className="faint">as of {new Date(spend.asOf).toLocaleTimeString()}</span>
      </div>
      <div className="spend-cards">
        <PeriodCard title="Today" until="midnight" p={spend.today} />
        <PeriodCard title="This month" until="the end of the month" p={spend.month} />
        <div className="spend-card">
          <div className="k">Current rate</div>
          <div className="big" data-testid="spend-rate">
            {formatRate(spend.rate.perHour)}
          </div>
          <div className="faint">
            mean over the last {spend.rate.hours.toFixed(1)} h; projections add it for the hours left, with a 90 %
            interval from how much hourly spend varied
          </div>
        </div>
      </div>

      <div className="section-title">Budgets</div>
      {spend.budgets.length === 0 ? (
        <div className="faint">
          No budgets. Add them in Settings ▸ Budgets (per day or month, overall, per provider or policy).
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Budgets">
            <thead>
              <tr>
                <th>Budget</th>
                <th>Scope</th>
                <th className="num">Spent</th>
                <th className="num">Budget</th>
                <th className="share-col">Used</th>
                <th>Projected at the period's end</th>
                <th>Hard cap</th>
              </tr>
            </thead>
            <tbody>
              {spend.budgets.map((b) => (
                <tr key={b.name} data-testid="budget-row">
                  <td>{b.name}</td>
                  <td>
                    {budgetScope(b)} · per {b.period}
                  </td>
                  <td className="num">{formatCost(b.spent)}</td>
                  <td className="num">{formatCost(b.amountUsd)}</td>
                  <td className="share-col">
                    <div
                      className={`share ${b.threshold >= 100 ? 'over' : b.threshold >= 80 ? 'near' : ''}`}
                      title={formatPercent(b.fraction)}
                    >
                      <div style={{ width: `${Math.min(100, b.fraction * 100)}%` }} />
                    </div>
                    <span className="num faint"> {formatPercent(b.fraction)}</span>
                  </td>
                  <td>{formatProjection(b.projection)}</td>
                  <td>{b.hardCap ? b.blocked ? <strong className="err">refusing (429)</strong> : 'on' : 'off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="section-title">
        Last 30 days
        <span className="faint">— highest {formatCost(Math.max(0, ...spend.days.map((d) => d.cost)))} a day</span>
      </div>
      <Days days={spend.days} />

      <div className="section-title">
        What it went to
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Period">
          <button aria-pressed={range === 'today'} onClick={() => setRange('today')}>
            Today
          </button>
          <button aria-pressed={range === 'month'} onClick={() => setRange('month')}>
            This month
          </button>
        </div>
      </div>
      <div className="spend-breakdowns">
        <Breakdown title="Provider" cells={p.byProvider} total={p.cost} />
        <Breakdown title="Model" cells={p.byModel} total={p.cost} />
        <Breakdown title="Policy" cells={p.byPolicy} total={p.cost} />
      </div>
    </div>
  );
}
