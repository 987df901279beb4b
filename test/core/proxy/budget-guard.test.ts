// The hard cap's answer in each API's error shape (the SDK round trips are in
// test/core/spend/hard-cap.test.ts): a 429 naming the budget, never retried, with when it resets.
import { describe, expect, it } from 'vitest';
import { budgetRefusal, type ExceededBudget } from '../../../electron/core/proxy/budget-guard';

const budget: ExceededBudget = {
  name: 'agents',
  period: 'month',
  provider: null,
  policy: 'agent',
  amountUsd: 200,
  hardCap: true,
  periodStart: '2026-12-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  spent: 200.41,
  fraction: 1.002,
  threshold: 100,
  blocked: true,
};

describe('budget refusal', () => {
  it('is shaped like the error of the API the client speaks', () => {
    const openai = JSON.parse(budgetRefusal(budget, 'openai-chat').body) as { error: Record<string, unknown> };
    expect(openai.error).toMatchObject({ type: 'inspector_budget_exceeded', code: 'inspector_budget_exceeded' });
    expect(openai.error.message).toBe(
      'budget "agents" ($200.00 per month, policy agent) is exhausted: $200.41 spent since ' +
        '2026-12-01T00:00:00.000Z; its hard cap refuses new requests until 2027-01-01T00:00:00.000Z',
    );
    const anthropic = JSON.parse(budgetRefusal(budget, 'anthropic-messages').body) as Record<string, unknown>;
    expect(anthropic).toMatchObject({
      type: 'error',
      error: { type: 'inspector_budget_exceeded', budget: { name: 'agents', resets_at: '2027-01-01T00:00:00.000Z' } },
    });
    const gemini = JSON.parse(budgetRefusal(budget, 'gemini').body) as Record<string, unknown>;
    expect(gemini).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', type: 'inspector_budget_exceeded' },
    });
    for (const format of ['openai-responses', 'ollama-chat', 'unknown'] as const) {
      expect(JSON.parse(budgetRefusal(budget, format).body)).toMatchObject({
        error: { type: 'inspector_budget_exceeded' },
      });
    }
  });

  it('is a 429 that tells SDKs not to retry before the period ends', () => {
    const r = budgetRefusal({ ...budget, periodEnd: new Date(Date.now() + 90_000).toISOString() }, 'openai-chat');
    expect(r.status).toBe(429);
    expect(r.headers['x-should-retry']).toBe('false');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(80);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(90);
  });
});
