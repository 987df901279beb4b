// The token ratios page (distributions, quantiles, calibration) and the Estimate panel in real
// Chromium against `npm run serve`, over a log written by the real writer. Screenshotted light and dark.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStore } from '../../electron/core/storage';
import { ESTIMATE_BODIES } from '../helpers/estimate-bodies';
import { makeRecord, rng } from '../helpers/records';
import { startE2e, type E2e } from './harness';

const SHOTS = process.env.SHOTS_DIR ?? join(process.cwd(), 'test-results', 'screenshots');

let e: E2e;

/** Output ~ lognormal around a policy's typical length; input log-uniform. Seeded. */
async function seed(path: string): Promise<void> {
  const store = await openLogStore(path);
  const rand = rng(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const groups: [string, string, number, number][] = [
    ['summarize', 'gpt-4o-mini', 180, 200],
    ['summarize', 'claude-haiku-4-5', 240, 60],
    ['chat', 'gpt-4o-mini', 400, 120],
    ['classify', 'gpt-4.1-nano', 4, 8],
  ];
  for (const [policy, model, typical, n] of groups) {
    for (let i = 0; i < n; i++) {
      const inputTokens = Math.round(Math.exp(Math.log(100) + rand() * Math.log(50)));
      store.enqueue(
        makeRecord({
          policy,
          model,
          inputTokens,
          outputTokens: Math.max(1, Math.round(typical * Math.exp(0.5 * normal()))),
          exchange: { ...makeRecord().exchange, requestBody: JSON.stringify(ESTIMATE_BODIES['openai-chat'].body) },
        }),
      );
    }
  }
  await store.close();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  e = await startE2e({ seed });
}, 180_000);
afterAll(async () => {
  await e?.stop();
});

async function shots(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await e.page.emulateMedia({ colorScheme: scheme });
    await e.page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await e.page.emulateMedia({ colorScheme: 'light' });
}

describe('distributions and estimates in Chromium', () => {
  it('the token ratios page shows each distribution with its quantiles, histogram and calibration', async () => {
    await e.page.getByRole('tab', { name: 'Token ratios' }).click();
    const table = e.page.locator('table[aria-label="Token ratios"]');
    await table.locator('svg.mini-hist').first().waitFor();
    const first = table.locator('tbody tr').first();
    await expect(first.textContent()).resolves.toMatch(/summarize.*gpt-4o-mini.*200/);
    // p50 / p90 / p99 of output tokens, then the share of the newest 100 under their p90.
    await expect(first.textContent()).resolves.toMatch(/\d+ \/ \d+ \/ \d+/);
    await expect(first.locator('.calibration').textContent()).resolves.toMatch(/^\d+ % of 100$/);
    expect(await table.locator('svg.mini-hist').count()).toBe(4);
    await e.page.locator('table[aria-label="Output tokens by input size"]').waitFor();
    await shots('estimate-01-ratios');
    expect(e.pageErrors()).toEqual([]);
  });

  it('the Estimate panel estimates a prompt and a logged request, comparing models', async () => {
    await e.page.getByRole('tab', { name: 'Estimate' }).click();
    await e.page.getByRole('textbox', { name: 'Prompt' }).fill('Summarize the following text: '.repeat(30));
    await e.page.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await e.page.getByLabel('Policy', { exact: true }).fill('summarize');
    await e.page.getByRole('button', { name: 'Estimate', exact: true }).click();
    const table = e.page.locator('table[aria-label="Estimates"]');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toMatch(/^gpt-4o-mini(policy \+ model|.*input)/);
    await expect(rows.nth(1).textContent()).resolves.toContain('claude-haiku-4-5');
    await expect(e.page.getByTestId('estimate-summary').textContent()).resolves.toMatch(/\d+ input tokens.*summarize/);
    await shots('estimate-02-prompt');

    await e.page.getByRole('radio', { name: 'Logged request' }).check();
    await e.page.getByLabel('Policy', { exact: true }).fill('');
    const pick = e.page.locator('select[aria-label="Request to estimate"]');
    await expect.poll(() => pick.locator('option').count()).toBeGreaterThan(1);
    await pick.selectOption({ index: 1 });
    await e.page.getByRole('button', { name: 'Estimate', exact: true }).click();
    // The newest row is (classify, gpt-4.1-nano), estimated for the model in the Model field; its policy is the row's.
    await expect.poll(() => e.page.getByTestId('estimate-summary').textContent()).toMatch(/policy classify/);
    await expect(rows.nth(0).textContent()).resolves.toMatch(/^gpt-4o-mini/);
    await shots('estimate-03-logged');
    expect(e.pageErrors()).toEqual([]);
  });
});
