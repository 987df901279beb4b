import { afterEach, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const send = (url: string, content: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });

it(
  'policy: the X-Inspector-Policy header wins and is ' + 'not forwarded; else the first matching keyword rule',
  async () => {
    h = await startHarness({
      settings: {
        policyRules: [
          { keyword: 'Summarize', policy: 'summary' },
          { keyword: 'translate', policy: 'translation' },
        ],
      },
    });
    await send(h.url, 'please summarize and translate this', { 'x-inspector-policy': 'batch-7' });
    await send(h.url, 'Please TRANSLATE then summarize');
    await send(h.url, 'nothing to see');
    expect(h.upstream.requests[0]?.headers['x-inspector-policy']).toBeUndefined();
    const rows = await h.rows();
    expect(rows.map((r) => r.policy)).toEqual(['batch-7', 'summary', null]);
  },
);

it(
  "correlation id: the client's is kept and echoed; " + 'otherwise a new time-ordered UUID is echoed and logged',
  async () => {
    h = await startHarness();
    const given = await send(h.url, 'hi', { 'x-correlation-id': 'trace-42' });
    const fresh = await send(h.url, 'hi');
    expect(given.headers.get('x-correlation-id')).toBe('trace-42');
    const generated = fresh.headers.get('x-correlation-id');
    // UUIDv7: time-ordered, so the correlation index grows at its end.
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const rows = await h.rows();
    expect(rows.map((r) => r.correlationId)).toEqual(['trace-42', generated]);
  },
);

it('correlation id: echoed on the errors the proxy answers itself and on upstream errors', async () => {
  h = await startHarness({ upstream: { status: 500 } });
  const url = `${h.url}/v1/chat/completions`;
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const refused = await rawRequest(url, {
    headers: { origin: 'https://evil.example', 'x-correlation-id': 'c-403' },
    body,
  });
  const rebound = await rawRequest(`${h.url}/../x`, {
    headers: { host: 'evil.example', 'x-correlation-id': 'c-host' },
    body,
  });
  const failed = await rawRequest(url, { headers: { 'x-correlation-id': 'c-500' }, body });
  await h.upstream.close();
  const down = await rawRequest(url, { headers: { 'x-correlation-id': 'c-502' }, body });
  expect([refused, rebound, failed, down].map((r) => [r.status, r.headers['x-correlation-id']])).toEqual([
    [403, 'c-403'],
    [403, 'c-host'],
    [500, 'c-500'],
    [502, 'c-502'],
  ]);
  const rows = await h.rows();
  expect(rows.map((r) => r.correlationId)).toEqual(['c-403', 'c-host', 'c-500', 'c-502']);
});
