// The desktop notifier's decisions, over the real spend service and log store: what is already
// crossed at start is said once, each later crossing once, nothing twice.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Budget } from '../../../electron/core/contract/settings-schema';
import { createCoreEvents } from '../../../electron/core/core-events';
import { startBudgetNotifier, type Notice } from '../../../electron/core/desktop/budget-notifier';
import { createSpendService } from '../../../electron/core/spend/spend-service';
import { openLogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('notifies what is crossed at start, then each new crossing once, with the cap named when it refuses', async () => {
  const t = tempDir('notifier-');
  cleanups.push(t.cleanup);
  const store = await openLogStore(join(t.dir, 'log.sqlite'));
  cleanups.push(() => store.close());
  const now = new Date().toISOString();
  store.enqueue(makeRecord({ timestamp: now, cost: 0.85 }));
  await store.flush();

  const events = createCoreEvents();
  const budgets: Budget[] = [
    { name: 'daily', period: 'day', amountUsd: 1, hardCap: true },
    { name: 'monthly', period: 'month', amountUsd: 100, hardCap: false },
  ];
  const spend = createSpendService({ store, events, budgets: () => budgets, pushIntervalMs: 0 });
  cleanups.push(() => spend.stop());
  await spend.start();
  const notices: Notice[] = [];
  const off = startBudgetNotifier({ events, spend }, (n) => notices.push(n));
  cleanups.push(off);
  expect(notices).toEqual([{ title: 'Budget "daily" at 80 %', body: '$0.85 of $1.00 today.' }]);

  store.enqueue(makeRecord({ timestamp: now, cost: 0.15 }));
  await store.flush();
  expect(notices.slice(1)).toEqual([
    {
      title: 'Budget "daily" used up',
      body: '$1.00 of $1.00 today. Its hard cap now refuses new requests (HTTP 429).',
    },
  ]);
  store.enqueue(makeRecord({ timestamp: now, cost: 0.01 }));
  await store.flush();
  // The same alert again (a second subscriber's view, a replay) is not a second notification.
  const status = spend.summary().budgets[0]!;
  events.emit('budgetAlert', {
    budget: 'daily',
    threshold: 100,
    period: 'day',
    periodStart: status.periodStart,
    spent: status.spent,
    amountUsd: 1,
    blocked: true,
  });
  expect(notices).toHaveLength(2);
});
