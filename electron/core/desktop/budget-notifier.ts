// When the desktop app shows a system notification for a budget: once for each budget already
// past a threshold when it starts (the user may not have seen it), then for each budgetAlert the
// spend service raises, never twice for the same budget, period and threshold. Electron's
// Notification stays in main.ts; this decides what to say and when, and runs in plain Node.
import type { BudgetAlert, SpendSummary } from '../contract/spend';
import type { CoreEvents } from '../core-events';

export interface Notice {
  title: string;
  body: string;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function noticeFor(a: BudgetAlert): Notice {
  const period = a.period === 'day' ? 'today' : 'this month';
  if (a.blocked) {
    return {
      title: `Budget "${a.budget}" used up`,
      body: `${usd(a.spent)} of ${usd(a.amountUsd)} ${period}. Its hard cap now refuses new requests (HTTP 429).`,
    };
  }
  return {
    title: `Budget "${a.budget}" at ${a.threshold} %`,
    body: `${usd(a.spent)} of ${usd(a.amountUsd)} ${period}.`,
  };
}

export function startBudgetNotifier(
  core: { events: Pick<CoreEvents, 'on'>; spend: { summary(): SpendSummary } },
  notify: (notice: Notice) => void,
): () => void {
  const shown = new Set<string>();
  const show = (a: BudgetAlert) => {
    const key = `${a.budget}\u0000${a.periodStart}\u0000${a.threshold}`;
    if (shown.has(key)) return;
    shown.add(key);
    notify(noticeFor(a));
  };
  const off = core.events.on('budgetAlert', show);
  for (const b of core.spend.summary().budgets) {
    if (b.threshold === 0) continue;
    show({
      budget: b.name,
      threshold: b.threshold,
      period: b.period,
      periodStart: b.periodStart,
      spent: b.spent,
      amountUsd: b.amountUsd,
      blocked: b.blocked,
    });
  }
  return off;
}
