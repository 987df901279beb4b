// Spend and budgets, live: loads the ledger from the rollup once, adds every committed row, and
// keeps a running total per budget for its current period: summed from the ledger when the
// budgets change, a period ends or the ledger is reloaded, and otherwise increased by each
// committed row in scope (rows × budgets per commit, whatever the size of the log). After each
// change the hard cap's gate is updated at once, crossings become budgetAlert events, and the
// page gets spendChanged at most once a second. Nothing here runs on the request path except
// gate.exceeded(), a scan of the (few) budgets that are blocked right now.
import type { RequestRow } from '../contract/model';
import type { Budget } from '../contract/settings-schema';
import type { SpendSummary } from '../contract/spend';
import type { CoreEventSink } from '../core-events';
import type { LogStore } from '../storage/log-store';
import type { BudgetGate } from '../proxy/budget-guard';
import { budgetLevel, inScope, spentIn, ThresholdMemory, type BudgetLevel } from './budgets';
import { SpendLedger } from './ledger';
import { HOUR_MS, hourKey, hourStart, periodBounds, windowStart } from './periods';
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
  /** Each budget's spend in its current period, and when the first of those periods ends. */
  let running: { budget: Budget; start: number; end: number; spent: number }[] = [];
  let runningUntil = Infinity;
  /** Budgets whose hard cap refuses requests right now. */
  let blocked: { budget: Budget; level: BudgetLevel }[] = [];
  /** Rows committed while a load is reading: added after it, those newer than what it read. */
  let buffered: RequestRow[] | null = null;
  let loaded = false;
  let lastPush = 0;
  let pushTimer: NodeJS.Timeout | null = null;
  let hourTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  /** Sums each budget's period from the ledger. */
  function recompute(): void {
    const t = now();
    runningUntil = Infinity;
    running = o.budgets().map((budget) => {
      const { start, end } = periodBounds(budget.period, t);
      runningUntil = Math.min(runningUntil, end);
      return { budget, start, end, spent: spentIn(ledger, start, end, inScope(budget)) };
    });
  }

  function addToRunning(rows: readonly RequestRow[]): void {
    for (const r of rows) {
      if (r.cost === null || r.cost === 0) continue;
      const t = Date.parse(r.timestamp);
      for (const x of running) if (t >= x.start && t < x.end && inScope(x.budget)(r)) x.spent += r.cost;
    }
  }

  /** The gate and the alerts from the running totals. */
  function evaluate(): void {
    if (now() >= runningUntil) recompute();
    const budgets = running.map((x) => x.budget);
    const levels = running.map((x) => budgetLevel(x.budget, x.spent, x.start, x.end));
    blocked = [];
    levels.forEach((level, i) => level.blocked && blocked.push({ budget: budgets[i]!, level }));
    if (!loaded) return;
    for (const c of memory.update(budgets, levels)) {
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
    addToRunning(rows);
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
        recompute();
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
    recompute();
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
        if (now() >= runningUntil) evaluate();
        for (const { budget, level } of blocked) {
          if (inScope(budget)({ provider, policy })) return level;
        }
        return null;
      },
    },
    budgetsChanged() {
      recompute();
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
