// What is logged: decoded bodies of compressed responses (the client gets the original bytes),
// SSE split anywhere, bodies over the cap, and secrets that never reach the database.
import Anthropic from '@anthropic-ai/sdk';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const claude = { model: 'claude-sonnet-4-20250514', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };

describe('compressed responses', () => {
  for (const compress of ['gzip', 'br', 'deflate'] as const) {
    it(`${compress}: client bytes identical to direct, log decoded, usage parsed (streamed and not)`, async () => {
      h = await startHarness({ upstream: { compress, chunkDelayMs: 2 } });
      for (const stream of [false, true]) {
        const opts = {
          headers: { 'content-type': 'application/json', 'accept-encoding': compress },
          body: JSON.stringify({ ...claude, stream }),
        };
        const direct = await rawRequest(`${h.upstream.url}/v1/messages`, opts);
        const proxied = await rawRequest(`${h.url}/v1/messages`, opts);
        expect(proxied.headers['content-encoding']).toBe(compress);
        expect(proxied.body.equals(direct.body)).toBe(true);
      }
      const rows = await h.rows();
      expect(rows.map((r) => [r.streaming, r.inputTokens, r.outputTokens, r.success])).toEqual([
        [false, 12, 5, true],
        [true, 12, 5, true],
      ]);
      for (const row of rows) expect(h.store.getRequest(row.id)?.exchange.responseBody).toContain(' upstream!');
    });
  }
});

it('SSE lines split across chunks at every few bytes parse the same', async () => {
  h = await startHarness({ upstream: { splitBytes: 7, chunkDelayMs: 1, usage: { input: 30, output: 7 } } });
  const client = new Anthropic({ apiKey: 'k', baseURL: h.url, maxRetries: 0 });
  const message = await client.messages
    .stream({ ...claude, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage();
  expect(message.content).toEqual(
    [{ type: 'text', text: 'Hello from the fake upstream!', citations: undefined }].map(({ type, text }) => ({
      type,
      text,
    })),
  );
  const [row] = await h.rows();
  expect(row).toMatchObject({
    streaming: true,
    inputTokens: 30,
    outputTokens: 7,
    success: true,
    finishReason: 'end_turn',
  });
});

it('bodies over the cap are proxied in full and logged truncated', async () => {
  h = await startHarness({ settings: { captureMaxBytes: 1024 } });
  const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(300_000) }] });
  const res = await rawRequest(`${h.url}/echo`, { headers: { 'content-type': 'application/json' }, body: big });
  expect(res.body.toString()).toBe(big);
  expect(h.upstream.requests[0]?.body.length).toBe(big.length);
  const [row] = await h.rows();
  const detail = h.store.getRequest(row!.id)!;
  expect(detail.exchange).toMatchObject({ requestBodyTruncated: true, responseBodyTruncated: true });
  expect(detail.exchange.requestBody).toBe(big.slice(0, 1024));
  expect(detail.exchange.responseBody).toBe(big.slice(0, 1024));
  // Too large to read before forwarding, yet its size is still logged: counted as it streamed through.
  expect(row).toMatchObject({
    success: true,
    requestBytes: big.length,
    responseBytes: big.length,
    model: 'gpt-4o-mini',
  });
});

it("redaction: the API keys' bytes appear nowhere in the database or its WAL", async () => {
  const injected = 'sk-injected-0123456789abcdefSECRET';
  const clientKey = 'sk-client-0123456789abcdefSECRET2';
  h = await startHarness({ settings: { redactHeaders: ['X-Team-Token'] } });
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [{ name: 'fake', baseUrl: h.upstream.url, mount: '/', apiKey: injected }],
  });
  const res = await rawRequest(`${h.url}/v1/chat/completions?key=${clientKey}`, {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${clientKey}`,
      cookie: `session=${clientKey}`,
      'x-team-token': clientKey,
      'x-portkey-api-key': clientKey,
    },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  // The upstream got the injected key in place of the client's dummy.
  expect(h.upstream.requests[0]?.headers.authorization).toBe(`Bearer ${injected}`);
  const [row] = await h.rows();
  const detail = h.store.getRequest(row!.id)!;
  expect(detail.exchange.requestHeaders.authorization).toBe('Bearer [redacted …RET2]');
  expect(detail.exchange.requestHeaders['x-team-token']).toBe('[redacted …RET2]');
  // Not listed anywhere: redacted for its name.
  expect(detail.exchange.requestHeaders['x-portkey-api-key']).toBe('[redacted …RET2]');
  expect(row?.path).not.toContain(clientKey);
  for (const file of [h.store.path, `${h.store.path}-wal`]) {
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    for (const secret of [injected, clientKey, clientKey.slice(0, -4)]) expect(bytes.includes(secret)).toBe(false);
  }
});
