// Spend and budgets in real Chromium against `serve`: a log seeded with 30 days of spend and the
// last day hour by hour, two budgets in the settings file (one at 80 %, one capped and used up).
// The page shows both banners, the stats bar's spend, and the Spend view with projections and
// their intervals; a request sent afterwards shows up in the view without a reload (pushed).
// Screenshotted light and dark into /tmp/shots-spend.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStore } from '../../electron/core/storage';
import { makeRecord } from '../helpers/records';
import { SCREENSHOTS, startE2e, type E2e } from './harness';

let e: E2e;
const SHOTS = '/tmp/shots-spend';
const HOUR = 3_600_000;

async function shot(name: string) {
  await e.screenshot(name);
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(SHOTS, `${name}.png`));
}

let todaySpend = 0;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  e = await startE2e({
    seed: async (dbPath) => {
      const store = await openLogStore(dbPath);
      const now = Date.now();
      const midnight = new Date(new Date(now).setHours(0, 0, 0, 0)).getTime();
      const monthStart = new Date(new Date(midnight).setDate(1)).getTime();
      const models = [
        ['openai', 'gpt-4o', 'agent'],
        ['openai', 'gpt-4o-mini', 'summary'],
        ['anthropic', 'claude-sonnet-4', 'agent'],
        ['anthropic', 'claude-haiku-4', null],
      ] as const;
      let n = 0;
      let openaiThisMonth = 0;
      const add = (t: number, cost: number) => {
        const [provider, model, policy] = models[n++ % models.length]!;
        store.enqueue(makeRecord({ timestamp: new Date(t).toISOString(), provider, model, policy, cost }));
        if (t >= midnight) todaySpend += cost;
        if (t >= monthStart && provider === 'openai') openaiThisMonth += cost;
      };
      // Thirty days, busier on weekdays.
      for (let d = 29; d >= 1; d--) {
        const day = midnight - d * 24 * HOUR;
        const busy = new Date(day).getDay() % 6 === 0 ? 3 : 8;
        for (let i = 0; i < busy; i++) add(day + (i + 1) * 2 * HOUR, 0.4 + ((d * 7 + i * 3) % 10) / 10);
      }
      // The last 26 hours, three requests an hour: what the rate and its spread are measured from.
      for (let t = now - 26 * HOUR; t < now; t += 20 * 60_000) add(t, 0.05 + ((t / 60_000) % 7) / 50);
      // However early in the day (or the month) the suite runs: eight requests since midnight, two per model,
      // so today has a spend and every model a share of it.
      for (let k = 1; k <= 8; k++) add(midnight + ((now - midnight) * k) / 9, 0.05);
      await store.flush();
      await store.close();
      writeFileSync(
        join(dirname(dbPath), 'settings.json'),
        JSON.stringify({
          budgets: [
            // 85 % of today's spend so far (at least $0.40, so rounding to cents keeps it within 84–86 %).
            { name: 'daily', period: 'day', amountUsd: Number((todaySpend / 0.85).toFixed(2)) },
            // Used up on any day of the month: $1, or less on the first days of one.
            {
              name: 'openai monthly',
              period: 'month',
              amountUsd: Math.min(1, Number((openaiThisMonth * 0.9).toFixed(2))),
              provider: 'openai',
              hardCap: true,
            },
          ],
        }),
      );
    },
  });
  await e.page.locator('[data-testid="budget-banner"]').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

describe('spend and budgets', () => {
  it('shows a banner per budget past a threshold, and today’s spend in the stats bar', async () => {
    const banners = e.page.locator('[data-testid="budget-banner"]');
    await expect.poll(() => banners.count(), { timeout: 15_000 }).toBe(2);
    const texts = await banners.allTextContents();
    expect(texts.find((t) => t.includes('"daily"'))).toMatch(/Budget "daily" has reached 8\d%/);
    expect(texts.find((t) => t.includes('"openai monthly"'))).toMatch(
      /Budget "openai monthly" is used up: .* HTTP 429 until the end of the month/,
    );
    await expect.poll(() => e.page.locator('[data-testid="spend-stat"]').textContent()).toMatch(/\/h · ≈\$/);
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      await shot(`spend-banners-${scheme}`);
    }
    await e.page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows the Spend view with projections and intervals, budgets and 30 days', async () => {
    await e.page.getByRole('tab', { name: 'Spend' }).click();
    const view = e.page.locator('[data-testid="spend"]');
    await view.locator('[data-testid="projection-today"]').waitFor();
    expect(await view.locator('[data-testid="projection-today"]').textContent()).toMatch(
      /^Projected by midnight: ≈\$[\d.]+ \(90 %: \$[\d.]+–\$[\d.]+\)$/,
    );
    expect(await view.locator('[data-testid="projection-this-month"]').textContent()).toMatch(/90 %: /);
    expect(await view.locator('[data-testid="spend-rate"]').textContent()).toMatch(/^\$0\.\d+\/h$/);
    expect(await view.locator('[data-testid="budget-row"]').count()).toBe(2);
    expect(await view.locator('[data-testid="budget-row"]').last().textContent()).toContain('refusing (429)');
    expect(await view.locator('.spend-days .day').count()).toBe(30);
    expect(await view.getByRole('table', { name: 'Spend by model' }).locator('tbody tr').count()).toBe(4);
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      await shot(`spend-view-${scheme}`);
    }
    await e.page.emulateMedia({ colorScheme: 'light' });
    expect(e.pageErrors()).toEqual([]);
  });

  it('refuses a capped provider and shows new spend as it is committed, without a reload', async () => {
    const view = e.page.locator('[data-testid="spend"]');
    const today = view.locator('.spend-card').first().locator('.faint');
    const count = async () => Number((await today.textContent())!.match(/^([\d,]+) requests/)![1]!.replace(/,/g, ''));
    const before = await count();
    const refused = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('inspector_budget_exceeded');
    const ok = await fetch(`${e.proxyUrl}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(ok.status).toBe(200);
    await ok.text();
    // The refused request is a row too (status 429, no cost): both arrive by push.
    await expect.poll(count, { timeout: 15_000 }).toBe(before + 2);
  });

  it('edits budgets in Settings; raising one takes its banner away', async () => {
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    const editor = e.page.locator('[data-testid="budgets-editor"]');
    await editor.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      await shot(`spend-settings-${scheme}`);
    }
    await e.page.emulateMedia({ colorScheme: 'light' });
    await e.page.getByLabel('Budget 1 amount in USD').fill('1000');
    await e.page.getByRole('button', { name: 'Save settings' }).click();
    await e.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const banners = e.page.locator('[data-testid="budget-banner"]');
    await expect.poll(() => banners.count(), { timeout: 15_000 }).toBe(1);
    expect(await banners.textContent()).toContain('"openai monthly"');
  });
});
