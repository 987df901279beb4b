// The hard cap end to end: the real core (settings with budgets, spend service, proxy, log) in
// front of a fake upstream, driven by the official OpenAI and Anthropic SDKs. Once committed
// spend reaches a capped budget, new requests in its scope get a 429 in their API's error shape
// (the SDK raises it with type inspector_budget_exceeded and does not retry), each logged as a
// row with that status; a stream already in flight runs to its end; other scopes still pass.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCore, type Core } from '../../../electron/core/app-core';
import type { BudgetAlert } from '../../../electron/core/contract/spend';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';

let dir: string;
let upstream: FakeUpstream;
let core: Core;
let base: string;

// 12 input tokens at $50 000 per million: $0.60 a request, whatever the output.
const PRICE = { input: 50_000, output: 0 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hard-cap-'));
  upstream = await startFakeUpstream();
  core = await startCore({
    settingsPath: join(dir, 'settings.json'),
    dbPath: join(dir, 'log.sqlite'),
    overrides: {
      port: 0,
      upstreams: [
        { name: 'openai', baseUrl: upstream.url, mount: '/', priceOverrides: { 'm-cap': PRICE } },
        { name: 'anthropic', baseUrl: upstream.url, mount: '/anthropic', priceOverrides: { 'c-cap': PRICE } },
      ],
      budgets: [
        { name: 'openai daily', period: 'day', amountUsd: 1, provider: 'openai', hardCap: true },
        { name: 'agent monthly', period: 'month', amountUsd: 0.5, policy: 'agent', hardCap: true },
      ],
    },
  });
  base = `http://127.0.0.1:${core.proxy.address()!.port}`;
});
afterEach(async () => {
  await core.stop();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

function alertFor(budget: string, threshold: number): Promise<BudgetAlert> {
  return new Promise((resolve) => {
    const off = core.events.on('budgetAlert', (a) => {
      if (a.budget !== budget || a.threshold !== threshold) return;
      off();
      resolve(a);
    });
  });
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function rows() {
  await core.proxy.whenIdle();
  await core.store.flush();
  return core.store.listRequests({}, null, 100).rows.reverse();
}

it('OpenAI SDK: refused with the documented 429 once the cap is reached; a stream in flight finishes', async () => {
  // Default retries: the 429 says x-should-retry: false, so the SDK asks once.
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1` });
  const params = { model: 'm-cap', messages: [{ role: 'user' as const, content: 'hi' }] };

  const reply = Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ');
  const stream = await openai.chat.completions.create(
    { ...params, stream: true },
    { headers: { 'x-fake-behaviour': JSON.stringify({ reply, chunkDelayMs: 60 }) } },
  );
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  expect(first.done).toBe(false);

  const reached = alertFor('openai daily', 100);
  await openai.chat.completions.create(params);
  await openai.chat.completions.create(params);
  expect(await reached).toMatchObject({ blocked: true, spent: expect.closeTo(1.2) });

  const forwardedBefore = upstream.requests.length;
  const error = await caught(openai.chat.completions.create(params));
  expect(core.proxy.inFlightCount()).toBe(1); // the stream, still going
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  const e = error as InstanceType<typeof OpenAI.RateLimitError>;
  expect(e.status).toBe(429);
  expect(e.type).toBe('inspector_budget_exceeded');
  expect(e.code).toBe('inspector_budget_exceeded');
  expect(e.message).toMatch(/^429 budget "openai daily" \(\$1\.00 per day, provider openai\) is exhausted/);
  expect(e.error).toMatchObject({
    type: 'inspector_budget_exceeded',
    param: null,
    budget: { name: 'openai daily', period: 'day', amount_usd: 1, provider: 'openai', policy: null },
  });
  expect(Number(e.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(upstream.requests.length).toBe(forwardedBefore);

  // The stream that was in flight when the cap was reached is never cut.
  const rest: string[] = [];
  for (let n = await iterator.next(); !n.done; n = await iterator.next()) {
    rest.push(n.value.choices[0]?.delta.content ?? '');
  }
  expect([first.value.choices[0]?.delta.content ?? '', ...rest].join('')).toBe(reply);

  const logged = await rows();
  expect(logged).toHaveLength(4);
  const refused = logged.find((r) => r.status === 429)!;
  expect(refused).toMatchObject({
    provider: 'openai',
    model: 'm-cap',
    status: 429,
    errorStatus: 429,
    success: false,
    cost: null,
  });
  expect(refused.errorMessage).toMatch(/budget "openai daily"/);
  expect(logged.filter((r) => r.status === 200)).toHaveLength(3);
});

it('Anthropic SDK: a policy budget refuses in the Anthropic error shape; other scopes still pass', async () => {
  const anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: `${base}/anthropic` });
  const params = { model: 'c-cap', max_tokens: 20, messages: [{ role: 'user' as const, content: 'hi' }] };
  const agent = { headers: { 'x-inspector-policy': 'agent' } };

  const reached = alertFor('agent monthly', 100);
  await anthropic.messages.create(params, agent);
  await reached;

  const error = await caught(anthropic.messages.create(params, agent));
  expect(error).toBeInstanceOf(Anthropic.RateLimitError);
  const e = error as InstanceType<typeof Anthropic.RateLimitError>;
  expect(e.status).toBe(429);
  expect(e.type).toBe('inspector_budget_exceeded');
  expect(e.error).toMatchObject({
    type: 'error',
    error: { type: 'inspector_budget_exceeded', budget: { name: 'agent monthly', policy: 'agent' } },
  });
  // Another policy, and no policy, are outside that budget.
  await expect(anthropic.messages.create(params, { headers: { 'x-inspector-policy': 'chat' } })).resolves.toBeTruthy();
  await expect(anthropic.messages.create(params)).resolves.toBeTruthy();

  // Raising the budget in the settings lets the policy through at once.
  const outcome = await core.updateSettings({
    budgets: [{ name: 'agent monthly', period: 'month', amountUsd: 100, policy: 'agent', hardCap: true }],
  });
  expect(outcome.kind).toBe('applied');
  await expect(anthropic.messages.create(params, agent)).resolves.toBeTruthy();

  const logged = await rows();
  expect(logged.map((r) => [r.policy, r.status])).toEqual([
    ['agent', 200],
    ['agent', 429],
    ['chat', 200],
    [null, 200],
    ['agent', 200],
  ]);
});
