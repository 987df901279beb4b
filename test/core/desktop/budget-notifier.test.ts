// The desktop notifier's decisions, over the real spend service and log store: what is already
// crossed at start is said once, each later crossing once, nothing twice.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Budget } from '../../../electron/core/contract/settings-schema';
import { createCoreEvents } from '../../../electron/core/core-events';
import { budgetNoticesPath, startBudgetNotifier, type Notice } from '../../../electron/core/desktop/budget-notifier';
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
  const off = await startBudgetNotifier({ events, spend }, (n) => notices.push(n));
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

it('does not say again after a restart what it said before, but does in the next period', async () => {
  const t = tempDir('notifier-');
  cleanups.push(t.cleanup);
  const store = await openLogStore(join(t.dir, 'log.sqlite'));
  cleanups.push(() => store.close());
  store.enqueue(makeRecord({ timestamp: new Date().toISOString(), cost: 0.9 }));
  await store.flush();
  const events = createCoreEvents();
  const budgets: Budget[] = [{ name: 'daily', period: 'day', amountUsd: 1, hardCap: false }];
  const spend = createSpendService({ store, events, budgets: () => budgets, pushIntervalMs: 0 });
  cleanups.push(() => spend.stop());
  await spend.start();
  const file = budgetNoticesPath(t.dir);
  const run = async () => {
    const notices: Notice[] = [];
    const stop = await startBudgetNotifier({ events, spend }, (n) => notices.push(n), file);
    await stop();
    return notices.map((n) => n.title);
  };

  expect(await run()).toEqual(['Budget "daily" at 80 %']);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(await run()).toEqual([]);

  // What was said in an earlier period is dropped from the file, not held against today.
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { shown: { periodStart: string }[] };
  const yesterday = saved.shown.map((k) => ({ ...k, periodStart: '2000-01-01T00:00:00.000Z' }));
  writeFileSync(file, JSON.stringify({ shown: yesterday }));
  expect(await run()).toEqual(['Budget "daily" at 80 %']);
  expect((JSON.parse(readFileSync(file, 'utf8')) as { shown: unknown[] }).shown).toHaveLength(1);

  // A file that isn't ours is no reason to stay silent or to fail.
  writeFileSync(file, 'not json');
  expect(await run()).toEqual(['Budget "daily" at 80 %']);
});
