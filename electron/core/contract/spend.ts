// Spend and budgets as the page sees them: what getSpend answers and spendChanged pushes, and the
// alert the core raises when a budget crosses a threshold. Plain data only (JSON and
// structured-clone safe); amounts are USD over requests whose cost is known.
import type { BudgetPeriod } from './settings-schema';

export type { Budget, BudgetPeriod } from './settings-schema';

/** The thresholds that raise an alert, in percent of a budget's amount. */
export const BUDGET_THRESHOLDS = [50, 80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];

/**
 * Where spend is heading by the end of a period: what is spent so far plus the current rate
 * times the hours left, with a 90 % interval (see core/spend/projection.ts for how it is
 * computed). `low`/`high` are null until there are two whole hours of history to measure the
 * rate's spread from.
 */
export interface Projection {
  expected: number;
  low: number | null;
  high: number | null;
}

export interface SpendCell {
  /** The provider, model or policy; null for "no policy". */
  key: string | null;
  cost: number;
  requests: number;
  /** Requests whose price is unknown: counted here, not in `cost`. */
  costUnknown: number;
}

export interface SpendPeriod {
  /** ISO-8601 bounds of the local day or month: [start, end). */
  start: string;
  end: string;
  cost: number;
  requests: number;
  costUnknown: number;
  byProvider: SpendCell[];
  byModel: SpendCell[];
  byPolicy: SpendCell[];
  projection: Projection;
}

export interface SpendDay {
  /** Local date, YYYY-MM-DD. */
  day: string;
  cost: number;
  requests: number;
  costUnknown: number;
}

export interface BudgetStatus {
  name: string;
  period: BudgetPeriod;
  /** The budget's scope; null: every provider (or policy). */
  provider: string | null;
  policy: string | null;
  amountUsd: number;
  hardCap: boolean;
  periodStart: string;
  periodEnd: string;
  spent: number;
  /** spent / amountUsd. */
  fraction: number;
  /** The highest threshold reached in this period; 0 below 50 %. */
  threshold: 0 | BudgetThreshold;
  /** Hard cap on and reached: new requests in its scope are answered 429 until the period ends. */
  blocked: boolean;
  projection: Projection;
}

export interface SpendSummary {
  /** When this was computed (ISO-8601). */
  asOf: string;
  today: SpendPeriod;
  month: SpendPeriod;
  /** The last 30 local days including today, oldest first. */
  days: SpendDay[];
  /** Current spend rate in USD per hour, and the hours of history it was measured over. */
  rate: { perHour: number; hours: number };
  budgets: BudgetStatus[];
}

/** A budget crossed a threshold: raised once per budget, period and threshold. */
export interface BudgetAlert {
  budget: string;
  threshold: BudgetThreshold;
  period: BudgetPeriod;
  periodStart: string;
  spent: number;
  amountUsd: number;
  /** The hard cap is on and now refuses requests. */
  blocked: boolean;
}
