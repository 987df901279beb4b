// The two http-proxy 1.18.1 pitfalls on Node 20 named in issue 3, each pinned by a test.
import { afterEach, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

it("a client's Connection: close is not copied onto the pooled upstream socket", async () => {
  h = await startHarness();
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  for (let i = 0; i < 5; i++) {
    const res = await rawRequest(`${h.url}/v1/chat/completions`, {
      headers: { connection: 'close', 'content-type': 'application/json' },
      body,
      agent: false,
    });
    expect(res.status).toBe(200);
    // The client's own connection is still closed as it asked.
    expect(res.headers.connection).toBe('close');
  }
  expect(h.upstream.requests.map((r) => r.headers.connection)).not.toContain('close');
  // One pooled upstream connection served all five requests.
  expect(new Set(h.upstream.requests.map((r) => r.remotePort)).size).toBe(1);
  expect(h.upstream.connections()).toBe(1);
  const rows = await h.rows();
  expect(rows.map((r) => r.success)).toEqual([true, true, true, true, true]);
});

it('a client hang-up after its request body was read still cancels the upstream request', async () => {
  h = await startHarness({ upstream: { delayMs: 60_000 } });
  const controller = new AbortController();
  const sent = fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [], stream: true }),
    signal: controller.signal,
  });
  // The upstream has the whole request: http-proxy's 'aborted' hook can no longer fire.
  const received = await h.upstream.nextRequest();
  controller.abort();
  await expect(sent).rejects.toThrow();
  expect(await received.closed).toEqual({ clientDisconnected: true });
  const [row] = await h.rows();
  expect(row).toMatchObject({
    status: null,
    success: false,
    errorMessage: 'client aborted before the response started',
  });
});
