// start/stop/reconfigure and the in-flight events the UI listens to.
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import type { RequestProgressEvent, RequestStartedEvent } from '../../../electron/core/proxy';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const streamBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });

it('publishes start, throttled progress and finish for a stream, before the row exists', async () => {
  h = await startHarness({ upstream: { chunkDelayMs: 10, repeat: 10 } });
  const started: RequestStartedEvent[] = [];
  const progress: (RequestProgressEvent & { at: number })[] = [];
  const finished: string[] = [];
  h.events.on('requestStarted', (e) => started.push(e));
  h.events.on('requestProgress', (e) => progress.push({ ...e, at: performance.now() }));
  h.events.on('requestFinished', (e) => finished.push(e.id));
  const t0 = performance.now();
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'x-correlation-id': 'live-1' },
    body: streamBody,
  });
  await res.text();
  const elapsed = performance.now() - t0;
  const [row] = await h.rows();
  expect(started).toEqual([
    {
      id: 'live-1',
      timestamp: row!.timestamp,
      method: 'POST',
      path: '/v1/chat/completions',
      provider: 'fake',
      model: 'gpt-4o-mini',
      policy: null,
      streaming: true,
    },
  ]);
  expect(finished).toEqual(['live-1']);
  expect(progress.length).toBeGreaterThan(1);
  // At most ~10 a second: one per 100 ms window, plus the final flush.
  expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
  for (let i = 2; i < progress.length - 1; i++)
    expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(90);
  const text = progress.map((p) => p.textDelta).join('');
  expect(text).toBe(Array.from({ length: 10 }, () => 'Hello from the fake upstream!').join(' '));
  expect(progress.at(-1)?.events).toBeGreaterThan(50);
});

it('reconfigure to a new port binds it first; the old port stops accepting', async () => {
  h = await startHarness();
  const oldUrl = h.url;
  // Same host and port: applied in place, no rebind.
  expect(await h.proxy.reconfigure({ ...h.settings })).toEqual({ ok: true, rebound: false });
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const freePort = (probe.address() as { port: number }).port;
  probe.close();
  await once(probe, 'close');
  expect(await h.proxy.reconfigure({ ...h.settings, port: freePort })).toEqual({ ok: true, rebound: true });
  expect(h.proxy.address()).toEqual({ host: '127.0.0.1', port: freePort });
  expect((await fetch(`http://127.0.0.1:${freePort}/v1/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(
    200,
  );
  await expect(fetch(`${oldUrl}/v1/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow();
});

it('reconfigure to a port in use fails clearly and keeps the old listener', async () => {
  h = await startHarness();
  const blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const busy = (blocker.address() as { port: number }).port;
  try {
    const result = await h.proxy.reconfigure({
      ...h.settings,
      port: busy,
      policyRules: [{ keyword: 'x', policy: 'y' }],
    });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.message).toMatch(/EADDRINUSE 127\.0\.0\.1:\d+/);
    expect(h.proxy.address()?.port).toBe(h.port);
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(200);
    // Nothing else was applied either.
    expect((await h.rows())[0]?.policy).toBeNull();
  } finally {
    blocker.close();
  }
});

it('stop() stops accepting, cuts a stream that outlives the grace period, and still logs it', async () => {
  h = await startHarness({ upstream: { chunkDelayMs: 50, repeat: 100 } });
  const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: streamBody });
  const reader = res.body!.getReader();
  await reader.read();
  await h.proxy.stop(200);
  await expect(fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow();
  expect(await h.upstream.requests[0]?.closed).toEqual({ clientDisconnected: true });
  await h.store.flush();
  const rows = h.store.listRequests({}, null, 10).rows;
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    success: false,
    errorMessage: 'proxy stopped while the request was in flight',
    status: 200,
  });
});
