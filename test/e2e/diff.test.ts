// The diff of two requests end to end: the official OpenAI SDK sends two turns of an agent through
// the proxy; in Chromium, selecting one and Ctrl-clicking the other (or Compare… in the detail, then
// a click) shows the system prompt's change, the added messages, the changed parameter and both
// replies. Screenshotted light and dark.
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

beforeAll(async () => {
  e = await startE2e();
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

async function shot(name: string) {
  await e.screenshot(name);
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(SHOTS, `${name}.png`));
}

const rows = () => e.page.locator('[data-testid="request-list"] .list-row[data-key^="r"]');

describe('diff view', () => {
  it('compares two turns: system prompt, messages, parameters and replies', async () => {
    const openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
    const system = (t: string) => `You are a weather bot. The time is ${t}. Answer in one line.`;
    // Usage as OpenAI reports it (prompt_tokens_details.cached_tokens): the second turn read nothing.
    const reply = (text: string, usage: object) => ({
      headers: { 'x-fake-behaviour': JSON.stringify({ reply: text, usage }) },
    });
    await openai.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        temperature: 0,
        messages: [
          { role: 'system', content: system('10:00') },
          { role: 'user', content: 'Weather in Paris?' },
        ],
      },
      reply('Paris: 18°C and sunny.', { input: 2000, output: 8 }),
    );
    await openai.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        temperature: 0.7,
        messages: [
          { role: 'system', content: system('10:05') },
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: 'Paris: 18°C and sunny.' },
          { role: 'user', content: 'And in Rome?' },
        ],
      },
      reply('Rome: 24°C, clear.', { input: 2100, output: 6, cacheRead: 0 }),
    );
    await e.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === 2,
      undefined,
      { timeout: 10_000 },
    );
    await rows().nth(1).dispatchEvent('mousedown');
    await rows().nth(0).dispatchEvent('mousedown', { ctrlKey: true });
    const diff = e.page.locator('[data-testid="diff"]');
    await diff.locator('[data-testid="diff-summary"]').waitFor({ timeout: 15_000 });
    expect(await diff.locator('[data-testid="diff-summary"]').textContent()).toBe(
      'Messages: 1 same, 1 changed, 2 added · 1 parameter changed',
    );
    // The system message changed in place: its character diff names the minute.
    const changed = diff.locator('[data-testid="diff-msg-changed"]');
    expect(await changed.locator('.d-del').allTextContents()).toEqual(['0']);
    expect(await changed.locator('.d-add').allTextContents()).toEqual(['5']);
    expect(await diff.locator('[data-testid="diff-msg-added"]').count()).toBe(2);
    expect(await diff.locator('[data-testid="diff-params"]').textContent()).toContain('temperature0→0.7');
    expect(await diff.locator('[data-testid="diff-reply-a"]').textContent()).toContain('Paris: 18°C');
    expect(await diff.locator('[data-testid="diff-reply-b"]').textContent()).toContain('Rome: 24°C');
    // The cache card: #2 read nothing of #1's 2 000-token prompt, because its system prompt changed.
    expect(await diff.locator('[data-testid="cache-verdict"]').textContent()).toBe('cache miss');
    expect(await diff.locator('[data-testid="cache-reasons"]').textContent()).toMatch(
      /^system prompt changed at character 39: a timestamp/,
    );
    await shot('diff-light');
    await e.page.emulateMedia({ colorScheme: 'dark' });
    await shot('diff-dark');
    await e.page.emulateMedia({ colorScheme: 'light' });

    // Swap, then close: back to the list; Compare… in the detail picks the other side with a click.
    await diff.getByRole('button', { name: '⇄ Swap' }).click();
    await e.page.waitForFunction(
      () => document.querySelector('[data-testid="diff-summary"]')?.textContent?.includes('2 removed') ?? false,
    );
    await e.page.keyboard.press('Escape');
    await diff.waitFor({ state: 'detached' });
    await rows().nth(0).dispatchEvent('mousedown');
    await e.page.getByRole('button', { name: 'Compare…' }).click();
    await e.page.locator('[data-testid="compare-pick"]').waitFor();
    await rows().nth(1).dispatchEvent('mousedown');
    await e.page.locator('[data-testid="diff-summary"]').waitFor();
    expect(await e.page.locator('[data-testid="diff-summary"]').textContent()).toContain('2 added');
    expect(e.pageErrors()).toEqual([]);
  }, 60_000);
});
