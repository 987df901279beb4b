// Sorting the request list by a column, in real Chromium against `serve`: the header toggles the
// order (arrow shown), the order survives a reload through the URL hash, requests arriving under
// a non-time order are counted ("N new — re-sort") instead of moving the rows, and the column
// menu's choices persist. Screenshots: 09-sorted-by-output, 10-sorted-new-rows, 11-column-menu.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

let e: E2e;
let openai: OpenAI;

const OUTPUTS = [40, 7, 300, 12, 95, 3];

beforeAll(async () => {
  e = await startE2e();
  openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
  for (const [i, output] of OUTPUTS.entries()) {
    await openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] },
      { headers: { 'x-fake-behaviour': JSON.stringify({ usage: { input: 10 + i, output } }) } },
    );
  }
  // A failed request has no output tokens: unknown values sort last in either direction.
  await openai.chat.completions
    .create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fail' }] },
      { headers: { 'x-fake-behaviour': JSON.stringify({ status: 500, errorMessage: 'boom' }) } },
    )
    .catch(() => undefined);
  await e.page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('.list-row[data-key^="r"]').length === 7,
    null,
    { timeout: 15_000 },
  );
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

/** The Out column of the rows, top to bottom, as shown. */
const outColumn = () => e.page.locator('[data-testid="request-list"] .list-row[data-key] .cell.out').allInnerTexts();
const header = (name: string) =>
  e.page.locator('.list-head [role="columnheader"]', { has: e.page.getByRole('button', { name, exact: true }) });

describe('sorting the list', () => {
  it('sorts by a column from its header, largest first, then the other way', async () => {
    await e.page.getByRole('button', { name: 'Out', exact: true }).click();
    await expect.poll(outColumn).toEqual(['300', '95', '40', '12', '7', '3', '—']);
    expect(await header('Out').getAttribute('aria-sort')).toBe('descending');
    expect(await header('Time').getAttribute('aria-sort')).toBeNull();
    expect(await e.page.evaluate('location.hash')).toContain('sort=outputTokens.desc');
    await e.screenshot('09-sorted-by-output');

    await e.page.getByRole('button', { name: 'Out', exact: true }).click();
    await expect.poll(outColumn).toEqual(['3', '7', '12', '40', '95', '300', '—']);
    expect(await header('Out').getAttribute('aria-sort')).toBe('ascending');
  });

  it('keeps the order across a reload, with a filter beside it in the hash', async () => {
    await e.page.evaluate(`location.hash = location.hash + '&model=gpt-4o-mini'`);
    await e.page.reload();
    await expect.poll(outColumn).toEqual(['3', '7', '12', '40', '95', '300', '—']);
    expect(await header('Out').getAttribute('aria-sort')).toBe('ascending');
  });

  it('counts requests that arrive under a sort instead of moving the rows, and re-sorts on request', async () => {
    const before = await outColumn();
    await openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'late' }] },
      { headers: { 'x-fake-behaviour': JSON.stringify({ usage: { input: 1, output: 5 } }) } },
    );
    const pill = e.page.getByRole('button', { name: '1 new — re-sort' });
    await pill.waitFor({ timeout: 10_000 });
    expect(await outColumn()).toEqual(before);
    await e.screenshot('10-sorted-new-rows');
    await pill.click();
    await expect.poll(outColumn).toEqual(['3', '5', '7', '12', '40', '95', '300', '—']);
    expect(await pill.count()).toBe(0);
  });

  it('goes back to newest first from the Time header', async () => {
    await e.page.getByRole('button', { name: 'Time', exact: true }).click();
    expect(await header('Time').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(outColumn).toEqual(['5', '—', '3', '95', '12', '300', '7', '40']);
    expect(await e.page.evaluate('location.hash')).not.toContain('sort=');
  });

  it('hides and reorders columns from the menu, and the choice outlives a reload', async () => {
    const headers = async () =>
      (await e.page.locator('.list-head [role="columnheader"]').allInnerTexts()).map((h) => h.toLowerCase());
    await e.page.getByRole('button', { name: 'Columns' }).click();
    await e.page.getByRole('menu').getByRole('checkbox', { name: 'Policy', exact: true }).uncheck();
    await e.page.getByRole('button', { name: 'Move Cost left' }).click();
    await e.screenshot('11-column-menu');
    await e.page.keyboard.press('Escape');
    const chosen = await headers();
    expect(chosen).not.toContain('policy');
    expect(chosen.slice(chosen.indexOf('cost'), chosen.indexOf('cost') + 2)).toEqual(['cost', 'out']);
    await e.page.reload();
    await e.page.locator('.list-row[data-key]').first().waitFor();
    expect(await headers()).toEqual(chosen);
  });
});
