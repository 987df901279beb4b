// The filter box in Chromium against `serve`: the filter language parsed as you type, its terms as
// chips that remove themselves, a mistake shown with its column (and nothing asked of the server),
// completions of field names and of the models in the log, and the filter kept in the URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

declare const document: { querySelectorAll(s: string): unknown[] };
declare const location: { hash: string };

let e: E2e;

beforeAll(async () => {
  e = await startE2e();
  for (const [model, stream] of [
    ['gpt-4o-mini', false],
    ['gpt-4o', false],
    ['gpt-4o', true],
    ['claude-sonnet-4-5', false],
  ] as const) {
    const res = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.text();
  }
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

const box = () => e.page.locator('input[aria-label="Filter text"]');
const rowCount = (n: number) =>
  e.page.waitForFunction((n) => document.querySelectorAll('.list-row[data-key]').length === n, n);

describe('the filter box', () => {
  it('parses the language as you type, shows its terms as chips, and keeps it in the URL', async () => {
    await rowCount(4);
    await box().fill('model:gpt* -streaming');
    await rowCount(2);
    expect(await e.page.evaluate(() => location.hash)).toBe('#f=model%3Agpt*+-streaming');
    const chips = e.page.getByRole('group', { name: 'Filter terms' }).getByRole('button');
    expect(await chips.allInnerTexts()).toEqual(['model:gpt* ×', '-streaming ×']);
    await e.screenshot('filter-box-chips');
    await chips.nth(1).click();
    await rowCount(3);
    expect(await box().inputValue()).toBe('model:gpt*');
    await e.page.reload();
    await rowCount(3);
    expect(await box().inputValue()).toBe('model:gpt*');
  });

  it('shows a mistake with its column and keeps the last good filter', async () => {
    await box().fill('model:gpt* cost>abc');
    await expect.poll(() => e.page.getByRole('alert').innerText()).toBe('cost>abc: expected a number at column 17');
    expect(await box().getAttribute('aria-invalid')).toBe('true');
    await e.screenshot('filter-box-error');
    await rowCount(3);
    await box().fill('model:gpt* OR model:claude*');
    await rowCount(4);
  });

  it('completes field names and the values present in the log', async () => {
    await box().fill('stre');
    await expect.poll(() => e.page.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['streaming']);
    await box().fill('model:gpt-4o');
    await expect
      .poll(() => e.page.getByRole('listbox').getByRole('option').allInnerTexts())
      .toEqual(['model:gpt-4o-mini']);
    await e.page.getByRole('option', { name: 'model:gpt-4o-mini' }).click();
    expect(await box().inputValue()).toBe('model:gpt-4o-mini ');
    await rowCount(1);
  });

  it('plain words stay the text search it always was', async () => {
    await box().fill('claude');
    await expect.poll(() => e.page.evaluate(() => location.hash)).toBe('#q=claude');
    await rowCount(1);
    expect(await e.page.locator('.list-row[data-key]').first().innerText()).toContain('claude-sonnet-4-5');
  });

  it('keeps a filter under a name and offers it, with the recent ones, when the box is empty', async () => {
    await box().fill('model:claude* -streaming');
    await rowCount(1);
    await e.page.getByRole('button', { name: 'Save…' }).click();
    await e.page.getByLabel('Name of the saved filter').fill('claude, not streamed');
    await e.page.getByLabel('Name of the saved filter').press('Enter');
    await box().fill('');
    await box().focus();
    const options = e.page.getByRole('listbox', { name: 'Recent filters' }).getByRole('option');
    await expect.poll(() => options.first().innerText()).toBe('★ claude, not streamed: model:claude* -streaming');
    expect(await options.allInnerTexts()).toContain('model:gpt* OR model:claude*');
    await e.screenshot('filter-box-saved');
    await options.first().click();
    expect(await box().inputValue()).toBe('model:claude* -streaming');
  });
});
