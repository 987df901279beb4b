// The hard cap's one check before forwarding: a request whose provider and policy fall under a
// budget whose cap is reached is answered here with 429 and never reaches the upstream. The
// answer comes from memory (the spend service's gate, kept from committed rows), so the check
// costs a scan of the budgets blocked right now, usually none. The body is shaped like the
// error of the API the client speaks, so its SDK raises an error whose type names the cause.
import type { BudgetStatus } from '../contract/spend';

/** What the gate reports of a budget that refuses: its standing (the projection is not needed). */
export type ExceededBudget = Omit<BudgetStatus, 'projection'>;
import type { ApiFormat } from './usage';

export interface BudgetGate {
  /** The reached hard-capped budget covering this provider and policy, or null to let the request through. */
  exceeded(provider: string, policy: string | null): ExceededBudget | null;
}

export const BUDGET_ERROR_TYPE = 'inspector_budget_exceeded';

export interface BudgetRefusal {
  status: 429;
  headers: Record<string, string>;
  body: string;
  /** For the row's error_message. */
  message: string;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function refusalMessage(b: ExceededBudget): string {
  const scope = [b.provider && `provider ${b.provider}`, b.policy && `policy ${b.policy}`].filter(Boolean).join(', ');
  return (
    `budget "${b.name}" (${usd(b.amountUsd)} per ${b.period}${scope ? `, ${scope}` : ''}) is exhausted: ` +
    `${usd(b.spent)} spent since ${b.periodStart}; its hard cap refuses new requests until ${b.periodEnd}`
  );
}

/** The 429 answer for a request refused by budget `b`, in the error shape of `format`. */
export function budgetRefusal(b: ExceededBudget, format: ApiFormat): BudgetRefusal {
  const message = refusalMessage(b);
  const budget = {
    name: b.name,
    period: b.period,
    amount_usd: b.amountUsd,
    spent_usd: b.spent,
    provider: b.provider,
    policy: b.policy,
    period_start: b.periodStart,
    resets_at: b.periodEnd,
  };
  let body: unknown;
  if (format === 'anthropic-messages') {
    body = { type: 'error', error: { type: BUDGET_ERROR_TYPE, message, budget } };
  } else if (format === 'gemini') {
    body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', type: BUDGET_ERROR_TYPE, message, budget } };
  } else {
    // OpenAI's shape, also what OpenAI-compatible servers (and Ollama's /v1) answer with.
    body = { error: { type: BUDGET_ERROR_TYPE, code: BUDGET_ERROR_TYPE, message, param: null, budget } };
  }
  const retryAfter = Math.max(1, Math.ceil((Date.parse(b.periodEnd) - Date.now()) / 1000));
  return {
    status: 429,
    headers: {
      'content-type': 'application/json',
      // The official SDKs retry a 429 unless told not to; retrying can't help before the period ends.
      'x-should-retry': 'false',
      'retry-after': String(retryAfter),
    },
    body: JSON.stringify(body),
    message,
  };
}
