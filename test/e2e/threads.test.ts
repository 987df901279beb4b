// The Threads tab in real Chromium against `serve`: two conversations sent with the official OpenAI
// SDK through the proxy show as two grouped lines; one opens on its turns (timeline, tokens, cost,
// cache, gap), is split at a turn and merged back, and the choice shows at once. Screenshotted
// light and dark into /tmp/shots-threads.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startE2e, type E2e } from './harness';

let e: E2e;
const SHOTS = '/tmp/shots-threads';

async function shots(name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await e.page.emulateMedia({ colorScheme: scheme });
    await e.screenshot(`threads-${name}-${scheme}`);
    copyFileSync(join(SCREENSHOTS, `threads-${name}-${scheme}.png`), join(SHOTS, `threads-${name}-${scheme}.png`));
  }
  await e.page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  e = await startE2e();
  const openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-real', maxRetries: 0 });
  for (const topic of ['weather', 'recipes']) {
    const history: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are helpful.' },
    ];
    for (let t = 1; t <= (topic === 'weather' ? 4 : 2); t++) {
      history.push({ role: 'user', content: `${topic} question ${t}` });
      e.upstream.behave({
        reply: `${topic} answer ${t}`,
        usage: { input: 100 * t, output: 20, cacheRead: 80 * (t - 1) },
      });
      const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [...history] });
      history.push(r.choices[0]!.message);
    }
  }
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

describe('Threads tab', () => {
  it('groups the list by thread, opens a thread on its turns, splits and merges it', async () => {
    const page = e.page;
    await page.getByRole('tab', { name: 'Threads' }).click();
    const lines = page.locator('[data-testid="threads-page"] .thread-line');
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(2);
    // Most recently active first: the recipes conversation (2 turns), then the weather one (4).
    expect(await lines.nth(0).locator('td').nth(2).textContent()).toBe('2');
    expect(await lines.nth(1).locator('td').nth(2).textContent()).toBe('4');
    await shots('grouped');

    await lines.nth(1).click();
    const view = page.locator('[data-testid="thread-view"]');
    await view.locator('tbody tr').nth(3).waitFor();
    expect(await view.locator('tbody tr').count()).toBe(4);
    expect(await view.locator('.turn-bar').count()).toBe(4);
    expect(await view.locator('tbody tr').nth(1).textContent()).toContain('prefix:2');
    await shots('thread-view');

    await view.locator('tbody tr').nth(2).getByRole('button', { name: 'Split here' }).click();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(3);
    // The split-off part (turns 3 and 4 of weather) is open now; merge it back.
    await expect.poll(() => view.locator('tbody tr').count()).toBe(2);
    const weather = await lines.nth(2).getAttribute('data-thread');
    await view.getByLabel('Thread id').fill(weather!);
    await view.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => view.locator('tbody tr').count()).toBe(4);
    expect(e.pageErrors()).toEqual([]);
  });
});
