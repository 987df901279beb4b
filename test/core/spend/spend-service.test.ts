// The spend service over a real log store: the ledger loaded from the rollup equals the rows,
// rows committed while it loads count once, the gate follows commits and the period's end, and
// clearing the log lowers what budgets have spent.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Budget } from '../../../electron/core/contract/settings-schema';
import type { BudgetAlert, SpendSummary } from '../../../electron/core/contract/spend';
import { createCoreEvents } from '../../../electron/core/core-events';
import { createSpendService, type SpendService } from '../../../electron/core/spend/spend-service';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';

let store: LogStore;
let cleanup: () => void;
let services: SpendService[];
beforeEach(async () => {
  const t = tempDir('spend-');
  cleanup = t.cleanup;
  store = await openLogStore(join(t.dir, 'log.sqlite'));
  services = [];
});
afterEach(async () => {
  for (const s of services) s.stop();
  await store.close();
  cleanup();
});

function start(budgets: Budget[], now: () => number = Date.now) {
  const events = createCoreEvents();
  const alerts: BudgetAlert[] = [];
  const pushes: SpendSummary[] = [];
  events.on('budgetAlert', (a) => alerts.push(a));
  events.on('spendChanged', (s) => pushes.push(s));
  const service = createSpendService({ store, events, budgets: () => budgets, now, pushIntervalMs: 0 });
  services.push(service);
  return { service, alerts, pushes, events };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('spend service', () => {
  it('loads spend from the rollup and counts rows committed during the load exactly once', async () => {
    const now = Date.now();
    for (let i = 0; i < 200; i++) store.enqueue(makeRecord({ timestamp: iso(now - i * 1000), cost: 0.01 }));
    await store.flush();
    const { service } = start([]);
    // Commits race the load: whichever side of its snapshot they land on, each counts once.
    const started = service.start();
    for (let i = 0; i < 200; i++) store.enqueue(makeRecord({ timestamp: iso(now - i * 1000), cost: 0.01 }));
    await Promise.all([started, store.flush()]);
    const days = service.summary().days;
    expect(days.reduce((n, d) => n + d.requests, 0)).toBe(400);
    expect(days.reduce((n, d) => n + d.cost, 0)).toBeCloseTo(4, 9);
  });

  it('blocks a capped scope once committed spend reaches it, and opens again when the period ends', async () => {
    let now = Date.now();
    const budgets: Budget[] = [
      { name: 'openai-daily', period: 'day', amountUsd: 1, provider: 'openai', hardCap: true },
      { name: 'soft', period: 'day', amountUsd: 1, hardCap: false },
    ];
    const { service, alerts } = start(budgets, () => now);
    await service.start();
    expect(service.gate.exceeded('openai', null)).toBeNull();
    store.enqueue(makeRecord({ timestamp: iso(now), provider: 'openai', cost: 0.6 }));
    await store.flush();
    expect(service.gate.exceeded('openai', null)).toBeNull();
    store.enqueue(makeRecord({ timestamp: iso(now), provider: 'openai', cost: 0.4 }));
    await store.flush();
    expect(service.gate.exceeded('openai', 'any')).toMatchObject({ name: 'openai-daily', blocked: true });
    // The running total the gate reads, kept row by row, equals the sum over the ledger.
    expect(service.gate.exceeded('openai', null)!.spent).toBeCloseTo(service.summary().budgets[0]!.spent, 12);
    expect(service.summary().budgets[0]!.spent).toBeCloseTo(1, 12);
    expect(service.gate.exceeded('anthropic', null)).toBeNull();
    expect(alerts.map((a) => [a.budget, a.threshold, a.blocked])).toEqual([
      ['openai-daily', 50, false],
      ['soft', 50, false],
      ['openai-daily', 100, true],
      ['soft', 100, false],
    ]);
    const end = Date.parse(service.gate.exceeded('openai', null)!.periodEnd);
    now = end;
    expect(service.gate.exceeded('openai', null)).toBeNull();
  });

  it('re-reads budgets when they change, and the ledger when rows are deleted', async () => {
    const budgets: Budget[] = [{ name: 'all', period: 'month', amountUsd: 0.5, hardCap: true }];
    const { service, pushes } = start(budgets);
    store.enqueue(makeRecord({ timestamp: iso(Date.now()), cost: 0.5 }));
    await store.flush();
    await service.start();
    expect(service.gate.exceeded('openai', null)).not.toBeNull();
    budgets[0] = { ...budgets[0]!, amountUsd: 5 };
    service.budgetsChanged();
    expect(service.gate.exceeded('openai', null)).toBeNull();
    budgets[0] = { ...budgets[0]!, amountUsd: 0.5 };
    service.budgetsChanged();
    expect(service.gate.exceeded('openai', null)).not.toBeNull();
    await store.clearLogs(null);
    await service.reload();
    expect(service.gate.exceeded('openai', null)).toBeNull();
    expect(service.summary().month.cost).toBe(0);
    expect(pushes.length).toBeGreaterThan(0);
  });
});
