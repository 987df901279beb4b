// Spend and budgets, live: loads the ledger from the rollup once, adds every committed row, and
// after each change (and at each hour's start) re-reads the budgets: the hard cap's gate is
// updated at once, crossings become budgetAlert events, and the page gets spendChanged at most
// once a second. Nothing here runs on the request path except gate.exceeded(), a scan of the
// (few) budgets that are blocked right now.
import type { RequestRow } from '../contract/model';
import type { Budget } from '../contract/settings-schema';
import type { BudgetStatus, SpendSummary } from '../contract/spend';
import type { CoreEventSink } from '../core-events';
import type { LogStore } from '../storage/log-store';
import type { BudgetGate } from '../proxy/budget-guard';
import { budgetStatus, inScope, ThresholdMemory } from './budgets';
import { SpendLedger } from './ledger';
import { HOUR_MS, hourKey, hourStart, windowStart } from './periods';
import { spendSummary } from './summary';

export interface SpendServiceOptions {
  store: Pick<LogStore, 'spendHours' | 'on'>;
  events: CoreEventSink;
  budgets: () => readonly Budget[];
  now?: () => number;
  /** Least time between two spendChanged events. */
  pushIntervalMs?: number;
}

export interface SpendService {
  /** Loads the ledger; rows committed meanwhile are added exactly once. */
  start(): Promise<void>;
  summary(): SpendSummary;
  /** What the proxy asks before forwarding (see proxy/budget-guard.ts). */
  readonly gate: BudgetGate;
  /** The settings' budgets changed: re-read them now. */
  budgetsChanged(): void;
  /** Reloads the ledger from the log (after rows were deleted). */
  reload(): Promise<void>;
  stop(): void;
}

export function createSpendService(o: SpendServiceOptions): SpendService {
  const now = o.now ?? Date.now;
  const pushInterval = o.pushIntervalMs ?? 1000;
  const ledger = new SpendLedger(now());
  const memory = new ThresholdMemory();
  /** Blocked budgets, and when that answer expires (the earliest end of their periods). */
  let blocked: { budget: Budget; status: BudgetStatus }[] = [];
  let blockedUntil = Infinity;
  /** Rows committed while a load is reading: added after it, those newer than what it read. */
  let buffered: RequestRow[] | null = null;
  let loaded = false;
  let lastPush = 0;
  let pushTimer: NodeJS.Timeout | null = null;
  let hourTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  function evaluate(): void {
    const t = now();
    const budgets = o.budgets();
    const statuses = budgets.map((b) => budgetStatus(b, ledger, t));
    blocked = [];
    blockedUntil = Infinity;
    statuses.forEach((s, i) => {
      if (!s.blocked) return;
      blocked.push({ budget: budgets[i]!, status: s });
      blockedUntil = Math.min(blockedUntil, Date.parse(s.periodEnd));
    });
    if (!loaded) return;
    for (const c of memory.update(budgets, statuses)) {
      o.events.emit('budgetAlert', {
        budget: c.status.name,
        threshold: c.threshold,
        period: c.status.period,
        periodStart: c.status.periodStart,
        spent: c.status.spent,
        amountUsd: c.status.amountUsd,
        blocked: c.status.blocked,
      });
    }
  }

  function schedulePush(): void {
    if (!loaded || stopped || pushTimer !== null) return;
    const wait = Math.max(0, lastPush + pushInterval - now());
    pushTimer = setTimeout(() => {
      pushTimer = null;
      lastPush = now();
      o.events.emit('spendChanged', spendSummary(ledger, o.budgets(), lastPush));
    }, wait);
    pushTimer.unref();
  }

  function onCommitted(rows: RequestRow[]): void {
    if (buffered !== null) buffered.push(...rows);
    if (!loaded) return;
    ledger.apply(rows);
    evaluate();
    schedulePush();
  }

  // Each hour the rate's window moves and a day or month may begin: re-read and push.
  function scheduleHour(): void {
    if (stopped) return;
    const t = now();
    hourTimer = setTimeout(
      () => {
        ledger.advance(now());
        evaluate();
        schedulePush();
        scheduleHour();
      },
      hourStart(t) + HOUR_MS - t + 50,
    );
    hourTimer.unref();
  }

  async function load(): Promise<void> {
    buffered = [];
    try {
      const t = now();
      const read = await o.store.spendHours(hourKey(windowStart(t)));
      ledger.load(read.rows, t);
      ledger.apply(buffered.filter((r) => r.id > read.maxId));
    } finally {
      buffered = null;
    }
    loaded = true;
    evaluate();
    schedulePush();
  }

  const off = o.store.on('committed', onCommitted);

  return {
    async start() {
      await load();
      scheduleHour();
    },
    summary: () => spendSummary(ledger, o.budgets(), now()),
    gate: {
      exceeded(provider, policy) {
        if (blocked.length === 0) return null;
        // A period ended since the last evaluation: its spend starts again from nothing.
        if (now() >= blockedUntil) evaluate();
        for (const { budget, status } of blocked) {
          if (inScope(budget)({ provider, policy })) return status;
        }
        return null;
      },
    },
    budgetsChanged() {
      evaluate();
      schedulePush();
    },
    reload: load,
    stop() {
      stopped = true;
      off();
      if (pushTimer !== null) clearTimeout(pushTimer);
      if (hourTimer !== null) clearTimeout(hourTimer);
    },
  };
}
