import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const send = (url: string, content: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }) });

it('policy: the X-Inspector-Policy header wins and is not forwarded; else the first matching keyword rule', async () => {
  h = await startHarness({ settings: { policyRules: [{ keyword: 'Summarize', policy: 'summary' }, { keyword: 'translate', policy: 'translation' }] } });
  await send(h.url, 'please summarize and translate this', { 'x-inspector-policy': 'batch-7' });
  await send(h.url, 'Please TRANSLATE then summarize');
  await send(h.url, 'nothing to see');
  expect(h.upstream.requests[0]?.headers['x-inspector-policy']).toBeUndefined();
  const rows = await h.rows();
  expect(rows.map((r) => r.policy)).toEqual(['batch-7', 'summary', null]);
});

it("correlation id: the client's is kept and echoed; otherwise a new time-ordered UUID is echoed and logged", async () => {
  h = await startHarness();
  const given = await send(h.url, 'hi', { 'x-correlation-id': 'trace-42' });
  const fresh = await send(h.url, 'hi');
  expect(given.headers.get('x-correlation-id')).toBe('trace-42');
  const generated = fresh.headers.get('x-correlation-id');
  // UUIDv7: time-ordered, so the correlation index grows at its end.
  expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const rows = await h.rows();
  expect(rows.map((r) => r.correlationId)).toEqual(['trace-42', generated]);
});
