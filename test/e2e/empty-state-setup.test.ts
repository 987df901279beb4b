// The empty state's copyable lines are a newcomer's first step: each one is copied from the page the
// way a user copies it (the Copy button, then the clipboard), handed to the official SDK it names,
// and must reach the upstream it was shown for. `npm run serve -- --upstream URL` mounts URL at /,
// which is where a wrong line would send the first request to a 404.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

declare const navigator: { clipboard: { readText(): Promise<string> } };

let e: E2e;
/** Every line as the clipboard held it after its Copy button; taken once, before any request empties the state. */
let copied: string[];

beforeAll(async () => {
  // As in the README: one upstream at the root, one named; plus an OpenAI-compatible upstream whose
  // base URL already ends in /v1 (as Ollama's or a gateway's does).
  e = await startE2e({ upstreams: (url) => [url, `anthropic=${url}`, `local=${url}/v1`] });
  await e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e.uiUrl).origin });
  copied = await copyEveryLine();
  await e.screenshot('empty-state-root-mount');
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

/** Clicks the Copy button of every setup line and returns what landed on the clipboard, in order. */
async function copyEveryLine(): Promise<string[]> {
  await e.page.waitForSelector('[data-testid="empty-state"] .copyline');
  const buttons = e.page.locator('[data-testid="empty-state"] .copyline button');
  const copied: string[] = [];
  for (let i = 0; i < (await buttons.count()); i++) {
    await buttons.nth(i).click();
    await e.page.locator('.toast', { hasText: 'Copied' }).waitFor();
    copied.push(await e.page.evaluate(() => navigator.clipboard.readText()));
  }
  return copied;
}

describe('empty state setup lines', () => {
  it('gives a base URL per upstream that the official SDK can use as copied', async () => {
    const env = copied.filter((line) => /^[A-Z_]+_BASE_URL=/.test(line));
    // Three upstreams, three lines: none is left out.
    expect(env).toHaveLength(3);
    for (const line of env) {
      const [name, baseURL] = line.split(/=(.*)/s) as [string, string];
      const arrived = e.upstream.nextRequest();
      if (name === 'ANTHROPIC_BASE_URL') {
        const client = new Anthropic({ baseURL, apiKey: 'sk-ant-test-not-real', maxRetries: 0 });
        const reply = await client.messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 20,
          messages: [{ role: 'user', content: 'hi' }],
        });
        expect(reply.type).toBe('message');
        expect((await arrived).url).toBe('/v1/messages');
      } else {
        expect(name).toBe('OPENAI_BASE_URL');
        const client = new OpenAI({ baseURL, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
        const reply = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        });
        expect(reply.object).toBe('chat.completion');
        expect((await arrived).url).toBe('/v1/chat/completions');
      }
    }
    expect(env).toContain(`OPENAI_BASE_URL=${e.proxyUrl}/v1`);
  });

  it('gives a curl line whose URL reaches the upstream', async () => {
    const curl = copied.find((line) => line.startsWith('curl '));
    const url = /^curl (\S+)/.exec(curl ?? '')?.[1];
    expect(url).toBeDefined();
    const arrived = e.upstream.nextRequest();
    const res = await fetch(url!, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(res.status).toBe(200);
    expect((await arrived).url).toBe('/v1/chat/completions');
  });
});
