// The README's opening screenshot: the main window with a conversation selected, made from the
// end-to-end setup (the built headless server, the fake upstream, real SDK clients, Chromium), so
// it can be refreshed in one command after a UI change:  npm run screenshot:readme
import Anthropic from '@anthropic-ai/sdk';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startE2e } from '../test/e2e/harness';
import { makePng } from '../test/helpers/png';

const OUT = join(process.cwd(), 'docs', 'main-window.png');
// Header values are bytes: non-ASCII (a dash in a reply) travels \u-escaped inside the JSON.
const behave = (b: Record<string, unknown>) => ({
  headers: {
    'x-fake-behaviour': JSON.stringify(b).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  },
});

const e = await startE2e({ colorScheme: 'light' });
try {
  const openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-readme', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: `${e.proxyUrl}/anthropic`, apiKey: 'sk-ant-readme', maxRetries: 0 });
  // Some traffic around it, so the list looks like a working session.
  await openai.chat.completions.create(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Summarise the release notes.' }] },
    behave({ reply: 'Three fixes and a new export format.', usage: { input: 812, output: 41 } }),
  );
  for await (const _ of await anthropic.messages.create(
    {
      model: 'claude-sonnet-4-6',
      max_tokens: 400,
      stream: true,
      messages: [{ role: 'user', content: 'Draft a reply to the customer.' }],
    },
    behave({ reply: 'Thanks for the report — we have shipped a fix in 2.4.1.', usage: { input: 1530, output: 96 } }),
  ))
    void _;
  await openai.chat.completions
    .create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fail' }] },
      behave({ status: 429, errorMessage: 'Rate limit reached for gpt-4o-mini' }),
    )
    .catch(() => undefined);
  await openai.responses.create(
    { model: 'o4-mini', input: 'Is 2^61-1 prime?', reasoning: { effort: 'medium' } },
    behave({ reply: 'Yes: it is a Mersenne prime.', usage: { input: 24, output: 310, reasoning: 256 } }),
  );

  const photo = makePng(240, 150).toString('base64');
  await openai.chat.completions.create(
    {
      model: 'gpt-4o',
      temperature: 0.2,
      max_completion_tokens: 300,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'You are a travel assistant. Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Where could this have been taken, and what is the weather there now?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${photo}` } },
          ],
        },
      ],
    },
    behave({
      reply: 'A sunset over open water — it looks like the Oslofjord. Let me check the weather there.',
      toolCall: { id: 'call_7Hq2', name: 'get_weather', arguments: { city: 'Oslo' } },
      usage: { input: 1184, output: 38 },
    }),
  );

  const { page } = e;
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === 5,
  );
  await page.locator('[data-testid="request-list"] .list-row[data-key^="r"]').first().dispatchEvent('mousedown');
  await page.locator('[data-testid="reply"] [data-testid="tool-call"]').waitFor();
  await page.waitForFunction(() =>
    (
      (
        globalThis as unknown as {
          document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
        }
      ).document
        .querySelector('[data-testid="media-image"] img')
        ?.getAttribute('src') ?? ''
    ).startsWith('blob:'),
  );
  // The sparkline redraws at most once a second: wait for the one that plots all five.
  await page.locator('[aria-label="Latency of recent requests"][data-points="5"]').waitFor();
  // Let the image and the sparkline paint before the picture is taken.
  const raf = () =>
    page.evaluate(
      () =>
        new Promise<void>((r) =>
          (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r()),
        ),
    );
  await raf();
  await raf();
  await page.screenshot({ path: OUT });
  console.log(`wrote ${OUT} (${Math.round(statSync(OUT).size / 1024)} KiB)`);
} finally {
  await e.stop();
}
