// Requests the proxy refuses itself still get a clear JSON error and a row; none reaches an upstream.
import { request } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [] });

it('a foreign Origin gets 403 unless allowed in settings', async () => {
  h = await startHarness({ settings: { allowedOrigins: ['http://localhost:5173'] } });
  const refused = await rawRequest(`${h.url}/v1/chat/completions`, {
    headers: { origin: 'https://evil.example' },
    body,
  });
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.body.toString())).toMatchObject({ error: { code: 'origin_not_allowed' } });
  const allowed = await rawRequest(`${h.url}/v1/chat/completions`, {
    headers: { origin: 'http://localhost:5173' },
    body,
  });
  expect(allowed.status).toBe(200);
  expect(h.upstream.requests).toHaveLength(1);
  const rows = await h.rows();
  expect(rows.map((r) => [r.status, r.success, r.errorStatus])).toEqual([
    [403, false, 403],
    [200, true, null],
  ]);
});

it(
  'a page without an allowed Origin is refused by its ' + 'Fetch Metadata too: a no-cors request sends no Origin',
  async () => {
    h = await startHarness({ settings: { allowedOrigins: ['http://localhost:5173'] } });
    const send = (headers: Record<string, string>) => rawRequest(`${h.url}/v1/chat/completions`, { headers, body });
    // An <img>/<script>/navigation from evil.example, and from a loopback page on another port (same-site).
    for (const site of ['cross-site', 'same-site']) {
      const refused = await send({ 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors' });
      expect(refused.status, site).toBe(403);
      expect(JSON.parse(refused.body.toString())).toMatchObject({ error: { code: 'origin_not_allowed' } });
    }
    // The allow-listed page, the proxy's own pages, the user typing the URL, and non-browser clients pass.
    const passing: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-site', origin: 'http://localhost:5173' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:5173' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of passing) {
      expect((await send(headers)).status, JSON.stringify(headers)).toBe(200);
    }
    expect(h.upstream.requests).toHaveLength(5);
    expect((await h.rows()).map((r) => r.status)).toEqual([403, 403, 200, 200, 200, 200, 200]);
  },
);

it('a DNS-rebound Host name gets 403; loopback names and IPs pass', async () => {
  h = await startHarness();
  const evil = await rawRequest(`${h.url}/v1/chat/completions`, { headers: { host: `evil.example:${h.port}` }, body });
  expect(evil.status).toBe(403);
  expect(JSON.parse(evil.body.toString())).toMatchObject({ error: { code: 'host_not_allowed' } });
  // A URL parser reads `evil.example@127.0.0.1` as userinfo and host 127.0.0.1; a Host header has no userinfo.
  const userinfo = await rawRequest(`${h.url}/v1/chat/completions`, {
    headers: { host: `evil.example@127.0.0.1:${h.port}` },
    body,
  });
  expect(userinfo.status).toBe(403);
  for (const host of [`localhost:${h.port}`, `127.0.0.1:${h.port}`]) {
    expect((await rawRequest(`${h.url}/v1/chat/completions`, { headers: { host }, body })).status).toBe(200);
  }
  expect(h.upstream.requests).toHaveLength(2);
});

it('routes by mount, appends the rest to the base path, and 404s with the mount list', async () => {
  h = await startHarness();
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [
      { name: 'openai', baseUrl: `${h.upstream.url}/v1`, mount: '/openai' },
      { name: 'claude', baseUrl: h.upstream.url },
    ],
  });
  expect((await rawRequest(`${h.url}/openai/chat/completions`, { body })).status).toBe(200);
  expect((await rawRequest(`${h.url}/claude/v1/messages`, { body })).status).toBe(200);
  const missing = await rawRequest(`${h.url}/v1/chat/completions`, { body });
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.body.toString())).toMatchObject({
    error: { code: 'no_route', mounts: ['/claude', '/openai'] },
  });
  expect(h.upstream.requests.map((r) => r.url)).toEqual(['/v1/chat/completions', '/v1/messages']);
  const rows = await h.rows();
  expect(rows.map((r) => [r.provider, r.path, r.status])).toEqual([
    ['openai', '/openai/chat/completions', 200],
    ['claude', '/claude/v1/messages', 200],
    ['', '/v1/chat/completions', 404],
  ]);
});

it('passes the rest of the path on as sent: no dot segment resolved, no slash merged, nothing re-encoded', async () => {
  h = await startHarness();
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [{ name: 'openai', baseUrl: `${h.upstream.url}/v1`, mount: '/' }],
  });
  // An empty query too (http-proxy-3 joins a path's queries and drops an empty one), with a body read whole and
  // with one too large to read before forwarding.
  const paths = ['/chat/./completions/../x//y/{id}/%7e?q=a//b&r=../c&&s', '/models?', '/models/?', '/files?'];
  // Past the capture cap (2 MiB by default), the body streams through after its first part.
  const bodies = [body, body, body, 'x'.repeat(3 * 1024 * 1024)];
  for (const [i, path] of paths.entries()) {
    // node:http's request() with a path, not a URL: a URL string would be normalised before it leaves.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject).end(bodies[i]);
    });
    expect(status).toBe(404);
  }
  expect(h.upstream.requests.map((r) => r.url)).toEqual(paths.map((path) => `/v1${path}`));
});

it('never forwards to its own port (508)', async () => {
  h = await startHarness();
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [{ name: 'self', baseUrl: `http://localhost:${h.port}`, mount: '/' }],
  });
  const res = await rawRequest(`${h.url}/v1/chat/completions`, { body });
  expect(res.status).toBe(508);
  const rows = await h.rows();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 508, provider: 'self', success: false });
});

it(
  'never forwards to itself through another spelling ' + 'of its address, or a name that resolves to it (508)',
  async () => {
    // `loop.test` resolves to the proxy's own address, as a hosts-file entry would make it.
    h = await startHarness({ lookup: async (name) => (name === 'loop.test' ? ['::ffff:127.0.0.1'] : []) });
    for (const baseUrl of [`http://[::ffff:127.0.0.1]:${h.port}`, `http://loop.test:${h.port}`]) {
      await h.proxy.reconfigure({ ...h.settings, upstreams: [{ name: 'self', baseUrl, mount: '/' }] });
      const res = await rawRequest(`${h.url}/v1/chat/completions`, { body });
      expect(res.status, baseUrl).toBe(508);
    }
    expect((await h.rows()).map((r) => r.status)).toEqual([508, 508]);
  },
);

it('a request nested 8 000 levels deep is forwarded as sent, not refused', async () => {
  h = await startHarness();
  const deep =
    `{"model":"claude","max_tokens":5,"messages":[{"role":"user",` +
    `"content":${'[{"type":"tool_result","content":'.repeat(8000)}"x"${'}]'.repeat(8000)}}]}`;
  const res = await rawRequest(`${h.url}/v1/messages`, { headers: { 'content-type': 'application/json' }, body: deep });
  expect(res.status).toBe(200);
  expect(h.upstream.requests[0]?.body.toString()).toBe(deep);
  const [row] = await h.rows();
  expect(row).toMatchObject({ status: 200, success: true, model: 'claude', errorMessage: null });
});

it('an injected key replaces every key the client sent: no dummy travels beside it', async () => {
  h = await startHarness();
  await h.proxy.reconfigure({
    ...h.settings,
    upstreams: [{ name: 'fake', baseUrl: h.upstream.url, mount: '/', apiKey: 'sk-injected' }],
  });
  const res = await rawRequest(`${h.url}/v1/chat/completions`, {
    headers: { authorization: 'Bearer dummy', 'x-api-key': 'dummy2', 'api-key': 'dummy3' },
    body,
  });
  expect(res.status).toBe(200);
  const sent = h.upstream.requests[0]!.headers;
  expect([sent.authorization, sent['x-api-key'], sent['api-key'], sent['x-goog-api-key']]).toEqual([
    'Bearer sk-injected',
    undefined,
    undefined,
    undefined,
  ]);
});
