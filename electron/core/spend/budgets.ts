// Budgets read against the spend ledger: what each has spent this period, the threshold it has
// reached, whether its hard cap refuses requests, and which crossings deserve an alert. Pure
// over (budgets, ledger, now), so period rollover and edits are tested without a clock.
import { BUDGET_THRESHOLDS, type BudgetStatus, type BudgetThreshold } from '../contract/spend';
import type { Budget } from '../contract/settings-schema';
import type { Cell, SpendLedger } from './ledger';
import { HOUR_MS, hourKey, hourStart, periodBounds } from './periods';
import { project, type RateSample } from './projection';

/** Whether a ledger cell is in a budget's scope. */
export const inScope =
  (b: Pick<Budget, 'provider' | 'policy'>) =>
  (c: Pick<Cell, 'provider' | 'policy'>): boolean =>
    (b.provider === undefined || c.provider === b.provider) && (b.policy === undefined || c.policy === b.policy);

/** Hours of history the rate is measured over, at most. */
export const RATE_HOURS = 24;

/**
 * The hourly spend the rate is measured from: up to RATE_HOURS whole hours before now (none
 * before the first request in memory), and the part-hour.
 */
export function rateSample(ledger: SpendLedger, now: number, match?: (c: Cell) => boolean): RateSample {
  const current = hourStart(now);
  const first = ledger.firstHour();
  const hours: number[] = [];
  if (first !== null) {
    for (let t = current - RATE_HOURS * HOUR_MS; t < current; t += HOUR_MS) {
      const key = hourKey(t);
      if (key >= first) hours.push(ledger.hourCost(key, match));
    }
  }
  return {
    hours,
    partial: ledger.hourCost(hourKey(current), match),
    partialFraction: first === null ? 0 : (now - current) / HOUR_MS,
  };
}

export function spentIn(ledger: SpendLedger, start: number, end: number, match: (c: Cell) => boolean): number {
  let sum = 0;
  for (const c of ledger.cells({ fromHour: hourKey(start), beforeHour: hourKey(end) })) if (match(c)) sum += c.cost;
  return sum;
}

/** A budget's standing without its projection: what the gate and the alerts need. */
export type BudgetLevel = Omit<BudgetStatus, 'projection'>;

export function budgetLevel(b: Budget, spent: number, start: number, end: number): BudgetLevel {
  const fraction = spent / b.amountUsd;
  let threshold: BudgetStatus['threshold'] = 0;
  for (const t of BUDGET_THRESHOLDS) if (fraction * 100 >= t) threshold = t;
  return {
    name: b.name,
    period: b.period,
    provider: b.provider ?? null,
    policy: b.policy ?? null,
    amountUsd: b.amountUsd,
    hardCap: b.hardCap,
    periodStart: new Date(start).toISOString(),
    periodEnd: new Date(end).toISOString(),
    spent,
    fraction,
    threshold,
    blocked: b.hardCap && fraction >= 1,
  };
}

export function budgetStatus(b: Budget, ledger: SpendLedger, now: number): BudgetStatus {
  const { start, end } = periodBounds(b.period, now);
  const match = inScope(b);
  const spent = spentIn(ledger, start, end, match);
  return {
    ...budgetLevel(b, spent, start, end),
    projection: project(spent, (end - now) / HOUR_MS, rateSample(ledger, now, match)),
  };
}

/** A crossing to announce. */
export interface Crossing {
  status: BudgetLevel;
  threshold: BudgetThreshold;
}

/**
 * Remembers, per budget, the period and the highest threshold already announced, so each
 * threshold is announced once per period. A budget seen for the first time (at start, or when
 * added) or edited takes the level it stands at without announcing it: that is a state, not a
 * crossing, and whoever shows alerts reads the state once when it starts (the page's banners, the
 * desktop notifier). A jump over several thresholds announces only the highest.
 */
export class ThresholdMemory {
  private readonly seen = new Map<string, { identity: string; periodStart: string; level: number }>();

  update(budgets: readonly Budget[], statuses: readonly BudgetLevel[]): Crossing[] {
    const out: Crossing[] = [];
    const names = new Set<string>();
    budgets.forEach((b, i) => {
      const status = statuses[i]!;
      names.add(b.name);
      const identity = JSON.stringify([b.period, b.amountUsd, b.provider ?? null, b.policy ?? null, b.hardCap]);
      const prior = this.seen.get(b.name);
      let level = prior?.level ?? 0;
      if (prior === undefined || prior.identity !== identity) {
        level = status.threshold;
      } else if (prior.periodStart !== status.periodStart) {
        level = 0;
      }
      if (status.threshold > level) out.push({ status, threshold: status.threshold as BudgetThreshold });
      this.seen.set(b.name, { identity, periodStart: status.periodStart, level: Math.max(level, status.threshold) });
    });
    for (const name of this.seen.keys()) if (!names.has(name)) this.seen.delete(name);
    return out;
  }
}
