// Exactly one row per request under 300 concurrent mixed requests: successes, streams,
// upstream errors, an unreachable upstream, refused origins and client aborts.
import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

it('300 concurrent mixed requests -> exactly one row each', async () => {
  h = await startHarness();
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [
      { name: 'fake', baseUrl: h.upstream.url, mount: '/' },
      { name: 'dead', baseUrl: 'http://127.0.0.1:9', mount: '/dead' },
    ],
  });
  const kinds = ['json', 'stream', 'anthropic-stream', 'error', 'dead', 'refused', 'abort', 'slow-stream'] as const;
  const ids: string[] = [];
  const runs = Array.from({ length: 300 }, async (_, i) => {
    const kind = kinds[i % kinds.length]!;
    const id = `req-${i}`;
    ids.push(id);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-correlation-id': id };
    const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] };
    const controller = new AbortController();
    let path = '/v1/chat/completions';
    let payload: unknown = chat;
    if (kind === 'stream') payload = { ...chat, stream: true };
    if (kind === 'anthropic-stream') [path, payload] = ['/v1/messages', { ...chat, max_tokens: 10, stream: true }];
    if (kind === 'error') headers['x-fake-behaviour'] = JSON.stringify({ status: 500 });
    if (kind === 'dead') path = '/dead/v1/chat/completions';
    if (kind === 'refused') headers.origin = 'https://evil.example';
    if (kind === 'abort' || kind === 'slow-stream') {
      payload = { ...chat, stream: true };
      headers['x-fake-behaviour'] = JSON.stringify({ chunkDelayMs: 5, repeat: 5 });
    }
    try {
      const res = await fetch(h.url + path, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      if (kind === 'refused') expect(res.status).toBe(403);
      const reader = res.body!.getReader();
      if (kind === 'abort') {
        await reader.read();
        controller.abort();
        return;
      }
      while (!(await reader.read()).done);
    } catch (error) {
      if (kind !== 'abort') throw error;
    }
  });
  await Promise.all(runs);
  const rows = await h.rows();
  expect(rows).toHaveLength(300);
  expect(rows.map((r) => r.correlationId).sort()).toEqual([...ids].sort());
  const byKind = (k: (typeof kinds)[number]) =>
    rows.filter((r) => Number(r.correlationId.slice(4)) % kinds.length === kinds.indexOf(k));
  expect(byKind('json').every((r) => r.success && r.inputTokens === 12)).toBe(true);
  expect(byKind('stream').every((r) => r.success && r.streaming && r.outputTokens === 5)).toBe(true);
  expect(byKind('error').every((r) => r.errorStatus === 500)).toBe(true);
  expect(byKind('dead').every((r) => r.errorStatus === 502)).toBe(true);
  expect(byKind('refused').every((r) => r.errorStatus === 403)).toBe(true);
  expect(byKind('abort').every((r) => !r.success && /client aborted/.test(r.errorMessage ?? ''))).toBe(true);
  expect(h.proxy.inFlightCount()).toBe(0);
});
