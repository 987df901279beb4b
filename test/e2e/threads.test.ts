// Threads in real Chromium against `serve`, with traffic from the official SDK clients through the
// proxy: an Anthropic conversation grouped by its client session header (one turn with an edited
// system prompt, so its prompt cache missed) and an OpenAI one grouped by shared prefix. The list
// toggles to one line per thread; a line expands into its turns, a turn opens its detail, and a new
// turn updates its line live. The thread view shows cache read/write per turn, each turn's cache
// verdict and the thread's cache account; it splits and merges. A turn's detail reads its cache
// against the real previous turn. Screenshotted light and dark into /tmp/shots-threads-ui.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startE2e, type E2e } from './harness';

let e: E2e;
let openai: OpenAI;
const SHOTS = '/tmp/shots-threads-ui';
const recipes: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'system', content: 'You cook.' }];

async function shots(name: string, widths: number[] = [1280]) {
  for (const width of widths) {
    if (width !== 1280) await e.page.setViewportSize({ width, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      const file = `threads-${name}${width === 1280 ? '' : `-${width}`}-${scheme}`;
      await e.screenshot(file);
      copyFileSync(join(SCREENSHOTS, `${file}.png`), join(SHOTS, `${file}.png`));
    }
  }
  await e.page.setViewportSize({ width: 1280, height: 800 });
  await e.page.emulateMedia({ colorScheme: 'light' });
}

const behave = (b: object) => ({ headers: { 'x-fake-behaviour': JSON.stringify(b) } });

async function recipeTurn(t: number) {
  recipes.push({ role: 'user', content: `recipes question ${t}` });
  const r = await openai.chat.completions.create(
    { model: 'gpt-4o-mini', messages: [...recipes] },
    behave({ reply: `recipes answer ${t}`, usage: { input: 1200 + 100 * t, output: 20, cacheRead: t > 1 ? 1100 : 0 } }),
  );
  recipes.push(r.choices[0]!.message);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  e = await startE2e();
  openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-real', maxRetries: 0 });
  const anthropic = new Anthropic({
    baseURL: `${e.proxyUrl}/anthropic`,
    apiKey: 'sk-ant-test-not-real',
    maxRetries: 0,
    defaultHeaders: { 'x-claude-code-session-id': 'session-weather-1' },
  });
  // A long system prompt with a cache breakpoint; turn 3's carries a new timestamp at its start.
  const rules = 'Answer about the weather in one line, citing the station. '.repeat(80);
  const system = (time: string) => [
    { type: 'text' as const, text: `Now: ${time}. ${rules}`, cache_control: { type: 'ephemeral' as const } },
  ];
  const weather: Anthropic.MessageParam[] = [];
  const usage = [
    { input: 1300, output: 12, cacheWrite: 1250 },
    { input: 1400, output: 12, cacheRead: 1250, cacheWrite: 100 },
    { input: 1500, output: 12, cacheWrite: 1450 },
    { input: 1600, output: 12, cacheRead: 1450, cacheWrite: 100 },
  ];
  for (const [i, u] of usage.entries()) {
    weather.push({ role: 'user', content: `weather question ${i + 1}` });
    const r = await anthropic.messages.create(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 100,
        system: system(i < 2 ? '10:00' : '10:07'),
        messages: [...weather],
      },
      behave({ reply: `weather answer ${i + 1}`, usage: u }),
    );
    weather.push({ role: 'assistant', content: r.content });
  }
  for (const t of [1, 2]) await recipeTurn(t);
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

const lines = () => e.page.locator('[data-testid="thread-list"] .thread-line');
const turnRows = () => e.page.locator('[data-testid="thread-list"] .list-row.turn');

describe('threads', () => {
  it('groups the list by thread: toggle, expand, select a turn, and a new turn updates its line live', async () => {
    const page = e.page;
    await page.locator('[data-testid="request-list"] .list-row[data-key^="r"]').nth(5).waitFor({ timeout: 10_000 });
    await page.getByRole('radio', { name: 'Threads' }).click();
    await expect.poll(() => lines().count(), { timeout: 10_000 }).toBe(2);
    // Most recently active first: recipes (2 turns, OpenAI), then weather (4 turns, Anthropic).
    const turnsOf = (i: number) => lines().nth(i).locator('.cell').nth(2).textContent();
    expect([await turnsOf(0), await turnsOf(1)]).toEqual(['2', '4']);
    expect(await lines().nth(1).textContent()).toContain('header:x-claude-code-session-id');
    await shots('grouped', [1280, 1000]);

    // The filter groups what it matches: only the Anthropic conversation's turns.
    const box = page.locator('input[aria-label="Filter text"]');
    await box.fill('model:claude*');
    await expect.poll(() => lines().count(), { timeout: 10_000 }).toBe(1);
    expect(await turnsOf(0)).toBe('4');
    await box.fill('');
    await box.blur();
    await expect.poll(() => lines().count(), { timeout: 10_000 }).toBe(2);

    await lines().nth(1).dispatchEvent('mousedown');
    await expect.poll(() => turnRows().count()).toBe(4);
    expect(await turnRows().evaluateAll((els) => els.map((el) => el.getAttribute('data-turn')))).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    await turnRows().nth(2).dispatchEvent('mousedown');
    const detail = page.locator('[data-testid="detail"]');
    await detail.waitFor();
    expect(await turnRows().nth(2).getAttribute('aria-selected')).toBe('true');
    await shots('grouped-expanded');
    await page.keyboard.press('Escape');

    // A new turn moves its thread's line up with its new sums, and shows in its expanded turns.
    await lines().nth(0).dispatchEvent('mousedown');
    await expect.poll(() => turnRows().count()).toBe(6);
    await recipeTurn(3);
    await expect.poll(() => turnsOf(0), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => turnRows().count(), { timeout: 10_000 }).toBe(7);
    expect(e.pageErrors()).toEqual([]);
  });

  it('walks the grouped list with the keys: lines and turns, open, close, Enter for detail and timeline', async () => {
    const page = e.page;
    const cursorAt = () =>
      page
        .locator('[data-testid="thread-list"] .list-row.cursor')
        .evaluateAll((els) =>
          els.map((el) => el.getAttribute('data-thread') ?? `turn ${el.getAttribute('data-turn')}`),
        );
    const selectedTurn = () =>
      page.locator('[data-testid="thread-list"] .list-row.turn[aria-selected="true"]').getAttribute('data-turn');
    // Left open by the test above: both threads. A click on the first line closes it and puts the cursor there.
    await expect.poll(() => turnRows().count()).toBe(7);
    const recipes = await lines().nth(0).getAttribute('data-thread');
    const weather = await lines().nth(1).getAttribute('data-thread');
    await lines().nth(0).dispatchEvent('mousedown');
    await expect.poll(() => turnRows().count()).toBe(4);
    expect(await cursorAt()).toEqual([recipes]);

    await page.keyboard.press('ArrowRight'); // opens it
    await expect.poll(() => turnRows().count()).toBe(7);
    await page.keyboard.press('ArrowRight'); // steps into its first turn, which is selected
    expect(await cursorAt()).toEqual(['turn 1']);
    expect(await selectedTurn()).toBe('1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await selectedTurn()).toBe('3');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="detail"]').waitFor();
    await page.keyboard.press('ArrowDown'); // onto the next thread's line; the detail keeps its turn
    expect(await cursorAt()).toEqual([weather]);
    await shots('grouped-keys');
    await page.keyboard.press('ArrowLeft'); // closes it
    await expect.poll(() => turnRows().count()).toBe(3);
    await page.keyboard.press('k');
    expect(await cursorAt()).toEqual(['turn 3']);
    await page.keyboard.press('h'); // back to the turn's line
    expect(await cursorAt()).toEqual([recipes]);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="detail"]').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter'); // a line's Enter opens its timeline
    await page.locator('[data-testid="thread-view"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="thread-view"]').waitFor({ state: 'detached' });
    expect(e.pageErrors()).toEqual([]);
  });

  it('shows a thread on a timeline with cache read/write per turn, verdicts and the cache account', async () => {
    const page = e.page;
    await lines().nth(1).getByRole('button', { name: 'Timeline' }).click();
    const view = page.locator('[data-testid="thread-view"]');
    const rows = view.locator('tbody tr[data-turn]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    expect(await view.locator('.turn-bar').count()).toBe(4);
    const cells = (i: number) => rows.nth(i).locator('td').allTextContents();
    // Turn 2: the gap since turn 1, tokens in / out, cache read 1,250 and write 100, cost.
    const second = await cells(1);
    expect(second.slice(2, 5)).toEqual(['1,400 / 12', '1,250', '100']);
    expect(second[1]).toMatch(/^\d+ ms$/);
    expect(second[5]).toMatch(/^\$0\.\d+$/);
    const summary = view.locator('[data-testid="cache-summary"]');
    await summary.waitFor({ timeout: 15_000 });
    // Written 1,250 + 100 + 1,450 + 100, read back 1,250 + 1,450; turn 3 missed what turn 2 had cached.
    expect(await summary.textContent()).toMatch(/2,900 tokens written to the cache, 2,700 read back/);
    expect(await summary.textContent()).toMatch(/Misses sent 1,400 tokens at full price/);
    const verdicts = view.getByTestId('turn-verdict');
    await expect.poll(() => verdicts.allTextContents()).toEqual(['hit', 'miss', 'hit']);
    await verdicts.nth(1).click();
    const card = view.locator('[data-testid="cache-card"]');
    expect(await card.locator('[data-testid="cache-reasons"]').textContent()).toMatch(
      /system prompt changed at character \d+/,
    );
    await shots('thread-view', [1280, 1000]);

    await rows.nth(2).getByRole('button', { name: 'Split here' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => lines().count(), { timeout: 10_000 }).toBe(3);
    const weather = await lines().nth(2).getAttribute('data-thread');
    await view.getByLabel('Thread id').fill(weather!);
    await view.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => lines().count(), { timeout: 10_000 }).toBe(2);
    await page.keyboard.press('Escape');
    expect(e.pageErrors()).toEqual([]);
  });

  it("reads a turn's cache against the real previous turn in its detail, the provider's report beside", async () => {
    const page = e.page;
    await page.getByRole('radio', { name: 'Requests' }).click();
    const list = page.locator('[data-testid="request-list"] .list-row[data-key^="r"]');
    // Newest first: 3 recipes turns, then weather 4, 3, 2, 1. Weather turn 3 is the miss.
    await list.nth(4).dispatchEvent('mousedown');
    const detail = page.locator('[data-testid="detail"]');
    await detail.getByRole('tab', { name: 'Cache' }).click();
    const card = detail.locator('[data-testid="cache-card"]');
    await card.waitFor({ timeout: 15_000 });
    const ids = await list.evaluateAll((els) => els.map((el) => el.getAttribute('data-key')!.slice(1)));
    expect(await card.locator('.section-title').textContent()).toContain(`#${ids[4]} after #${ids[5]}`);
    expect(await card.getByTestId('cache-verdict').textContent()).toBe('cache miss');
    expect(await card.getByTestId('cache-reasons').textContent()).toMatch(/system prompt changed/);
    expect(await card.getByTestId('cache-provider').textContent()).toContain('response carried no cache details');
    await shots('detail-cache');
    await detail.getByRole('tab', { name: 'Overview' }).click();
    expect(await detail.getByTestId('open-thread').textContent()).toMatch(/turn 3/);

    // An OpenAI turn: the provider's own cache figures (prompt_tokens_details) beside ours.
    await list.nth(0).dispatchEvent('mousedown');
    await detail.getByRole('tab', { name: 'Cache' }).click();
    await expect
      .poll(() => card.getByTestId('cache-provider').textContent(), { timeout: 15_000 })
      .toContain('prompt_tokens_details');
    await shots('detail-cache-openai');
    await detail.getByRole('tab', { name: 'Overview' }).click();
    await detail.getByTestId('open-thread').click();
    await page.locator('[data-testid="thread-view"] tbody tr[data-turn]').nth(2).waitFor();
    expect(e.pageErrors()).toEqual([]);
  });
});
