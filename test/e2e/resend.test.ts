// Resend and Edit and resend end to end: the official OpenAI SDK streams a request through the
// proxy (whose upstream has no key); in Chromium, Resend asks for a key for this one send, the new
// request streams into the detail while in flight, is logged linked to its original (Resend of #1)
// and opens into the diff. Edit and resend changes the model in its field. Screenshots light and dark.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startE2e, type E2e } from './harness';

interface PageEl {
  textContent: string | null;
}
declare const document: {
  querySelector(s: string): PageEl | null;
  querySelectorAll(s: string): PageEl[];
};

let e: E2e;
const SHOTS = '/tmp/shots-diff';
const KEY = 'sk-pasted-in-the-page-0123456789';

beforeAll(async () => {
  e = await startE2e();
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

async function shot(name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await e.page.emulateMedia({ colorScheme: scheme });
    await e.screenshot(`${name}-${scheme}`);
    copyFileSync(join(SCREENSHOTS, `${name}-${scheme}.png`), join(SHOTS, `${name}-${scheme}.png`));
  }
  await e.page.emulateMedia({ colorScheme: 'light' });
}

const rows = () => e.page.locator('[data-testid="request-list"] .list-row[data-key^="r"]');
const rowCount = (n: number) =>
  e.page.waitForFunction(
    (k) => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === k,
    n,
    { timeout: 15_000 },
  );

describe('resend', () => {
  it(
    'resends a streamed request with a pasted key: live ' + 'in the detail, then the diff; the new row is linked',
    async () => {
      const openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-client-key-abcdef0123456789' });
      const behaviour = { reply: 'one two three four five six seven eight nine ten', chunkDelayMs: 120 };
      const stream = await openai.chat.completions.create(
        { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Count to ten.' }] },
        { headers: { 'x-fake-behaviour': JSON.stringify(behaviour) } },
      );
      for await (const _ of stream);
      await rowCount(1);
      await rows().first().dispatchEvent('mousedown');
      await e.page.getByRole('button', { name: 'Resend', exact: true }).click();
      const dialog = e.page.locator('[data-testid="resend-dialog"]');
      await dialog.locator('[data-testid="resend-left-out"]').waitFor();
      expect(await dialog.locator('[data-testid="resend-left-out"]').textContent()).toBe(
        'Not replayed (redacted at capture): authorization.',
      );
      const send = dialog.getByRole('button', { name: 'Send' });
      expect(await send.isDisabled()).toBe(true);
      await dialog.getByLabel('API key for this send').fill(KEY);
      await shot('resend-dialog');
      await send.click();
      // In flight: the detail shows the reply growing.
      await e.page.locator('[data-testid="detail"] .badge.live').waitFor({ timeout: 10_000 });
      // Logged: the diff against the original opens, saying what was left out.
      const banner = e.page.locator('[data-testid="resend-banner"]');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.textContent()).toBe(
        'Resent #1 through the proxy with the key pasted for this ' +
          'send. Not replayed (redacted at capture): authorization.',
      );
      await e.page.waitForFunction(
        () => document.querySelector('[data-testid="diff-summary"]')?.textContent === 'Messages: 1 same',
      );
      expect(await e.page.locator('[data-testid="diff-reply-b"]').textContent()).toContain('one two three');
      await rowCount(2);
      await shot('resend-diff');
      // The new row names its original.
      await e.page.getByRole('button', { name: 'B #2' }).click();
      await e.page.getByRole('tab', { name: 'Overview' }).click();
      await e.page.locator('[data-testid="replay-of"]').click();
      await e.page.locator('.list-row[data-key="r1"][aria-selected="true"]').waitFor();
      expect(e.upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
      const page = await e.page.content();
      expect(page).not.toContain(KEY);
    },
    60_000,
  );

  it('edit and resend: the model changed in its field, the diff shows the parameter', async () => {
    await rows().nth(1).dispatchEvent('mousedown');
    await e.page.getByRole('button', { name: 'Edit and resend…' }).click();
    const dialog = e.page.locator('[data-testid="resend-dialog"]');
    await dialog.getByLabel('model').fill('gpt-4o');
    expect(await dialog.getByLabel('Request body').inputValue()).toContain('"model": "gpt-4o"');
    await dialog.getByLabel('API key for this send').fill(KEY);
    await shot('edit-resend-dialog');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await e.page.locator('[data-testid="resend-banner"]').waitFor({ timeout: 15_000 });
    await e.page.locator('[data-testid="diff-params"]').waitFor();
    expect(await e.page.locator('[data-testid="diff-params"]').textContent()).toContain('modelgpt-4o-mini→gpt-4o');
    await rowCount(3);
    expect(e.pageErrors()).toEqual([]);
  }, 60_000);
});
