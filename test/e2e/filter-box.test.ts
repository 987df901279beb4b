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

describe('the shortcuts beside the box write terms into it', () => {
  const select = (name: string) => e.page.locator(`select[aria-label="${name}"]`);
  const shown = (name: string) =>
    select(name).evaluate(
      (el: { selectedOptions: { textContent: string | null }[] }) => el.selectedOptions[0]?.textContent,
    );
  const chip = (name: string) => e.page.getByRole('group', { name: 'Status' }).getByRole('button', { name });
  const hashQuery = () => e.page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('f'));

  it('choosing a value writes its term beside the text and filters the list', async () => {
    await box().fill('-streaming');
    await rowCount(3);
    await select('Model').focus();
    await e.page.waitForFunction(() => document.querySelectorAll('select[aria-label="Model"] option').length === 4);
    await select('Model').selectOption('gpt-4o');
    expect(await box().inputValue()).toBe('-streaming model:gpt-4o');
    await rowCount(1);
    expect(await shown('Model')).toBe('Model: gpt-4o');
    await chip('2xx').click();
    await chip('5xx').click();
    expect(await box().inputValue()).toBe('-streaming model:gpt-4o (status:2xx OR status:5xx)');
    expect(await chip('2xx').getAttribute('aria-pressed')).toBe('true');
    await rowCount(1);
    await select('Time range').selectOption('1h');
    expect(await box().inputValue()).toBe('-streaming model:gpt-4o (status:2xx OR status:5xx) since:1h');
    // The text is the one filter: the URL holds it and nothing else.
    await expect.poll(hashQuery).toBe('-streaming model:gpt-4o (status:2xx OR status:5xx) since:1h');
    expect(await e.page.evaluate(() => location.hash)).not.toMatch(/model=|status=|last=/);
    await e.screenshot('filter-shortcuts');
    // Choosing again replaces the term in its place; "any" removes it.
    await select('Model').selectOption('gpt-4o-mini');
    expect(await box().inputValue()).toBe('-streaming model:gpt-4o-mini (status:2xx OR status:5xx) since:1h');
    await rowCount(1);
    await chip('2xx').click();
    await chip('5xx').click();
    await select('Time range').selectOption('');
    await select('Model').selectOption('');
    expect(await box().inputValue()).toBe('-streaming');
    await rowCount(3); // Plain words are one phrase: quoted when a term joins them, so they keep meaning that phrase.
    await box().fill('gpt 4o');
    await select('Streamed').selectOption('0');
    expect(await box().inputValue()).toBe('"gpt 4o" -streaming');
    await box().fill('-streaming');
    await rowCount(3);
  });

  it('editing the text updates the shortcuts, which say when the box holds more than they can show', async () => {
    await box().fill('model:gpt-4o streaming');
    await rowCount(1);
    expect(await select('Model').inputValue()).toBe('gpt-4o');
    expect(await select('Streamed').inputValue()).toBe('1');
    await box().fill('(model:gpt-4o OR model:claude-sonnet-4-5) status>=200');
    await rowCount(3);
    expect(await shown('Model')).toBe('Model: in the box');
    expect(await e.page.getByRole('group', { name: 'Status' }).getAttribute('class')).toContain('in-box');
    expect(await select('Streamed').inputValue()).toBe('');
    await e.screenshot('filter-shortcuts-in-box');
    // A chip replaces the status terms it could not show; the rest stays as typed.
    await chip('2xx').click();
    expect(await box().inputValue()).toBe('(model:gpt-4o OR model:claude-sonnet-4-5) status:2xx');
    await rowCount(3);
  });

  it('removing a chip updates the box and the shortcut', async () => {
    await box().fill('model:gpt-4o -streaming');
    await rowCount(1);
    expect(await select('Model').inputValue()).toBe('gpt-4o');
    await e.page
      .getByRole('group', { name: 'Filter terms' })
      .getByRole('button', { name: 'model:gpt-4o', exact: true })
      .click();
    expect(await box().inputValue()).toBe('-streaming');
    await rowCount(3);
    expect(await select('Model').inputValue()).toBe('');
    expect(await select('Streamed').inputValue()).toBe('0');
    await e.page
      .getByRole('group', { name: 'Filter terms' })
      .getByRole('button', { name: '-streaming', exact: true })
      .click();
    expect(await box().inputValue()).toBe('');
    await rowCount(4);
    expect(await select('Streamed').inputValue()).toBe('');
  });

  it('"bodies" writes the words as words-or-body-words, and back', async () => {
    const bodies = e.page.getByRole('checkbox', { name: 'bodies' });
    await box().fill('model:gpt-4o');
    await rowCount(2);
    expect(await bodies.isDisabled()).toBe(true);
    // "hi" is in every request body and in no column.
    await box().fill('hi');
    await e.page.getByRole('heading', { name: 'No requests match this filter' }).waitFor();
    await bodies.check();
    expect(await box().inputValue()).toBe('"hi" OR body:"hi"');
    await rowCount(4);
    await expect.poll(hashQuery).toBe('"hi" OR body:"hi"');
    await bodies.uncheck();
    expect(await box().inputValue()).toBe('hi');
    await e.page.getByRole('heading', { name: 'No requests match this filter' }).waitFor();
    await box().fill('');
    await rowCount(4);
  });

  it('waits while the text has a mistake, showing the last good filter', async () => {
    await box().fill('model:gpt-4o cost>abc');
    await expect.poll(() => select('Provider').isDisabled()).toBe(true);
    expect(await chip('4xx').isDisabled()).toBe(true);
    await box().fill('');
    await expect.poll(() => select('Provider').isDisabled()).toBe(false);
  });
});
