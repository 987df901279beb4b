// The Spend view's numbers, computed from the ledger in memory: today and this month with their
// breakdowns and projections, the last 30 days, the rate, and every budget's status.
import type { SpendCell, SpendDay, SpendPeriod, SpendSummary } from '../contract/spend';
import type { Budget } from '../contract/settings-schema';
import type { Cell, SpendLedger } from './ledger';
import { budgetStatus, rateSample } from './budgets';
import { HOUR_MS, hourKey, localDay, periodBounds } from './periods';
import { project, rateOf } from './projection';

function breakdown(cells: Iterable<Cell>, keyOf: (c: Cell) => string | null): SpendCell[] {
  const out = new Map<string | null, SpendCell>();
  for (const c of cells) {
    const key = keyOf(c);
    let s = out.get(key);
    if (!s) out.set(key, (s = { key, cost: 0, requests: 0, costUnknown: 0 }));
    s.cost += c.cost;
    s.requests += c.requests;
    s.costUnknown += c.costUnknown;
  }
  return [...out.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests);
}

function period(ledger: SpendLedger, start: number, end: number, now: number): SpendPeriod {
  const cells = [...ledger.cells({ fromHour: hourKey(start), beforeHour: hourKey(end) })];
  let cost = 0;
  let requests = 0;
  let costUnknown = 0;
  for (const c of cells) {
    cost += c.cost;
    requests += c.requests;
    costUnknown += c.costUnknown;
  }
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    cost,
    requests,
    costUnknown,
    byProvider: breakdown(cells, (c) => c.provider),
    byModel: breakdown(cells, (c) => c.model),
    byPolicy: breakdown(cells, (c) => c.policy),
    projection: project(cost, (end - now) / HOUR_MS, rateSample(ledger, now)),
  };
}

export function spendSummary(ledger: SpendLedger, budgets: readonly Budget[], now: number): SpendSummary {
  const day = periodBounds('day', now);
  const month = periodBounds('month', now);
  const days: SpendDay[] = [];
  for (let i = 29; i >= 0; i--) {
    const d = new Date(day.start);
    const start = new Date(d.getFullYear(), d.getMonth(), d.getDate() - i).getTime();
    const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() - i + 1).getTime();
    const entry: SpendDay = { day: localDay(start), cost: 0, requests: 0, costUnknown: 0 };
    for (const c of ledger.cells({ fromHour: hourKey(start), beforeHour: hourKey(end) })) {
      entry.cost += c.cost;
      entry.requests += c.requests;
      entry.costUnknown += c.costUnknown;
    }
    days.push(entry);
  }
  return {
    asOf: new Date(now).toISOString(),
    today: period(ledger, day.start, day.end, now),
    month: period(ledger, month.start, month.end, now),
    days,
    rate: rateOf(rateSample(ledger, now)),
    budgets: budgets.map((b) => budgetStatus(b, ledger, now)),
  };
}
