// Budgets over the in-memory ledger: scope, local day and month, thresholds, the hard cap, and
// when a crossing is announced (once per period and threshold; rollover; edits). Run in a time
// zone other than UTC, so "today" is seen to be the local day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRow } from '../../../electron/core/contract/model';
import type { Budget } from '../../../electron/core/contract/settings-schema';
import { budgetStatus, ThresholdMemory } from '../../../electron/core/spend/budgets';
import { MAX_CELLS_PER_HOUR, OTHER_MODEL, SpendLedger } from '../../../electron/core/spend/ledger';
import { periodBounds, windowStart } from '../../../electron/core/spend/periods';
import { makeRecord } from '../../helpers/records';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

let nextId = 1;
function row(timestamp: string, cost: number | null, over: Partial<RequestRow> = {}): RequestRow {
  const { exchange: _e, ...r } = makeRecord({ timestamp, cost, ...over });
  return { ...r, id: nextId++, threadId: null, turn: null };
}

const budget = (over: Partial<Budget> = {}): Budget => ({
  name: 'b',
  period: 'day',
  amountUsd: 10,
  hardCap: false,
  ...over,
});

// 2026-03-10 20:00 in New York is 2026-03-11T00:00Z: the UTC day has turned, the local one has not.
const NOW = Date.parse('2026-03-11T00:30:00.000Z');

describe('periods', () => {
  it('are the local day and month', () => {
    expect(new Date(periodBounds('day', NOW).start).toISOString()).toBe('2026-03-10T04:00:00.000Z');
    expect(new Date(periodBounds('day', NOW).end).toISOString()).toBe('2026-03-11T04:00:00.000Z');
    expect(new Date(periodBounds('month', NOW).start).toISOString()).toBe('2026-03-01T05:00:00.000Z');
    // The window reaches 30 days back even early in a month.
    expect(new Date(windowStart(Date.parse('2026-03-02T12:00:00.000Z'))).toISOString()).toBe(
      '2026-01-31T05:00:00.000Z',
    );
  });
});

describe('budget status', () => {
  const ledger = new SpendLedger(NOW);
  ledger.apply([
    row('2026-03-10T05:00:00.000Z', 2, { provider: 'openai', policy: 'chat' }), // today, local
    row('2026-03-11T00:10:00.000Z', 3, { provider: 'anthropic', policy: 'chat' }), // today, local
    row('2026-03-10T03:59:59.999Z', 4, { provider: 'openai', policy: null }), // yesterday, local
    row('2026-03-10T06:00:00.000Z', null, { provider: 'openai', policy: 'chat' }), // price unknown
  ]);

  it('sums the spend in its scope and period', () => {
    expect(budgetStatus(budget(), ledger, NOW).spent).toBe(5);
    expect(budgetStatus(budget({ period: 'month' }), ledger, NOW).spent).toBe(9);
    expect(budgetStatus(budget({ provider: 'openai' }), ledger, NOW).spent).toBe(2);
    expect(budgetStatus(budget({ policy: 'chat', period: 'month' }), ledger, NOW).spent).toBe(5);
    expect(budgetStatus(budget({ provider: 'anthropic', policy: 'chat' }), ledger, NOW).spent).toBe(3);
    expect(budgetStatus(budget({ provider: 'nobody' }), ledger, NOW).spent).toBe(0);
  });

  it('reports the threshold reached and blocks only with a hard cap', () => {
    expect(budgetStatus(budget({ amountUsd: 11 }), ledger, NOW)).toMatchObject({ threshold: 0, blocked: false });
    expect(budgetStatus(budget({ amountUsd: 10 }), ledger, NOW)).toMatchObject({ threshold: 50, fraction: 0.5 });
    expect(budgetStatus(budget({ amountUsd: 6 }), ledger, NOW)).toMatchObject({ threshold: 80, blocked: false });
    expect(budgetStatus(budget({ amountUsd: 5 }), ledger, NOW)).toMatchObject({ threshold: 100, blocked: false });
    expect(budgetStatus(budget({ amountUsd: 5, hardCap: true }), ledger, NOW)).toMatchObject({ blocked: true });
    expect(budgetStatus(budget({ amountUsd: 5.01, hardCap: true }), ledger, NOW)).toMatchObject({ blocked: false });
  });

  it('starts again at the next local midnight', () => {
    const tomorrow = Date.parse('2026-03-11T04:00:00.000Z');
    expect(budgetStatus(budget({ amountUsd: 5, hardCap: true }), ledger, tomorrow)).toMatchObject({
      spent: 0,
      blocked: false,
      periodStart: '2026-03-11T04:00:00.000Z',
    });
  });

  it('projects to the end of the period and never below what is spent', () => {
    const s = budgetStatus(budget(), ledger, NOW);
    expect(s.projection.expected).toBeGreaterThanOrEqual(5);
    expect(s.projection.low).not.toBeNull();
    expect(s.projection.low!).toBeGreaterThanOrEqual(5);
    expect(s.projection.high!).toBeGreaterThanOrEqual(s.projection.expected);
  });
});

describe('the ledger', () => {
  it('bounds the cells of an hour whatever models the clients name', () => {
    const ledger = new SpendLedger(NOW);
    const t = '2026-03-10T12:00:00.000Z';
    ledger.apply(Array.from({ length: MAX_CELLS_PER_HOUR + 50 }, (_, i) => row(t, 1, { model: `m-${i}` })));
    const cells = [...ledger.cells({ fromHour: '2026-03-10T12', beforeHour: '2026-03-10T13' })];
    expect(cells).toHaveLength(MAX_CELLS_PER_HOUR + 1);
    expect(cells.find((c) => c.model === OTHER_MODEL)).toMatchObject({ requests: 50, cost: 50 });
    expect(cells.reduce((s, c) => s + c.cost, 0)).toBe(MAX_CELLS_PER_HOUR + 50);
  });

  it('ignores hours before its window and forgets them as time moves', () => {
    const ledger = new SpendLedger(NOW);
    ledger.apply([row('2025-01-01T00:00:00.000Z', 1), row('2026-03-10T12:00:00.000Z', 2)]);
    expect(ledger.firstHour()).toBe('2026-03-10T12');
    ledger.advance(Date.parse('2026-05-01T12:00:00.000Z'));
    expect(ledger.firstHour()).toBeNull();
  });
});

describe('threshold alerts', () => {
  function run(memory: ThresholdMemory, budgets: Budget[], ledger: SpendLedger, now: number) {
    const statuses = budgets.map((b) => budgetStatus(b, ledger, now));
    return memory.update(budgets, statuses).map((c) => [c.status.name, c.threshold]);
  }
  const T = Date.parse('2026-03-10T15:00:00.000Z');

  it('announces each threshold once per period, only the highest of a jump, and again after rollover', () => {
    const ledger = new SpendLedger(T);
    const memory = new ThresholdMemory();
    const b = [budget({ amountUsd: 10 })];
    expect(run(memory, b, ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T15:00:01.000Z', 5.5)]);
    expect(run(memory, b, ledger, T)).toEqual([['b', 50]]);
    expect(run(memory, b, ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T15:00:02.000Z', 0.5)]);
    expect(run(memory, b, ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T15:00:03.000Z', 5)]);
    expect(run(memory, b, ledger, T)).toEqual([['b', 100]]);
    ledger.apply([row('2026-03-10T15:00:04.000Z', 5)]);
    expect(run(memory, b, ledger, T)).toEqual([]);
    // The next local day: nothing spent yet, nothing announced; then its own crossings.
    const next = Date.parse('2026-03-11T15:00:00.000Z');
    expect(run(memory, b, ledger, next)).toEqual([]);
    ledger.apply([row('2026-03-11T15:00:01.000Z', 8)]);
    expect(run(memory, b, ledger, next)).toEqual([['b', 80]]);
  });

  it('takes what is already crossed at start as a state, not a crossing', () => {
    const ledger = new SpendLedger(T);
    ledger.apply([row('2026-03-10T14:00:00.000Z', 9)]);
    const memory = new ThresholdMemory();
    expect(run(memory, [budget(), budget({ name: 'c', amountUsd: 100 })], ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T14:00:01.000Z', 1)]);
    expect(run(memory, [budget(), budget({ name: 'c', amountUsd: 100 })], ledger, T)).toEqual([['b', 100]]);
  });

  it('takes an edited or new budget at its level silently, and announces the crossings after', () => {
    const ledger = new SpendLedger(T);
    ledger.apply([row('2026-03-10T14:00:00.000Z', 6)]);
    const memory = new ThresholdMemory();
    expect(run(memory, [budget({ amountUsd: 100 })], ledger, T)).toEqual([]);
    // Lowered to $7: 86 % is where the user put it, not news.
    expect(run(memory, [budget({ amountUsd: 7 })], ledger, T)).toEqual([]);
    expect(run(memory, [budget({ amountUsd: 7 }), budget({ name: 'new', amountUsd: 6 })], ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T14:00:01.000Z', 1)]);
    expect(run(memory, [budget({ amountUsd: 7 }), budget({ name: 'new', amountUsd: 6 })], ledger, T)).toEqual([
      ['b', 100],
    ]);
    // Raised to $20 (35 %), then spending crosses 50 % again: announced.
    expect(run(memory, [budget({ amountUsd: 20 })], ledger, T)).toEqual([]);
    ledger.apply([row('2026-03-10T14:00:02.000Z', 4)]);
    expect(run(memory, [budget({ amountUsd: 20 })], ledger, T)).toEqual([['b', 50]]);
  });
});
