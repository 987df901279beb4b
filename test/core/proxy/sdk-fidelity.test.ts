// The official clients get the same results through the proxy as direct, and each request's
// row holds the right model, tokens, cost, status and timings.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const openai = (baseURL: string) => new OpenAI({ apiKey: 'sk-test-key', baseURL: `${baseURL}/v1`, maxRetries: 0 });
const anthropic = (baseURL: string) => new Anthropic({ apiKey: 'sk-ant-test', baseURL, maxRetries: 0 });

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('OpenAI chat completions', () => {
  const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say hello' }] };

  it('non-streamed: same completion, row with usage and cost', async () => {
    const direct = await openai(h.upstream.url).chat.completions.create(params);
    const proxied = await openai(h.url).chat.completions.create(params);
    expect(proxied).toEqual(direct);
    const [row] = await h.rows();
    expect(row).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'gpt-4o-mini',
      provider: 'fake',
      status: 200,
      success: true,
      streaming: false,
      inputTokens: 12,
      outputTokens: 5,
      tokensEstimated: false,
      finishReason: 'stop',
      errorStatus: null,
    });
    expect(row?.cost).toBeGreaterThan(0);
    expect(row?.latencyMs).toBeGreaterThan(0);
    expect(row?.ttfbMs).toBeGreaterThan(0);
    expect(row?.ttfbMs).toBeLessThanOrEqual(row?.latencyMs ?? 0);
  });

  it('streamed without include_usage: identical chunks, usage still logged', async () => {
    const direct = await collect(await openai(h.upstream.url).chat.completions.create({ ...params, stream: true }));
    const proxied = await collect(await openai(h.url).chat.completions.create({ ...params, stream: true }));
    expect(proxied).toEqual(direct);
    expect(proxied.some((c) => c.usage != null)).toBe(false);
    // The proxy asked the upstream for usage on the client's behalf.
    expect((h.upstream.requests[1]?.json as { stream_options?: unknown }).stream_options).toEqual({
      include_usage: true,
    });
    const [row] = await h.rows();
    expect(row).toMatchObject({
      model: 'gpt-4o-mini',
      streaming: true,
      success: true,
      inputTokens: 12,
      outputTokens: 5,
      tokensEstimated: false,
      finishReason: 'stop',
    });
    expect(row?.streamDurationMs).not.toBeNull();
  });

  it('streamed with include_usage: the client keeps its usage chunk', async () => {
    const req = { ...params, stream: true as const, stream_options: { include_usage: true } };
    const direct = await collect(await openai(h.upstream.url).chat.completions.create(req));
    const proxied = await collect(await openai(h.url).chat.completions.create(req));
    expect(proxied).toEqual(direct);
    expect(proxied.at(-1)?.usage?.prompt_tokens).toBe(12);
  });

  it('with injection turned off, an OpenAI stream without usage is estimated', async () => {
    await h.proxy.reconfigure({ ...h.settings, injectStreamUsage: false });
    await collect(await openai(h.url).chat.completions.create({ ...params, stream: true }));
    expect((h.upstream.requests[0]?.json as { stream_options?: unknown }).stream_options).toBeUndefined();
    const [row] = await h.rows();
    expect(row).toMatchObject({ success: true, tokensEstimated: true });
    expect(row?.inputTokens).toBeGreaterThan(0);
    expect(row?.outputTokens).toBeGreaterThan(0);
  });
});

describe('OpenAI responses and legacy completions', () => {
  it('responses, streamed and not', async () => {
    const params = { model: 'gpt-4.1-mini', input: 'Say hello' };
    expect(await openai(h.url).responses.create(params)).toEqual(await openai(h.upstream.url).responses.create(params));
    const direct = await collect(await openai(h.upstream.url).responses.create({ ...params, stream: true }));
    const proxied = await collect(await openai(h.url).responses.create({ ...params, stream: true }));
    expect(proxied).toEqual(direct);
    const rows = await h.rows();
    expect(rows.map((r) => [r.path, r.streaming, r.inputTokens, r.outputTokens, r.success])).toEqual([
      ['/v1/responses', false, 12, 5, true],
      ['/v1/responses', true, 12, 5, true],
    ]);
  });

  it('legacy completions, streamed', async () => {
    const params = { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello', stream: true as const };
    const direct = await collect(await openai(h.upstream.url).completions.create(params));
    const proxied = await collect(await openai(h.url).completions.create(params));
    expect(proxied).toEqual(direct);
    const [row] = await h.rows();
    expect(row).toMatchObject({ model: 'gpt-3.5-turbo-instruct', inputTokens: 12, outputTokens: 5, streaming: true });
  });
});

describe('Anthropic messages', () => {
  const params = {
    model: 'claude-sonnet-4-20250514',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'Say hello' }],
  };

  it('non-streamed and streamed: same results; cached tokens counted in input', async () => {
    h.upstream.behave({ usage: { input: 100, output: 5, cacheRead: 60, cacheWrite: 20 } });
    expect(await anthropic(h.url).messages.create(params)).toEqual(
      await anthropic(h.upstream.url).messages.create(params),
    );
    const direct = await collect(await anthropic(h.upstream.url).messages.create({ ...params, stream: true }));
    const proxied = await collect(await anthropic(h.url).messages.create({ ...params, stream: true }));
    expect(proxied).toEqual(direct);
    const rows = await h.rows();
    for (const row of rows) {
      expect(row).toMatchObject({
        provider: 'fake',
        model: 'claude-sonnet-4-20250514',
        inputTokens: 100,
        cacheReadTokens: 60,
        cacheWriteTokens: 20,
        outputTokens: 5,
        success: true,
        finishReason: 'end_turn',
      });
      expect(row.cost).toBeGreaterThan(0);
    }
    expect(rows.map((r) => r.streaming)).toEqual([false, true]);
  });
});

describe('Gemini and Ollama (plain fetch)', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('gemini generateContent, SSE stream and JSON-array stream', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };
    for (const path of [
      '/v1beta/models/gemini-2.0-flash:generateContent',
      '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
      '/v1beta/models/gemini-2.0-flash:streamGenerateContent',
    ]) {
      const directRes = await post(h.upstream.url + path, body);
      const proxiedRes = await post(h.url + path, body);
      expect([proxiedRes.status, proxiedRes.headers.get('content-type')]).toEqual([
        200,
        directRes.headers.get('content-type'),
      ]);
      expect(await proxiedRes.text()).toBe(await directRes.text());
    }
    const rows = await h.rows();
    expect(rows.map((r) => [r.model, r.inputTokens, r.outputTokens, r.streaming])).toEqual([
      ['gemini-2.0-flash', 12, 5, false],
      ['gemini-2.0-flash', 12, 5, true],
      ['gemini-2.0-flash', 12, 5, true],
    ]);
  });

  it('ollama chat (NDJSON stream) and generate (non-streamed)', async () => {
    const chat = await post(`${h.url}/api/chat`, {
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(chat.headers.get('content-type')).toBe('application/x-ndjson');
    expect((await chat.text()).trim().split('\n')).toHaveLength(6);
    const gen = await post(`${h.url}/api/generate`, { model: 'llama3.2', prompt: 'Say hello', stream: false });
    expect(((await gen.json()) as { response: string }).response).toBe('Hello from the fake upstream!');
    const rows = await h.rows();
    expect(rows.map((r) => [r.path, r.model, r.inputTokens, r.outputTokens, r.streaming, r.success])).toEqual([
      ['/api/chat', 'llama3.2', 12, 5, true, true],
      ['/api/generate', 'llama3.2', 12, 5, false, true],
    ]);
  });
});
