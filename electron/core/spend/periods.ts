// Budget periods are the machine's local day and month: "today" is the user's today. Spend is
// kept per UTC hour (as stats_hourly keys it), so a period is the hours from the one its start
// falls in to the one before its end; in a time zone whose offset is not a whole number of hours
// the period's first hour starts up to 45 minutes early.
import type { BudgetPeriod } from '../contract/settings-schema';

export interface PeriodBounds {
  /** Epoch ms of the local midnight that starts it, and of the one that ends it. */
  start: number;
  end: number;
}

export function periodBounds(period: BudgetPeriod, now: number): PeriodBounds {
  const d = new Date(now);
  if (period === 'day') {
    return {
      start: new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(),
      end: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime(),
    };
  }
  return {
    start: new Date(d.getFullYear(), d.getMonth(), 1).getTime(),
    end: new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime(),
  };
}

/** The UTC hour an instant falls in, as stats_hourly keys it: 'YYYY-MM-DDTHH'. */
export function hourKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

export const HOUR_MS = 3_600_000;

/** Start of the UTC hour an instant falls in. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** Local date of an instant, YYYY-MM-DD. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** How far back spend is kept in memory: this month and the 30 days before today, whichever starts earlier. */
export function windowStart(now: number): number {
  const d = new Date(now);
  const thirtyDays = new Date(d.getFullYear(), d.getMonth(), d.getDate() - 30).getTime();
  return hourStart(Math.min(thirtyDays, periodBounds('month', now).start));
}
