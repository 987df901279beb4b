// When the desktop app shows a system notification for a budget: once for each budget already
// past a threshold when it starts (the user may not have seen it), then for each budgetAlert the
// spend service raises, never twice for the same budget, period and threshold — across restarts
// too, or every launch past 80 % of a monthly budget would say so again. Electron's Notification
// stays in main.ts; this decides what to say and when, and runs in plain Node.
import { join } from 'node:path';
import { z } from 'zod';
import type { BudgetAlert, SpendSummary } from '../contract/spend';
import type { CoreEvents } from '../core-events';
import { readStateFile, writeStateFile } from './state-file';

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

export function budgetNoticesPath(dataDir: string): string {
  return join(dataDir, 'budget-notices.json');
}

const noticeKey = z.object({ budget: z.string(), periodStart: z.string(), threshold: z.number() });
const noticesSchema = z.object({ shown: z.array(noticeKey) });
type NoticeKey = z.infer<typeof noticeKey>;

/**
 * `stateFile` keeps what was shown; only the current periods' entries are kept, so it holds at most
 * one entry per budget and threshold. A failed save costs a repeat after the next restart, no more.
 * The returned stop waits for the last save.
 */
export async function startBudgetNotifier(
  core: { events: Pick<CoreEvents, 'on'>; spend: { summary(): SpendSummary } },
  notify: (notice: Notice) => void,
  stateFile?: string,
): Promise<() => Promise<void>> {
  const keyOf = (k: NoticeKey) => JSON.stringify([k.budget, k.periodStart, k.threshold]);
  const current = new Set(core.spend.summary().budgets.map((b) => JSON.stringify([b.name, b.periodStart])));
  const saved = stateFile ? noticesSchema.safeParse(await readStateFile(stateFile)) : null;
  const shown = new Map<string, NoticeKey>();
  for (const k of saved?.success ? saved.data.shown : []) {
    if (current.has(JSON.stringify([k.budget, k.periodStart]))) shown.set(keyOf(k), k);
  }
  let saving = Promise.resolve();
  const save = () => {
    if (!stateFile) return;
    const value = { shown: [...shown.values()] };
    // Chained so that two quick crossings can't land their renames in the wrong order.
    saving = saving.then(() => writeStateFile(stateFile, value)).catch(() => {});
  };
  const show = (a: BudgetAlert) => {
    const k = { budget: a.budget, periodStart: a.periodStart, threshold: a.threshold };
    if (shown.has(keyOf(k))) return;
    shown.set(keyOf(k), k);
    save();
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
  return async () => {
    off();
    await saving;
  };
}
