// Why the cache missed, one scenario per cause, each read from recorded request shapes of the
// provider it concerns and the cached tokens reported the way that provider reports them (the
// usage parsers turn them into the row's counts; here they are the row's counts).
import { describe, expect, it } from 'vitest';
import { diagnoseCache, summarizeCache, type CacheTurn } from '../../../../electron/core/inspect/cache';
import { buildConversation } from '../../../../electron/core/inspect/conversation';
import { input, type StoredExchange } from '../conversation/exchange';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
let id = 1;

function turn(
  x: StoredExchange,
  usage: { input: number; read?: number; write?: number },
  atMs: number,
  model = (x.request as { model?: string }).model ?? 'gemini-2.5-flash',
  provider = 'anthropic',
): CacheTurn {
  const i = input(x);
  const c = buildConversation(i);
  return {
    id: id++,
    timestamp: new Date(T0 + atMs).toISOString(),
    model,
    provider,
    baseUrl: null,
    conversation: c.ok ? c.conversation : null,
    bodies: { request: i.requestBody, response: i.responseBody },
    inputTokens: usage.input,
    cacheReadTokens: usage.read ?? null,
    cacheWriteTokens: usage.write ?? null,
  };
}

const LONG = 'You are a careful coding agent. Follow the repository conventions. '.repeat(120);
const ANTHROPIC = '/anthropic/v1/messages';
const system = (time: string) => [
  { type: 'text', text: `${LONG}The current time is ${time}.`, cache_control: { type: 'ephemeral' } },
];
const tools = [
  { name: 'read_file', description: 'Read a file', input_schema: { type: 'object' } },
  { name: 'write_file', description: 'Write a file', input_schema: { type: 'object' } },
];
const msgs = (n: number) =>
  Array.from({ length: n }, (_, k) => ({
    role: k % 2 ? 'assistant' : 'user',
    content: `turn ${k}: ${'x'.repeat(400)}`,
  }));
const anthropic = (over: Record<string, unknown> = {}, n = 3) => ({
  path: ANTHROPIC,
  request: { model: 'claude-sonnet-4-5', max_tokens: 1024, system: system('10:00'), tools, messages: msgs(n), ...over },
});

describe('diagnoseCache', () => {
  it('a hit: the previous prompt is a prefix and the cache read it', () => {
    const prev = turn(anthropic(), { input: 5000, write: 4900 }, 0);
    const cur = turn(anthropic({}, 5), { input: 5400, read: 4950, write: 400 }, 30_000);
    const d = diagnoseCache(cur, prev);
    expect(d).toMatchObject({ verdict: 'hit', reasons: [], expectedTokens: 5000, cacheReadTokens: 4950 });
    expect(d.sharedChars).toBe(d.previousChars);
  });

  it('Anthropic: the system prompt changed at a timestamp, with where and what', () => {
    const prev = turn(anthropic(), { input: 5000, write: 4900 }, 0);
    const cur = turn(anthropic({ system: system('10:05') }, 5), { input: 5400, read: 0, write: 5300 }, 60_000);
    const d = diagnoseCache(cur, prev);
    expect(d.verdict).toBe('miss');
    const at = `${LONG}The current time is 10:0`.length;
    expect(d.reasons).toEqual([
      {
        kind: 'system_changed',
        at,
        message: expect.stringMatching(
          new RegExp(
            `^system prompt changed at character ${at.toLocaleString('en-US').replace(/,/g, ' ')}: a timestamp`,
          ),
        ),
      },
    ]);
    expect(d.reasons[0]!.message).toContain('time is 10:00.');
    expect(d.reasons[0]!.message).toContain('time is 10:05.');
    // The tools (before the system prompt in the prefix) still matched: a share was expected.
    expect(d.expectedTokens).toBeGreaterThan(4000);
  });

  it('Anthropic: tools reordered, and tools edited', () => {
    const prev = turn(anthropic(), { input: 5000, write: 4900 }, 0);
    const reordered = diagnoseCache(
      turn(anthropic({ tools: [tools[1], tools[0]] }, 5), { input: 5400, read: 0, write: 5300 }, 10_000),
      prev,
    );
    expect(reordered.reasons.map((r) => [r.kind, r.message])).toEqual([
      ['tools_reordered', 'tool definitions reordered: read_file, write_file → write_file, read_file'],
    ]);
    expect(reordered.expectedTokens).toBe(0);
    const edited = diagnoseCache(
      turn(
        anthropic({ tools: [tools[0], { ...tools[1], description: 'Write or create a file' }] }, 5),
        { input: 5400, read: 0 },
        10_000,
      ),
      prev,
    );
    expect(edited.reasons.map((r) => r.message)).toEqual(['tool definitions changed (edited: write_file)']);
  });

  it('Anthropic: the gap exceeded the 5-minute lifetime, or the 1-hour one the request asked for', () => {
    const prev = turn(anthropic(), { input: 5000, write: 4900 }, 0);
    const late = diagnoseCache(turn(anthropic({}, 5), { input: 5400, read: 0, write: 5400 }, 7 * 60_000), prev);
    expect(late.reasons).toEqual([
      {
        kind: 'expired',
        at: null,
        message: '7 min since the previous turn, beyond the cache lifetime (the default 5 minutes)',
      },
    ]);
    const hour = [
      { type: 'text', text: `${LONG}The current time is 10:00.`, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    const prev1h = turn(anthropic({ system: hour }), { input: 5000, write: 4900 }, 0);
    const within = diagnoseCache(
      turn(anthropic({ system: hour }, 5), { input: 5400, read: 4990 }, 40 * 60_000),
      prev1h,
    );
    expect(within).toMatchObject({ verdict: 'hit', lifetimeMs: 3_600_000, lifetimeSource: 'cache_control ttl 1h' });
    const beyond = diagnoseCache(turn(anthropic({ system: hour }, 5), { input: 5400, read: 0 }, 70 * 60_000), prev1h);
    expect(beyond.reasons.map((r) => r.message)).toEqual([
      '1.2 h since the previous turn, beyond the cache lifetime (cache_control ttl 1h)',
    ]);
  });

  it('Anthropic: no cache_control breakpoint, so nothing was cached', () => {
    const plain = { system: `${LONG}The current time is 10:00.` };
    const prev = turn(anthropic(plain), { input: 5000 }, 0);
    const d = diagnoseCache(turn(anthropic(plain, 5), { input: 5400, read: 0 }, 20_000), prev);
    expect(d.reasons.map((r) => r.kind)).toEqual(['not_requested']);
  });

  it('OpenAI (prompt_tokens_details.cached_tokens): a model switch', () => {
    const chat = (model: string, n: number) => ({
      path: '/v1/chat/completions',
      request: { model, messages: [{ role: 'system', content: LONG }, ...msgs(n)] },
    });
    const prev = turn(chat('gpt-4o', 3), { input: 3000, read: 0 }, 0, 'gpt-4o', 'openai');
    const d = diagnoseCache(
      turn(chat('gpt-4o-mini', 5), { input: 3300, read: 0 }, 5_000, 'gpt-4o-mini', 'openai'),
      prev,
    );
    expect(d).toMatchObject({ family: 'openai', verdict: 'miss', expectedTokens: 3000 });
    expect(d.reasons.map((r) => r.message)).toEqual([
      'model switched from gpt-4o to gpt-4o-mini: each model has a cache of its own',
    ]);
  });

  it('OpenAI: an edited message in the history says which and where; a shortened history says so', () => {
    const chat = (messages: unknown[]) => ({
      path: '/v1/chat/completions',
      request: { model: 'gpt-4o', messages: [{ role: 'system', content: LONG }, ...messages] },
    });
    const history = msgs(4);
    const prev = turn(chat(history), { input: 3200, read: 1024 }, 0, 'gpt-4o', 'openai');
    const edited = [...history];
    edited[1] = { role: 'assistant', content: 'turn 1: (summarised)' };
    const d = diagnoseCache(
      turn(chat([...edited, ...msgs(2)]), { input: 2800, read: 1280 }, 9_000, 'gpt-4o', 'openai'),
      prev,
    );
    expect(d.verdict).toBe('partial');
    expect(d.reasons.map((r) => r.kind)).toEqual(['messages_changed']);
    expect(d.reasons[0]!.message).toMatch(/^message #3 \(assistant\) changed at character 8: an edit/);
    const short = diagnoseCache(
      turn(chat(history.slice(0, 2)), { input: 1900, read: 0 }, 9_000, 'gpt-4o', 'openai'),
      prev,
    );
    expect(short.reasons.map((r) => r.kind)).toEqual(['history_shortened']);
  });

  it('Gemini (cachedContentTokenCount): below the minimum, and the provider report beside ours', () => {
    const path = '/gemini/v1beta/models/gemini-2.5-flash:generateContent';
    const req = (n: number) => ({
      contents: Array.from({ length: n }, (_, k) => ({ role: k % 2 ? 'model' : 'user', parts: [{ text: `q${k}` }] })),
    });
    const response = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] } }],
      usageMetadata: {
        promptTokenCount: 30,
        cachedContentTokenCount: 0,
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 0 }],
      },
    };
    const prev = turn({ path, request: req(3) }, { input: 20 }, 0, 'gemini-2.5-flash', 'gemini');
    const d = diagnoseCache(
      turn({ path, request: req(5), response }, { input: 30, read: 0 }, 3_000, 'gemini-2.5-flash', 'gemini'),
      prev,
    );
    expect(d.family).toBe('gemini');
    // 20 tokens expected, none read: within the block slack, so no miss to explain.
    expect(d.verdict).toBe('hit');
    expect(d.providerReport).toBe('cacheTokensDetails: [{"modality":"TEXT","tokenCount":0}]');
    const big = (n: number) => ({
      contents: Array.from({ length: n }, (_, k) => ({
        role: k % 2 ? 'model' : 'user',
        parts: [{ text: `q${k} ${'y'.repeat(300)}` }],
      })),
    });
    const p2 = turn({ path, request: big(3) }, { input: 900 }, 0, 'gemini-2.5-flash', 'gemini');
    const d2 = diagnoseCache(
      turn({ path, request: big(5) }, { input: 1500, read: 0 }, 3_000, 'gemini-2.5-flash', 'gemini'),
      p2,
    );
    expect(d2.reasons.map((r) => r.kind)).toEqual(['below_minimum']);
  });

  it('an unexplained miss says so; the thread summary adds writes, reads and what misses cost', () => {
    const prev = turn(anthropic(), { input: 5000, write: 4900 }, 0, 'claude-sonnet-4-5');
    const cur = turn(anthropic({}, 5), { input: 5400, read: 0, write: 5300 }, 60_000, 'claude-sonnet-4-5');
    const d = diagnoseCache(cur, prev);
    expect(d.reasons.map((r) => r.kind)).toEqual(['unexplained']);
    expect(d.missCost).toBeGreaterThan(0);
    const hit = turn(anthropic({}, 7), { input: 5800, read: 5300, write: 500 }, 90_000, 'claude-sonnet-4-5');
    const s = summarizeCache([
      { turn: prev, diagnosis: null },
      { turn: cur, diagnosis: d },
      { turn: hit, diagnosis: diagnoseCache(hit, cur) },
    ]);
    expect(s).toMatchObject({ turns: 3, written: 4900 + 5300 + 500, read: 5300, missedTokens: 5000 });
    expect(s.missCost).toBeCloseTo(d.missCost!, 10);
    expect(s.savedByHits).toBeGreaterThan(0);
  });
});
