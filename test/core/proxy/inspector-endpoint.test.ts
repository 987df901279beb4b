// /_inspector/v1/estimate on the real core's proxy: every body format, the guards of proxied
// requests, bad input as {code, message}, and never a request to the upstream or a row in the log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../electron/core/app-core';
import type { EstimateResult } from '../../../electron/core/contract/estimate';
import { MAX_INSPECTOR_BODY_BYTES } from '../../../electron/core/proxy/inspector-endpoint';
import { ESTIMATE_BODIES, PROMPT } from '../../helpers/estimate-bodies';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { rawRequest } from '../../helpers/http';
import { makeRecord } from '../../helpers/records';

let dir: string;
let upstream: FakeUpstream;
let core: Core;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'estimate-endpoint-'));
  upstream = await startFakeUpstream();
  core = await startCore({
    settingsPath: join(dir, 'settings.json'),
    dbPath: join(dir, 'log.sqlite'),
    overrides: {
      port: 0,
      upstreams: [{ name: 'fake', baseUrl: upstream.url, mount: '/' }],
      allowedOrigins: ['http://localhost:5173'],
    },
  });
  url = `http://127.0.0.1:${core.proxy.address()!.port}/_inspector/v1/estimate`;
  for (let i = 0; i < 30; i++)
    core.store.enqueue(
      makeRecord({ policy: 'summarize', model: 'gpt-4o-mini', inputTokens: 200, outputTokens: 40 + i }),
    );
  await core.store.flush();
});
afterAll(async () => {
  await core.stop();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const parse = (b: Buffer) => JSON.parse(b.toString()) as Record<string, unknown>;

describe('POST /_inspector/v1/estimate', () => {
  it('estimates a body in every format, with curl-like clients (no Origin)', async () => {
    for (const [format, { path, body }] of Object.entries(ESTIMATE_BODIES)) {
      const res = await post({ body, path, model: 'gpt-4o-mini', policy: 'summarize' });
      expect(res.status, format).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const r = parse(res.body) as unknown as EstimateResult;
      expect(r.input, format).toBe(format);
      expect(r.inputTokens, format).toBeGreaterThan(150);
      expect(r.estimates[0], format).toMatchObject({
        model: 'gpt-4o-mini',
        basis: { level: 'policy_model', sampleCount: 30 },
        fallback: null,
      });
      expect(r.estimates[0]!.cost!.p99, format).toBeGreaterThanOrEqual(r.estimates[0]!.cost!.p50);
    }
    const prompt = parse((await post({ prompt: PROMPT, model: 'gpt-4o-mini' })).body) as unknown as EstimateResult;
    expect(prompt).toMatchObject({ input: 'prompt', policy: null, model: 'gpt-4o-mini' });
    // No samples without a policy for gpt-4o-mini: the model's distribution under any policy is used, and said.
    expect(prompt.estimates[0]!.basis).toMatchObject({ level: 'model', model: 'gpt-4o-mini' });
    expect(prompt.estimates[0]!.fallback).toMatch(/0 samples for \(no policy, gpt-4o-mini\)/);
    // Nothing reached the upstream, and nothing was logged.
    expect(upstream.requests).toHaveLength(0);
    await core.store.flush();
    expect(core.store.listRequests({}, null, 100).rows).toHaveLength(30);
  });

  it('keeps the proxy guards: foreign Origin, cross-site without Origin, rebound Host', async () => {
    const foreign = await post({ inputTokens: 10 }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(parse(foreign.body)).toMatchObject({ error: { code: 'origin_not_allowed' } });
    const noOrigin = await post({ inputTokens: 10 }, { 'sec-fetch-site': 'cross-site' });
    expect(noOrigin.status).toBe(403);
    const host = await post({ inputTokens: 10 }, { host: 'evil.example' });
    expect(parse(host.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    const allowed = await post({ inputTokens: 10, model: 'gpt-4o-mini' }, { origin: 'http://localhost:5173' });
    expect(allowed.status).toBe(200);
  });

  it(
    'refuses bad input with {code, message}, other ' + 'paths and methods, and oversized bodies; never forwards',
    async () => {
      const cases: [unknown, number, string][] = [
        [{}, 400, 'invalid_input'],
        [{ prompt: 'x', inputTokens: 1 }, 400, 'invalid_input'],
        [{ body: '{"messages": [' }, 400, 'invalid_input'],
        [{ requestId: 999_999 }, 404, 'not_found'],
        [{ inputTokens: 1, source: 'db1' }, 400, 'invalid_input'],
      ];
      for (const [body, status, code] of cases) {
        const res = await post(body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        const err = parse(res.body)['error'] as { code: string; message: string };
        expect(err.code).toBe(code);
        expect(err.message.length).toBeGreaterThan(5);
      }
      const notJson = await rawRequest(url, { body: 'nope' });
      expect([notJson.status, (parse(notJson.body)['error'] as { code: string }).code]).toEqual([400, 'invalid_input']);
      const get = await rawRequest(url, { method: 'GET' });
      expect(get.status).toBe(405);
      expect(get.headers['allow']).toBe('POST');
      const other = await rawRequest(url.replace('/v1/estimate', '/v1/chat/completions'), { body: '{}' });
      expect(other.status).toBe(404);
      const huge = await rawRequest(url, { body: Buffer.alloc(MAX_INSPECTOR_BODY_BYTES + 1, 0x20) });
      expect(huge.status).toBe(413);
      expect(upstream.requests).toHaveLength(0);
      // The proxy still proxies.
      const chat = await rawRequest(url.replace('/_inspector/v1/estimate', '/v1/chat/completions'), {
        body: JSON.stringify(ESTIMATE_BODIES['openai-chat'].body),
      });
      expect(chat.status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
    },
  );
});
