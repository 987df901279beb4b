// The cache card over the real proxy: requests sent by each provider's client shape reach the fake
// upstream, which reports cached tokens the way that provider does (Anthropic
// cache_read_input_tokens / cache_creation_input_tokens, OpenAI prompt_tokens_details.cached_tokens,
// Gemini cachedContentTokenCount); the usage parsers log them, and requests:diff reads the later
// request's cache against the earlier one with the right reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../../electron/core/app-core';
import { createHandlers, type CoreHandlers } from '../../../../electron/core/api/handlers';
import type { FakeUsage } from '../../../helpers/fake-upstream-bodies';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream';
import { tempDir } from '../../../helpers/records';

let temp: { dir: string; cleanup: () => void };
let upstream: FakeUpstream;
let core: Core;
let api: CoreHandlers;
let base: string;

beforeAll(async () => {
  temp = tempDir('inspector-cache-');
  upstream = await startFakeUpstream({ reply: 'ok' });
  const settingsFile = join(temp.dir, 'settings.json');
  const mounts = ['anthropic', 'openai', 'gemini'].map((name) => ({ name, baseUrl: upstream.url }));
  writeFileSync(settingsFile, JSON.stringify({ port: 0, upstreams: mounts }));
  core = await startCore({ settingsPath: settingsFile, dbPath: join(temp.dir, 'log.sqlite') });
  api = createHandlers(core);
  base = `http://127.0.0.1:${core.proxy.address()!.port}`;
});

afterAll(async () => {
  await core?.stop();
  await upstream?.close();
  temp?.cleanup();
});

const behave = (usage: FakeUsage) => ({ headers: { 'x-fake-behaviour': JSON.stringify({ reply: 'ok', usage }) } });
const LONG = 'Rules of the house. '.repeat(400);

async function lastTwo(): Promise<[number, number]> {
  await core.store.flush();
  const { rows } = await api.listRequests({ filter: {}, cursor: null, limit: 2, skip: 0 });
  return [rows[1]!.id, rows[0]!.id];
}

describe('the cache card over the real proxy', () => {
  it('Anthropic: a timestamp in the system prompt, read from cache_read_input_tokens', async () => {
    const anthropic = new Anthropic({ baseURL: `${base}/anthropic`, apiKey: 'sk-ant-test', maxRetries: 0 });
    const ask = (time: string, turns: number, usage: FakeUsage) =>
      anthropic.messages.create(
        {
          model: 'claude-sonnet-4-6',
          max_tokens: 100,
          system: [{ type: 'text', text: `${LONG}Now: ${time}.`, cache_control: { type: 'ephemeral' } }],
          messages: Array.from({ length: turns }, (_, k) => ({
            role: k % 2 ? ('assistant' as const) : ('user' as const),
            content: `message ${k}`,
          })),
        },
        behave(usage),
      );
    await ask('2026-12-06 10:00', 1, { input: 2010, output: 1, cacheWrite: 2000 });
    await ask('2026-12-06 10:01', 3, { input: 2030, output: 1, cacheRead: 0 });
    const [a, b] = await lastTwo();
    const { cache } = await api.diffRequests({ a, b });
    expect(cache).toMatchObject({
      family: 'anthropic',
      verdict: 'miss',
      cacheReadTokens: 0,
      expectedTokens: expect.any(Number),
    });
    expect(cache!.reasons.map((r) => r.kind)).toEqual(['system_changed']);
    const at = (LONG.length + 'Now: 2026-12-06 10:0'.length).toLocaleString('en-US').replace(/,/g, ' ');
    expect(cache!.reasons[0]!.message).toMatch(new RegExp(`^system prompt changed at character ${at}: a timestamp`));
  });

  it('OpenAI: a model switch, read from prompt_tokens_details.cached_tokens', async () => {
    const openai = new OpenAI({ baseURL: `${base}/openai/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const messages = [
      { role: 'system' as const, content: LONG },
      { role: 'user' as const, content: 'hi' },
    ];
    await openai.chat.completions.create({ model: 'gpt-4o', messages }, behave({ input: 2000, output: 1 }));
    await openai.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [...messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }],
      },
      behave({ input: 2100, output: 1, cacheRead: 0 }),
    );
    const [a, b] = await lastTwo();
    const { cache } = await api.diffRequests({ a, b });
    expect(cache).toMatchObject({ family: 'openai', verdict: 'miss', expectedTokens: 2000 });
    expect(cache!.reasons.map((r) => r.message)).toEqual([
      'model switched from gpt-4o to gpt-4o-mini: each model has a cache of its own',
    ]);
    // The same model again, the prefix kept: cached_tokens reported, a hit.
    await openai.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [
          ...messages,
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: 'more' },
          { role: 'assistant', content: 'ok' },
        ],
      },
      behave({ input: 2200, output: 1, cacheRead: 2048 }),
    );
    const [c, d] = await lastTwo();
    expect((await api.diffRequests({ a: c, b: d })).cache).toMatchObject({ verdict: 'hit', cacheReadTokens: 2048 });
  });

  it('Gemini: tools reordered, read from cachedContentTokenCount', async () => {
    const tools = [{ functionDeclarations: [{ name: 'alpha' }, { name: 'beta' }] }];
    const reordered = [{ functionDeclarations: [{ name: 'beta' }, { name: 'alpha' }] }];
    const send = (t: unknown, usage: FakeUsage) =>
      fetch(`${base}/gemini/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...behave(usage).headers },
        body: JSON.stringify({
          tools: t,
          systemInstruction: { parts: [{ text: LONG }] },
          contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        }),
      }).then((r) => r.text());
    await send(tools, { input: 2000, output: 1 });
    await send(reordered, { input: 2000, output: 1, cacheRead: 0 });
    const [a, b] = await lastTwo();
    const { cache } = await api.diffRequests({ a, b });
    expect(cache).toMatchObject({ family: 'gemini', verdict: 'miss' });
    expect(cache!.reasons.map((r) => r.message)).toEqual(['tool definitions reordered: alpha, beta → beta, alpha']);
  });
});
