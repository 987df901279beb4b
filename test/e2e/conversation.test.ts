// The Conversation tab end to end: real SDK clients (openai, @anthropic-ai/sdk; plain fetch for
// Gemini and Ollama, which have no SDK among our dependencies) send requests with an image, a
// tool call in the history and a tool call in the reply, through the proxy to the fake upstream,
// streamed and not; real Chromium shows them. Each case is screenshotted in light and dark.
import Anthropic from '@anthropic-ai/sdk';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png';
import { startE2e, type E2e } from './harness';

interface PageEl {
  textContent: string | null;
  getAttribute(name: string): string | null;
  naturalWidth?: number;
}
declare const document: {
  body: PageEl;
  querySelector(s: string): PageEl | null;
  querySelectorAll(s: string): PageEl[];
};
declare function getComputedStyle(el: never): { backgroundColor: string };

const run = promisify(execFile);
let e: E2e;
let openai: OpenAI;
let anthropic: Anthropic;

const PNG = makePng(160, 100).toString('base64');
const CALL = { id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Oslo', unit: 'celsius' } };
const behave = (reply: string) => ({ headers: { 'x-fake-behaviour': JSON.stringify({ reply, toolCall: CALL }) } });
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string' } },
    required: ['city'],
  },
};

beforeAll(async () => {
  e = await startE2e();
  openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: `${e.proxyUrl}/anthropic`, apiKey: 'sk-ant-test-not-real', maxRetries: 0 });
  await e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e.uiUrl).origin });
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

async function post(path: string, body: unknown, reply: string): Promise<string> {
  const res = await fetch(`${e.proxyUrl}/openai${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...behave(reply).headers },
    body: JSON.stringify(body),
  });
  return res.text();
}

let logged = 0;

/** Waits for the request to be logged, opens it, and waits for its conversation (known by its model). */
async function openNewest(model: string): Promise<void> {
  logged++;
  await e.page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === n,
    logged,
    { timeout: 10_000 },
  );
  await e.page.locator('[data-testid="request-list"] .list-row[data-key^="r"]').first().dispatchEvent('mousedown');
  await e.page.waitForFunction(
    (m) =>
      document.querySelector('[data-testid="conversation"] [data-testid="params"]')?.textContent?.includes(m) ?? false,
    model,
    { timeout: 10_000 },
  );
}

/** The top of the conversation and its reply, each in light and dark. */
async function shots(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await e.page.emulateMedia({ colorScheme: scheme });
    await e.page.locator('[data-testid="conversation"]').evaluate((el) => el.parentElement?.scrollTo(0, 0));
    await e.screenshot(`conversation-${name}-${scheme}`);
    await e.page.locator('[data-testid="reply"]').scrollIntoViewIfNeeded();
    await e.screenshot(`conversation-${name}-reply-${scheme}`);
  }
  await e.page.emulateMedia({ colorScheme: 'light' });
}

const text = (selector: string) => e.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);

/** The reply's text, its tool call (id and pretty arguments) and finish reason; the image decoded. */
async function expectConversation(o: {
  reply: string;
  callId: string;
  finish: string;
  roles: string[];
  image: boolean;
  resultOf?: string;
}) {
  const conv = '[data-testid="conversation"]';
  await e.page.waitForFunction(
    (r) => document.querySelector('[data-testid="reply"] [data-testid="assistant-message"]')?.textContent === r,
    o.reply,
    { timeout: 10_000 },
  );
  expect(
    await e.page
      .locator(`${conv} [data-testid="message"]`)
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-role'))),
  ).toEqual(o.roles);
  const call = e.page.locator('[data-testid="reply"] [data-testid="tool-call"]');
  expect(await call.getAttribute('data-call-id')).toBe(o.callId);
  expect(await call.locator('pre').innerText()).toBe('{\n  "city": "Oslo",\n  "unit": "celsius"\n}');
  expect(await text('[data-testid="reply"] [data-testid="finish-reason"]')).toBe(o.finish);
  if (o.resultOf) {
    // The earlier call in the history and its result carry the same id; the result names the tool.
    const result = e.page.locator(`${conv} [data-testid="message"] [data-testid="tool-result"]`);
    expect(await result.getAttribute('data-call-id')).toBe(o.resultOf);
    expect(
      await e.page
        .locator(`${conv} [data-testid="message"] [data-testid="tool-call"][data-call-id="${o.resultOf}"]`)
        .count(),
    ).toBe(1);
    expect((await result.locator('.tool-head').textContent())?.replace(/\s+/g, ' ')).toBe(
      `← result of get_weather ${o.resultOf}`,
    );
  }
  if (o.image) {
    // Decoded lazily into a blob: URL, and the browser could draw it (the CSP allows blob: images).
    await e.page.waitForFunction(
      () => {
        const img = document.querySelector('[data-testid="media-image"] img');
        return !!img && (img.getAttribute('src') ?? '').startsWith('blob:') && (img.naturalWidth ?? 0) === 160;
      },
      null,
      { timeout: 10_000 },
    );
    expect(await text('[data-testid="media-image"] figcaption')).toMatch(/^image(\/png)? · [\d.]+ KiB$/);
  }
}

const chatMessages = (question: string): OpenAI.Chat.ChatCompletionMessageParam[] => [
  { role: 'system', content: 'You are a weather assistant. Answer briefly.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: question },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
    ],
  },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_earlier', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_earlier', content: '{"temp_c": 9, "sky": "rain"}' },
];

describe('Conversation tab in Chromium', () => {
  for (const stream of [false, true]) {
    const mode = stream ? 'stream' : 'json';

    it(`OpenAI chat completions (${mode})`, async () => {
      const model = `gpt-4o-e2e-${mode}`;
      const reply = `Rain in Bergen earlier; checking Oslo now (${mode}).`;
      const body = {
        model,
        temperature: 0.2,
        tools: [{ type: 'function' as const, function: weatherTool }],
        messages: chatMessages('Where is this, and what is the weather in Oslo?'),
      };
      if (stream)
        for await (const _ of await openai.chat.completions.create({ ...body, stream: true }, behave(reply))) void _;
      else await openai.chat.completions.create(body, behave(reply));
      await openNewest(model);
      await expectConversation({
        reply,
        callId: CALL.id,
        finish: 'tool_calls',
        roles: ['system', 'user', 'assistant', 'tool'],
        image: true,
        resultOf: 'call_earlier',
      });
      expect(await text('[data-testid="params"]')).toContain('temperature 0.2');
      expect(await text('details.tools > summary')).toBe('Tools (1): get_weather');
      await shots(`openai-chat-${mode}`);
    });

    it(`OpenAI Responses (${mode})`, async () => {
      const model = `o4-mini-e2e-${mode}`;
      const reply = `It looks sunny (${mode}).`;
      const body = {
        model,
        instructions: 'Answer in one sentence.',
        reasoning: { effort: 'low' as const },
        tools: [{ type: 'function' as const, strict: false, ...weatherTool }],
        input: [
          {
            role: 'user' as const,
            content: [
              { type: 'input_text' as const, text: 'What is in the picture?' },
              { type: 'input_image' as const, image_url: `data:image/png;base64,${PNG}`, detail: 'auto' as const },
            ],
          },
          {
            type: 'function_call' as const,
            call_id: 'call_earlier',
            name: 'get_weather',
            arguments: '{"city":"Bergen"}',
          },
          { type: 'function_call_output' as const, call_id: 'call_earlier', output: '{"temp_c": 9}' },
        ],
      };
      if (stream) for await (const _ of await openai.responses.create({ ...body, stream: true }, behave(reply))) void _;
      else await openai.responses.create(body, behave(reply));
      await openNewest(model);
      await expectConversation({
        reply,
        callId: CALL.id,
        finish: 'completed',
        roles: ['system', 'user', 'assistant', 'tool'],
        image: true,
        resultOf: 'call_earlier',
      });
      await shots(`openai-responses-${mode}`);
    });

    it(`Anthropic messages (${mode})`, async () => {
      const model = `claude-sonnet-4-6-e2e-${mode}`;
      const reply = `A sunny sketch (${mode}).`;
      const body = {
        model,
        max_tokens: 300,
        system: 'You describe images and check the weather.',
        tools: [
          {
            name: 'get_weather',
            description: weatherTool.description,
            input_schema: weatherTool.parameters as Anthropic.Tool.InputSchema,
          },
        ],
        messages: [
          {
            role: 'user' as const,
            content: [
              {
                type: 'image' as const,
                source: { type: 'base64' as const, media_type: 'image/png' as const, data: PNG },
              },
              { type: 'text' as const, text: 'What is this?' },
            ],
          },
          {
            role: 'assistant' as const,
            content: [
              { type: 'tool_use' as const, id: 'toolu_earlier', name: 'get_weather', input: { city: 'Bergen' } },
            ],
          },
          {
            role: 'user' as const,
            content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_earlier', content: '9 °C, rain' }],
          },
        ],
      };
      if (stream)
        for await (const _ of await anthropic.messages.create({ ...body, stream: true }, behave(reply))) void _;
      else await anthropic.messages.create(body, behave(reply));
      await openNewest(model);
      await expectConversation({
        reply,
        callId: CALL.id,
        finish: 'tool_use',
        roles: ['system', 'user', 'assistant', 'user'],
        image: true,
        resultOf: 'toolu_earlier',
      });
      await shots(`anthropic-${mode}`);
    });

    it(`Gemini (${mode})`, async () => {
      const model = `gemini-2.5-flash-e2e-${mode}`;
      const reply = `Looks like a sun (${mode}).`;
      const path = `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
      await post(
        path,
        {
          systemInstruction: { parts: [{ text: 'Be brief.' }] },
          contents: [
            { role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] },
          ],
          tools: [{ functionDeclarations: [weatherTool] }],
          generationConfig: { temperature: 0.4 },
        },
        reply,
      );
      await openNewest(model);
      await expectConversation({ reply, callId: CALL.id, finish: 'STOP', roles: ['system', 'user'], image: true });
      await shots(`gemini-${mode}`);
    });

    it(`Ollama chat (${mode})`, async () => {
      const model = `llava-e2e-${mode}`;
      const reply = `A yellow circle (${mode}).`;
      await post(
        '/api/chat',
        {
          model,
          stream,
          tools: [{ type: 'function', function: weatherTool }],
          messages: [{ role: 'user', content: 'What is this?', images: [PNG] }],
        },
        reply,
      );
      await openNewest(model);
      // Ollama's calls carry no id: a call is known by its tool's name.
      await expectConversation({ reply, callId: CALL.name, finish: 'stop', roles: ['user'], image: true });
      await shots(`ollama-chat-${mode}`);
    });
  }

  it('legacy completions and Ollama generate show their prompt and text', async () => {
    await openai.completions.create(
      { model: 'gpt-3.5-turbo-instruct-e2e', prompt: 'Once upon a time', max_tokens: 20 },
      { headers: { 'x-fake-behaviour': JSON.stringify({ reply: 'there was a proxy.' }) } },
    );
    await openNewest('gpt-3.5-turbo-instruct-e2e');
    await e.page.waitForFunction(
      () => document.querySelector('[data-testid="assistant-message"]')?.textContent === 'there was a proxy.',
    );
    expect(await text('[data-testid="message"][data-role="prompt"] .msg-text')).toBe('Once upon a time');
    await post('/api/generate', { model: 'qwen-e2e', system: 'Terse.', prompt: 'Sky colour?', stream: false }, 'Blue.');
    await openNewest('qwen-e2e');
    await e.page.waitForFunction(
      () => document.querySelector('[data-testid="assistant-message"]')?.textContent === 'Blue.',
    );
    await shots('ollama-generate');
  });

  it(
    'moves with j/k, opens with Enter, closes with Esc, ' + 'focuses the filter with / and lists it all under ?',
    async () => {
      await e.page.keyboard.press('Escape');
      await e.page.locator('[data-testid="detail"]').waitFor({ state: 'detached' });
      const selected = () =>
        e.page.evaluate(
          () => document.querySelector('.list-row[aria-selected="true"]')?.getAttribute('data-key') ?? null,
        );
      const keys = await e.page
        .locator('[data-testid="request-list"] .list-row[data-key^="r"]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
      const first = await selected();
      const at = keys.indexOf(first);
      await e.page.keyboard.press('j');
      expect(await selected()).toBe(keys[at + 1]);
      await e.page.keyboard.press('k');
      expect(await selected()).toBe(keys[at]);
      await e.page.keyboard.press('Enter');
      await e.page.locator('[data-testid="conversation"]').waitFor();
      await e.page.keyboard.press('Escape');
      await e.page.locator('[data-testid="detail"]').waitFor({ state: 'detached' });
      await e.page.keyboard.press('?');
      const overlay = e.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      expect(await overlay.innerText()).toMatch(/↓\s+or\s+j\s+Select the next request/);
      await e.screenshot('conversation-shortcuts-light');
      await e.page.keyboard.press('Escape');
      await overlay.waitFor({ state: 'detached' });
      await e.page.keyboard.press('/');
      expect(
        await e.page.evaluate(
          () =>
            (document as unknown as { activeElement: PageEl | null }).activeElement?.getAttribute('aria-label') ?? null,
        ),
      ).toBe('Filter text');
      await e.page.keyboard.press('Escape');
    },
  );

  it('follows the OS theme unless Settings picks one', async () => {
    // An OS switch reaches the page as a media-query change event, at its next frame: waited for.
    const bg = (colour: string) =>
      e.page.waitForFunction((c) => getComputedStyle(document.body as never).backgroundColor === c, colour, {
        timeout: 5_000,
      });
    await e.page.emulateMedia({ colorScheme: 'dark' });
    await bg('rgb(22, 24, 29)');
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    await e.page.getByLabel('Theme').selectOption('light');
    await bg('rgb(255, 255, 255)');
    await e.page.reload();
    // Kept across a reload, whatever the OS says.
    await e.page.waitForSelector('[data-testid="statusbar"]');
    await bg('rgb(255, 255, 255)');
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    await e.page.getByLabel('Theme').selectOption('dark');
    await e.page.emulateMedia({ colorScheme: 'light' });
    await bg('rgb(22, 24, 29)');
    await e.screenshot('conversation-settings-theme-dark');
    await e.page.getByLabel('Theme').selectOption('system');
    await bg('rgb(255, 255, 255)');
    await e.page.getByRole('tab', { name: 'Requests' }).click();
  });

  it('copies a request as TypeScript that runs against the proxy, and as Python that compiles', async () => {
    const model = 'gpt-4o-e2e-copy';
    await openai.chat.completions.create(
      { model, messages: [{ role: 'user', content: 'Say "it\'s copied" back.' }] },
      { headers: { 'x-fake-behaviour': JSON.stringify({ reply: 'copied and run' }) } },
    );
    await openNewest(model);
    const detail = e.page.locator('[data-testid="detail"]');
    const dir = join(process.cwd(), '.tmp', `snippets-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      await detail.getByRole('button', { name: 'Copy as TypeScript' }).click();
      const ts = (await e.page.evaluate('navigator.clipboard.readText()')) as string;
      expect(ts).toContain(`baseURL: "${e.proxyUrl}/openai/v1"`);
      // Inside the repository, so `import OpenAI from 'openai'` resolves; Node runs TypeScript by stripping types.
      writeFileSync(join(dir, 'snippet.ts'), ts);
      const { stdout } = await run(process.execPath, [join(dir, 'snippet.ts')], {
        env: { ...process.env, OPENAI_API_KEY: 'sk-from-env' },
        timeout: 20_000,
      });
      expect(JSON.parse(stdout).choices[0].message.content).toBe('Hello from the fake upstream!');
      // The rerun went through the proxy, so it is logged too.
      await openNewest(model);

      await detail.getByRole('button', { name: 'Copy as Python' }).click();
      const py = (await e.page.evaluate('navigator.clipboard.readText()')) as string;
      expect(py).toContain(`client = OpenAI(base_url="${e.proxyUrl}/openai/v1"`);
      expect(py).toContain('"content": "Say \\"it\'s copied\\" back."');
      writeFileSync(join(dir, 'snippet.py'), py);
      // No openai package for Python here: compiling proves the program is valid Python.
      await run('python3', ['-m', 'py_compile', join(dir, 'snippet.py')], { timeout: 20_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
