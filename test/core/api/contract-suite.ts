// The one contract test suite. It is run unchanged against every transport: each transport's
// test file passes a factory that puts a real client in front of the same handlers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callNames, type CallName, type EventName, type EventPayload } from '../../../electron/core/contract/contract';
import type { EventSink } from '../../../electron/core/api/event-hub';
import { isApiError, type ApiError, type ApiErrorCode } from '../../../electron/core/contract/errors';
import type { HandlerHost } from '../../../electron/core/api/handlers';
import type { Client } from '../../../renderer/src/api/client';
import { makeRecord } from '../../helpers/records';
import { ESTIMATE_BODIES, PROMPT } from '../../helpers/estimate-bodies';
import { openTestCore, type TestCore } from './test-core';

export interface Harness {
  client: Client;
  broadcast: EventSink;
  /** Sends a call by raw channel name and input, bypassing the typed client. Resolves to the value. */
  rawCall(channel: string, input?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export type MakeHarness = (core: TestCore, host: HandlerHost) => Promise<Harness>;

export function nextEvent<E extends EventName>(
  client: Client,
  name: E,
  match: (payload: EventPayload<E>) => boolean = () => true,
): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = client.on(name, (payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (isApiError(err)) return err;
    throw new Error(`expected an ApiError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection');
}

const SSE_BODY =
  'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\ndata: ' +
  '{"choices":[{"delta":{"content":"lo"}}]}\n\ndata: [DONE]\n\n';

/** Inputs each call must refuse with invalid_input. Every call appears here (checked below). */
const INVALID: Record<CallName, unknown[]> = {
  listRequests: [
    { limit: 0 },
    { limit: 5000 },
    { filter: { since: 'yesterday' } },
    { cursor: { id: 'x' } },
    { extra: 1 },
    'all',
  ],
  getRequest: [{}, { id: '1' }, { id: -1 }, { id: 1.5 }],
  getStats: [{ groupBy: 'colour' }, { filter: { statusClass: [7] } }],
  getTokenRatios: [{ policy: 'x' }, { source: 'live' }, { source: 7 }],
  rebuildTokenRatios: [1],
  getTokenDistributions: [{ policy: 'x' }, { source: 7 }],
  estimate: [
    {},
    { prompt: 'x', inputTokens: 3 },
    { inputTokens: -1 },
    { body: 5 },
    { prompt: 'x', format: 'xml' },
    { prompt: 'x', model: '' },
    { inputTokens: 1, models: Array.from({ length: 51 }, (_, i) => `m${i}`) },
  ],
  getStatus: ['now'],
  getSettings: [[]],
  updateSettings: [
    42,
    'port=1',
    null,
    { colour: 'red' },
    { port: -1 },
    { upstreams: [{ name: 'x', baseUrl: 'ftp://x' }] },
  ],
  exportDatabase: [
    { format: 'xml' },
    {},
    { format: 'csv', scope: 'some' },
    { format: 'csv', jobId: 'has space' },
    { format: 'csv', source: '../x' },
  ],
  cancelExport: [{}, { jobId: '' }, { jobId: 'x'.repeat(65) }],
  openDatabase: [{ path: '' }, { path: 42 }, { file: '/x' }, { path: 'x'.repeat(5000) }],
  listDatabases: [{ all: true }],
  closeDatabase: [{}, { id: 1 }, { id: 'live' }],
  clearLogs: [{}, { confirm: false }, { confirm: 'yes' }],
  clientReady: [{ ready: true }],
  diffRequests: [{}, { a: 1 }, { a: 1, b: '2' }, { a: 0, b: 1 }, { a: 1, b: 2, source: 'live' }],
  getSpend: [{ days: 7 }],
  resendPreview: [{}, { id: '1' }, { id: 1, source: 'db1' }],
  resendRequest: [
    {},
    { id: 1, body: 7 },
    { id: 1, apiKey: '' },
    { id: 1, apiKey: 'has space' },
    { id: 1, source: 'db1' },
  ],
  getThread: [{}, { threadId: 0 }, { threadId: '1' }, { id: 1 }],
  listThreads: [{ limit: 0 }, { limit: 501 }, { cursor: { lastAt: 'x' } }, { filter: { query: 'thread:x' } }],
  editThread: [{}, { kind: 'split' }, { kind: 'merge', threadId: 1 }, { kind: 'join', threadId: 1, intoId: 2 }],
  getRequestCache: [{}, { id: 0 }, { id: '1' }, { id: 1, source: 'live' }],
  getThreadCache: [{}, { threadId: -1 }, { threadId: 1, extra: true }],
};

export function contractSuite(transportName: string, makeHarness: MakeHarness): void {
  describe(`API contract over ${transportName}`, () => {
    let core: TestCore;
    let h: Harness;
    let exported: unknown[];

    beforeEach(async () => {
      core = await openTestCore();
      exported = [];
      h = await makeHarness(core, {
        exportDatabase: async (options) => {
          exported.push(options);
          return { path: options.destination, rows: 0, bytes: 0 };
        },
      });
    });
    afterEach(async () => {
      await h.close();
      await core.dispose();
    });

    async function seed(n: number, overrides: Parameters<typeof makeRecord>[0] = {}) {
      for (let i = 0; i < n; i++) core.store.enqueue(makeRecord(overrides));
      await core.store.flush();
    }

    it('lists requests newest first with keyset paging', async () => {
      await seed(3);
      const first = await h.client.listRequests({ limit: 2 });
      expect(first.rows).toHaveLength(2);
      expect(first.rows[0]!.id).toBeGreaterThan(first.rows[1]!.id);
      expect(first.nextCursor).not.toBeNull();
      const second = await h.client.listRequests({ cursor: first.nextCursor, limit: 2 });
      expect(second.rows).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      const none = await h.client.listRequests({ filter: { model: ['no-such-model'] } });
      expect(none.rows).toEqual([]);
      // A far page in one call, in either order: the reader thread answers those, with the rows after
      // the cursor counted in the same read (how the list knows its length at once).
      expect(await h.client.listRequests({ skip: 2, limit: 2 })).toEqual({
        rows: [second.rows[0]],
        nextCursor: null,
        remaining: 3,
      });
      const byCost = await h.client.listRequests({ skip: 1, limit: 1, sort: { column: 'cost', dir: 'asc' } });
      expect(byCost.rows).toHaveLength(1);
      expect(byCost.remaining).toBe(3);
      expect(byCost.nextCursor).toMatchObject({ id: expect.any(Number) });
      // The last row of the first page's cursor's order, read from the other end.
      const tail = await h.client.listRequests({ cursor: first.nextCursor, skip: 0, limit: 5 });
      expect((await h.client.listRequests({ skip: 1, limit: 5 })).rows).toEqual([...first.rows.slice(1), ...tail.rows]);
      await expect(h.client.listRequests({ skip: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('gets one request with its exchange and parsed stream', async () => {
      await seed(1, { streaming: true, exchange: { ...makeRecord().exchange, responseBody: SSE_BODY } });
      const [row] = (await h.client.listRequests()).rows;
      const detail = await h.client.getRequest({ id: row!.id });
      expect(detail.exchange.requestHeaders.authorization).toMatch(/redacted/);
      expect(detail.stream?.format).toBe('openai-chat');
      expect(detail.stream?.events.map((e) => e.data)).toHaveLength(3);
      expect(detail.stream?.events[2]?.data).toBe('[DONE]');
      expect(detail.stream?.text).toBe('Hello');
      const missing = await rejection(h.client.getRequest({ id: 999_999 }));
      expect(missing.code).toBe('not_found');
    });

    it('diffs two requests in a thread: messages aligned, the changed one by character', async () => {
      const body = (last: string) =>
        JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: last },
          ],
        });
      const reply = (text: string) => JSON.stringify({ choices: [{ message: { role: 'assistant', content: text } }] });
      const base = makeRecord().exchange;
      await seed(1, { exchange: { ...base, requestBody: body('What is 2+2?'), responseBody: reply('4') } });
      await seed(1, { exchange: { ...base, requestBody: body('What is 2+3?'), responseBody: reply('5') } });
      const [b, a] = (await h.client.listRequests()).rows;
      const diff = await h.client.diffRequests({ a: a!.id, b: b!.id });
      expect(diff.summary.messages).toEqual({ same: 1, added: 0, removed: 0, changed: 1 });
      const changed = diff.messages.find((m) => m.op === 'changed')!;
      expect(changed.parts[0]!.text!.spans.filter((s) => s.op !== 'same').map((s) => [s.op, s.text])).toEqual([
        ['removed', '2'],
        ['added', '3'],
      ]);
      expect(diff.replies.a.parts[0]!.text).toBe('4');
      expect(diff.replies.b.parts[0]!.text).toBe('5');
      expect((await rejection(h.client.diffRequests({ a: a!.id, b: 999_999 }))).code).toBe('not_found');
    });

    it(
      'resends a logged request to the proxy listener: ' + 'redacted headers left out and named, linked to its row',
      async () => {
        const body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}';
        const headers = {
          'content-type': 'application/json',
          authorization: 'Bearer [redacted …abcd]',
          cookie: '[redacted]',
          'x-trace': 't-1',
          'x-correlation-id': 'old-id',
        };
        await seed(1, { exchange: { ...makeRecord().exchange, requestHeaders: headers, requestBody: body } });
        const [row] = (await h.client.listRequests()).rows;
        // The test core's upstream has no key: the redacted one must be replaced by a pasted key.
        expect(await h.client.resendPreview({ id: row!.id })).toEqual({
          id: row!.id,
          refusal: null,
          upstream: 'openai',
          leftOut: ['authorization', 'cookie'],
          needsKey: true,
          keyHeader: 'authorization',
          streaming: false,
        });
        const noKey = await rejection(h.client.resendRequest({ id: row!.id }));
        expect(noKey.code).toBe('invalid_input');
        expect(noKey.message).toMatch(/paste a key/);
        expect(core.proxied).toEqual([]);

        const sent = await h.client.resendRequest({ id: row!.id, apiKey: 'sk-pasted-once-0123456789' });
        expect(sent).toMatchObject({ replayOf: row!.id, leftOut: ['authorization', 'cookie'], key: 'pasted' });
        const [got] = core.proxied;
        expect(got).toMatchObject({ method: 'POST', url: row!.path, body });
        expect(got!.headers).toMatchObject({
          authorization: 'Bearer sk-pasted-once-0123456789',
          'x-trace': 't-1',
          'x-correlation-id': sent.correlationId,
          'x-inspector-replay-of': String(row!.id),
        });
        expect(got!.headers.cookie).toBeUndefined();

        // Edit and resend: the page's body; not JSON is refused before anything is sent.
        await h.client.updateSettings({
          upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com', apiKey: 'sk-x' }],
        });
        const edited = body.replace('hi', 'hello');
        expect(await h.client.resendRequest({ id: row!.id, body: edited })).toMatchObject({ key: 'settings' });
        expect(core.proxied[1]!.body).toBe(edited);
        expect(core.proxied[1]!.headers.authorization).toBeUndefined();
        const bad = await rejection(h.client.resendRequest({ id: row!.id, body: '{"model":' }));
        expect(bad.message).toMatch(/not valid JSON/);
        expect((await rejection(h.client.resendRequest({ id: 999_999 }))).code).toBe('not_found');
      },
    );

    it('refuses to resend a request whose body was cut at capture, and says why', async () => {
      const exchange = {
        ...makeRecord().exchange,
        requestBody: '{"model":"m","messages":[{"role":"us',
        requestBodyTruncated: true,
      };
      await seed(1, { requestBytes: 5_000_000, exchange });
      const [row] = (await h.client.listRequests()).rows;
      const preview = await h.client.resendPreview({ id: row!.id });
      expect(preview.refusal).toMatch(/cut at the capture limit after 36 characters of 5,000,000 bytes/);
      const refused = await rejection(h.client.resendRequest({ id: row!.id, apiKey: 'sk-abc' }));
      expect(refused).toMatchObject({ code: 'invalid_input', message: preview.refusal });
      expect(core.proxied).toEqual([]);
    });

    it('groups a conversation into a thread: listed, read, split and merged back', async () => {
      const history: { role: string; content: string }[] = [];
      for (let t = 1; t <= 3; t++) {
        history.push({ role: 'user', content: `question ${t}` });
        const requestBody = JSON.stringify({ model: 'gpt-4o-mini', messages: history });
        await seed(1, { exchange: { ...makeRecord().exchange, requestBody } });
        history.push({ role: 'assistant', content: `answer ${t}` });
      }
      const page = await h.client.listThreads();
      expect(page.threads).toHaveLength(1);
      const t = page.threads[0]!;
      expect(t).toMatchObject({ turns: 3, source: 'new', segments: 1 });
      const view = await h.client.getThread({ threadId: t.threadId });
      expect(view.turns.map((x) => [x.row.turn, x.source])).toEqual([
        [1, 'new'],
        [2, 'prefix:1'],
        [3, 'prefix:3'],
      ]);
      const third = view.turns[2]!.row.id;
      const split = await h.client.editThread({ kind: 'split', requestId: third });
      expect(split.summary).toMatchObject({ threadId: third, turns: 1, source: 'split', parentThreadId: t.threadId });
      expect((await h.client.listThreads()).threads).toHaveLength(2);
      const merged = await h.client.editThread({ kind: 'merge', threadId: third, intoId: t.threadId });
      expect(merged.turns.map((x) => x.row.id)).toEqual(view.turns.map((x) => x.row.id));
      const bad = await rejection(h.client.editThread({ kind: 'split', requestId: t.threadId }));
      expect(bad).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/already starts/) });
      expect((await rejection(h.client.getThread({ threadId: 999_999 }))).code).toBe('not_found');
    });

    it("reads a turn's prompt cache against the previous turn of its thread, and the thread's account", async () => {
      const history: { role: string; content: string }[] = [{ role: 'system', content: 'Be brief. '.repeat(600) }];
      const usage = [
        { inputTokens: 1500, cacheReadTokens: 0, cacheWriteTokens: 1400 },
        { inputTokens: 1600, cacheReadTokens: 1400, cacheWriteTokens: 100 },
        { inputTokens: 1700, cacheReadTokens: 0, cacheWriteTokens: 0 },
      ];
      for (const [i, u] of usage.entries()) {
        history.push({ role: 'user', content: `question ${i + 1}` });
        const requestBody = JSON.stringify({ model: 'gpt-4o-mini', messages: history });
        await seed(1, { ...u, exchange: { ...makeRecord().exchange, requestBody } });
        history.push({ role: 'assistant', content: `answer ${i + 1}` });
      }
      const [third, second, first] = (await h.client.listRequests()).rows;
      expect(await h.client.getRequestCache({ id: first!.id })).toBeNull();
      expect(await h.client.getRequestCache({ id: second!.id })).toMatchObject({
        id: second!.id,
        previousId: first!.id,
        family: 'openai',
        verdict: 'hit',
      });
      const miss = await h.client.getRequestCache({ id: third!.id });
      expect(miss).toMatchObject({ previousId: second!.id, verdict: 'miss', cacheReadTokens: 0 });
      expect(miss!.reasons.map((r) => r.kind)).toEqual(['unexplained']);
      const account = await h.client.getThreadCache({ threadId: first!.threadId! });
      expect(account.turns.map((d) => [d.id, d.verdict])).toEqual([
        [second!.id, 'hit'],
        [third!.id, 'miss'],
      ]);
      expect(account).toMatchObject({ threadId: first!.threadId, fromTurn: 1 });
      expect(account.summary).toMatchObject({ turns: 3, written: 1500, read: 1400, missedTokens: 1600 });
      expect((await rejection(h.client.getRequestCache({ id: 999_999 }))).code).toBe('not_found');
      expect((await rejection(h.client.getThreadCache({ threadId: 999_999 }))).code).toBe('not_found');
    });

    it('computes stats, grouped and not', async () => {
      await seed(2, { model: 'm-a' });
      await seed(1, { model: 'm-b', success: false, status: 500, errorStatus: 500 });
      const stats = await h.client.getStats({ groupBy: 'model' });
      expect(stats.total.requests).toBe(3);
      expect(stats.total.errors).toBe(1);
      expect(stats.groups.map((g) => g.key).sort()).toEqual(['m-a', 'm-b']);
      expect((await h.client.getStats()).groups).toEqual([]);
    });

    it('answers stats from a reader thread started by the call, after the last one closed when idle', async () => {
      await seed(2, { model: 'm-a' });
      if (core.reader.running()) await core.reader.stopped();
      expect(core.reader.running()).toBe(false);
      const stats = await h.client.getStats({ groupBy: 'model' });
      expect(core.reader.running()).toBe(true);
      expect(stats.total.requests).toBe(2);
      expect(stats.groups.map((g) => [g.key, g.requests])).toEqual([['m-a', 2]]);
      const page = await h.client.listRequests({ sort: { column: 'model', dir: 'asc' } });
      expect(page.rows.map((r) => r.model)).toEqual(['m-a', 'm-a']);
    });

    it('lists and rebuilds token ratios', async () => {
      await seed(2, { model: 'm-r', inputTokens: 100, outputTokens: 50 });
      const ratios = await h.client.getTokenRatios();
      expect(ratios).toEqual([expect.objectContaining({ model: 'm-r', policy: null, sampleCount: 2, avgRatio: 0.5 })]);
      expect(await h.client.rebuildTokenRatios()).toEqual([expect.objectContaining({ model: 'm-r', sampleCount: 2 })]);
    });

    it('reports spend and budgets, and pushes them when rows are committed', async () => {
      await h.client.clientReady();
      await h.client.updateSettings({ budgets: [{ name: 'daily', period: 'day', amountUsd: 1, hardCap: true }] });
      const before = await h.client.getSpend();
      expect(before.today.cost).toBe(0);
      expect(before.budgets).toEqual([expect.objectContaining({ name: 'daily', spent: 0, threshold: 0 })]);
      const changed = nextEvent(h.client, 'spendChanged', (s) => s.today.requests === 2);
      const alert = nextEvent(h.client, 'budgetAlert');
      await seed(2, { provider: 'openai', model: 'm-s', cost: 0.3, timestamp: new Date().toISOString() });
      const pushed = await changed;
      expect(pushed.today.cost).toBeCloseTo(0.6);
      expect(pushed.today.byModel).toEqual([{ key: 'm-s', cost: expect.closeTo(0.6), requests: 2, costUnknown: 0 }]);
      expect(pushed.budgets[0]).toMatchObject({ name: 'daily', threshold: 50, blocked: false });
      expect(await alert).toMatchObject({ budget: 'daily', threshold: 50, period: 'day', blocked: false });
      expect((await h.client.getSpend()).month.cost).toBeCloseTo(0.6);
      const invalid = await rejection(
        h.client.updateSettings({ budgets: [{ name: 'x', period: 'week', amountUsd: 1 }] } as never),
      );
      expect(invalid.issues?.[0]?.path).toEqual(['budgets', 0, 'period']);
    });

    it(
      'estimates from a body in every format, a prompt, a ' + 'token count or a logged request, labelling fallbacks',
      async () => {
        // 40 samples of (summarize, gpt-4o-mini), 25 of claude-haiku-4-5, 5 of llama3.2: too few.
        for (let i = 0; i < 40; i++)
          core.store.enqueue(
            makeRecord({ policy: 'summarize', model: 'gpt-4o-mini', inputTokens: 150, outputTokens: 20 + i }),
          );
        for (let i = 0; i < 25; i++)
          core.store.enqueue(
            makeRecord({ policy: 'summarize', model: 'claude-haiku-4-5', inputTokens: 150, outputTokens: 100 }),
          );
        for (let i = 0; i < 5; i++)
          core.store.enqueue(makeRecord({ policy: 'summarize', model: 'llama3.2', inputTokens: 150, outputTokens: 7 }));
        await core.store.flush();

        const counts = new Map<string, number>();
        for (const [format, { path, body }] of Object.entries(ESTIMATE_BODIES)) {
          const r = await h.client.estimate({ body, path, policy: 'summarize', compare: true });
          expect(r.input, format).toBe(format);
          expect(r.inputTokens, format).toBeGreaterThan(150);
          expect(r.inputTokens, format).toBeLessThan(260);
          counts.set(format, r.inputTokens);
          expect(r.estimates.map((e) => e.model).slice(1), format).toEqual(
            ['gpt-4o-mini', 'claude-haiku-4-5'].filter((m) => m !== r.model),
          );
          // The body's format is also read without a path, from its fields (model from the path aside).
          if (format !== 'gemini') expect((await h.client.estimate({ body })).input, format).toBe(format);
        }
        // The same words in every format: counts differ only by each format's framing.
        expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThan(20);

        const chat = await h.client.estimate({ body: ESTIMATE_BODIES['openai-chat'].body, policy: 'summarize' });
        expect(chat.model).toBe('gpt-4o-mini');
        expect(chat.tokenizer).toMatchObject({ encoding: 'o200k_base', exact: true });
        const [mini] = chat.estimates;
        expect(mini!.basis).toMatchObject({
          level: 'policy_model',
          policy: 'summarize',
          model: 'gpt-4o-mini',
          sampleCount: 40,
        });
        expect(mini!.fallback).toBeNull();
        // Outputs 20..59: p50 is the 20th smallest (39), within the sketch's 1 %.
        expect(mini!.outputTokens!.p50).toBeCloseTo(39, -0.5);
        expect(mini!.outputTokens!.p90).toBeGreaterThan(mini!.outputTokens!.p50);
        expect(mini!.cost!.p90).toBeGreaterThan(mini!.cost!.p50);

        const llama = (await h.client.estimate({ body: ESTIMATE_BODIES['ollama-chat'].body, policy: 'summarize' }))
          .estimates[0]!;
        expect(llama.basis).toMatchObject({ level: 'global', model: null, sampleCount: 70 });
        expect(llama.fallback).toMatch(/5 samples for \(summarize, llama3\.2\): fewer than 20/);
        const claude = (await h.client.estimate({ body: ESTIMATE_BODIES['anthropic-messages'].body })).tokenizer;
        expect(claude).toMatchObject({ encoding: 'o200k_base', exact: false });

        const prompt = await h.client.estimate({ prompt: PROMPT, model: 'gpt-4o-mini', policy: 'summarize' });
        expect(prompt.input).toBe('prompt');
        expect(prompt.inputTokens).toBeLessThan(chat.inputTokens);
        const tokens = await h.client.estimate({ inputTokens: 150, model: 'claude-haiku-4-5', policy: 'summarize' });
        expect(tokens).toMatchObject({ input: 'tokens', inputTokens: 150, tokenizer: { encoding: null } });
        expect(tokens.estimates[0]!.outputTokens!.p50).toBeCloseTo(100, -0.5);

        core.store.enqueue(
          makeRecord({
            policy: 'summarize',
            path: ESTIMATE_BODIES['openai-chat'].path,
            exchange: { ...makeRecord().exchange, requestBody: JSON.stringify(ESTIMATE_BODIES['openai-chat'].body) },
          }),
        );
        await core.store.flush();
        const [logged] = (await h.client.listRequests({ limit: 1 })).rows;
        const fromLog = await h.client.estimate({ requestId: logged!.id });
        expect(fromLog).toMatchObject({ input: 'openai-chat', policy: 'summarize', inputTokens: chat.inputTokens });
        expect((await rejection(h.client.estimate({ requestId: 999_999 }))).code).toBe('not_found');
        expect((await rejection(h.client.estimate({ body: '{"messages": [' }))).code).toBe('invalid_input');

        const dists = await h.client.getTokenDistributions();
        expect(dists.map((d) => [d.model, d.sampleCount])).toEqual([
          ['gpt-4o-mini', 41],
          ['claude-haiku-4-5', 25],
          ['llama3.2', 5],
        ]);
        expect(dists[0]!.calibration.window).toBe(41);
      },
    );

    it('reports status: proxy, upstreams, writer, database', async () => {
      const status = await h.client.getStatus();
      expect(status.proxy.state).toBe('listening');
      expect(status.upstreams[0]?.name).toBe('openai');
      expect(status.writer.state).toBe('ok');
      expect(status.database.path).toBe(core.store.path);
      expect(status.database.sizeBytes).toBeGreaterThan(0);
    });

    it('reads and updates settings; invalid values and bind failures are typed errors', async () => {
      expect(await h.client.getSettings()).toMatchObject({ port: 8080 });
      expect(await h.client.updateSettings({ port: 9090 })).toMatchObject({
        restarted: true,
        settings: { port: 9090 },
      });
      const invalid = await rejection(h.client.updateSettings({ port: 'high' } as never));
      expect(invalid.code).toBe('invalid_input');
      expect(invalid.issues?.[0]?.path).toEqual(['port']);
      // A rule over the whole object, checked when the core merges the patch.
      const upstream = { name: 'dup', baseUrl: 'http://127.0.0.1:1' };
      const duplicate = await rejection(
        h.client.updateSettings({ upstreams: [upstream, { ...upstream, mount: '/other' }] }),
      );
      expect(duplicate.code).toBe('invalid_input');
      expect(duplicate.issues?.[0]?.path).toEqual(['upstreams', 1, 'name']);
      core.failNextBind();
      const bind = await rejection(h.client.updateSettings({ port: 9191 }));
      expect(bind.code).toBe('bind_failed');
      expect(bind.message).toMatch(/EADDRINUSE/);
      expect(await h.client.getSettings()).toMatchObject({ port: 9090 });
    });

    it('keeps OTLP header values secret: masked on the way out, a mask sent back keeps the value', async () => {
      const secret = 'Basic cGstbGYtMTIzNDU2Nzg5MDpzay1sZi1hYmNkZWZnaGlq';
      const otlp = {
        enabled: false,
        endpoint: 'https://otel.example/api/public/otel',
        headers: { Authorization: secret },
      };
      const saved = await h.client.updateSettings({ otlp });
      const masked = saved.settings.otlp!.headers.Authorization!;
      expect(masked).not.toContain('cGst');
      expect(masked).toMatch(/\u2026.{4}$/);
      expect((await h.client.getSettings()).otlp!.headers).toEqual({ Authorization: masked });
      expect(JSON.stringify(await h.client.getSettings())).not.toContain(secret);
      // The form saved as shown (the mask unchanged, another field edited) keeps the stored value.
      await h.client.updateSettings({ otlp: { ...saved.settings.otlp!, serviceName: 'team-a' } });
      expect(core.getSettings().otlp).toMatchObject({ serviceName: 'team-a', headers: { Authorization: secret } });
      const stray = await rejection(
        h.client.updateSettings({ otlp: { ...otlp, headers: { Authorization: 'x\u2026zzzz' } } }),
      );
      expect(stray.issues?.[0]?.path).toEqual(['otlp', 'headers', 'Authorization']);
    });

    it('exports through the host with defaults filled in; clears logs older than a time, then all', async () => {
      const result = await h.client.exportDatabase({ format: 'jsonl', destination: '/tmp/x.jsonl' });
      expect(result.path).toBe('/tmp/x.jsonl');
      expect(exported).toEqual([
        expect.objectContaining({ format: 'jsonl', scope: 'all', includeBodies: true, destination: '/tmp/x.jsonl' }),
      ]);
      const noDestination = await rejection(h.client.exportDatabase({ format: 'csv' }));
      expect(noDestination.code).toBe('invalid_input');
      core.store.enqueue(makeRecord({ timestamp: '2020-01-01T00:00:00.000Z', correlationId: 'old' }));
      core.store.enqueue(makeRecord({ timestamp: '2030-01-01T00:00:00.000Z', correlationId: 'new' }));
      await core.store.flush();
      const total = (await h.client.listRequests({ limit: 1000 })).rows.length;
      expect(await h.client.clearLogs({ confirm: true, before: '2021-01-01T00:00:00.000Z' })).toEqual({ deleted: 1 });
      const left = (await h.client.listRequests({ limit: 1000 })).rows;
      expect(left.map((r) => r.correlationId)).not.toContain('old');
      expect(left).toHaveLength(total - 1);
      expect(await h.client.clearLogs({ confirm: true })).toEqual({ deleted: total - 1 });
      expect((await h.client.listRequests({})).rows).toEqual([]);
      expect(await h.client.getTokenRatios()).toEqual([]);
    });

    it('refuses invalid input for every call, and the connection stays usable', async () => {
      expect(Object.keys(INVALID).sort()).toEqual([...callNames].sort());
      for (const name of callNames) {
        for (const bad of INVALID[name]) {
          const call = h.client[name] as (input: unknown) => Promise<unknown>;
          const err = await rejection(call(bad));
          expect({ name, bad, code: err.code }).toEqual({ name, bad, code: 'invalid_input' satisfies ApiErrorCode });
          expect(err.message).toMatch(/^Invalid /);
        }
      }
      expect((await h.client.getStatus()).proxy.state).toBe('listening');
    });

    it('answers an unknown channel with unknown_call', async () => {
      const err = await rejection(h.rawCall('requests:delete-everything', {}));
      expect(err.code).toBe('unknown_call');
      expect(await h.rawCall('status:get')).toMatchObject({ proxy: { state: 'listening' } });
    });

    it('pushes committed rows as requestsAppended, at most ten events a second', async () => {
      await h.client.clientReady();
      const seen: EventPayload<'requestsAppended'>[] = [];
      h.client.on('requestsAppended', (p) => seen.push(p));
      const last = nextEvent(h.client, 'requestsAppended', (p) => p.rows.some((r) => r.correlationId === 'final'));
      const began = Date.now();
      // 30 separate commits, as fast as the writer takes them.
      for (let i = 0; i < 29; i++) await seed(1);
      await seed(1, { correlationId: 'final' });
      const final = await last;
      const elapsed = Date.now() - began;
      expect(final.newestId).toBe(Math.max(...final.rows.map((r) => r.id)));
      expect(seen.flatMap((p) => p.rows)).toHaveLength(30);
      // At most one event per 100 ms window (delivery delays only stretch `elapsed`).
      expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    });

    it('queues events until the page says it is ready', async () => {
      const got: string[] = [];
      h.client.on('requestsAppended', (p) => got.push(...p.rows.map((r) => r.correlationId)));
      h.client.on('requestStarted', (p) => got.push(`started:${p.id}`));
      core.emit({
        type: 'requestStarted',
        payload: {
          id: 'early',
          timestamp: new Date().toISOString(),
          method: 'POST',
          path: '/v1/chat/completions',
          provider: 'openai',
          model: 'gpt',
          policy: null,
          streaming: true,
        },
      });
      const appended = new Promise<void>((resolve) => {
        const off = core.store.on('committed', () => {
          off();
          resolve();
        });
      });
      await seed(1, { correlationId: 'queued' });
      await appended;
      // The server has the events by now; the page must not, until it is ready.
      await h.client.getStatus();
      expect(got).toEqual([]);
      const delivered = nextEvent(h.client, 'requestsAppended');
      await h.client.clientReady();
      await delivered;
      expect(got).toEqual(['started:early', 'queued']);
    });

    it(
      'pushes in-flight events (started, progress, ' + 'finished), status changes, menu commands and export progress',
      async () => {
        await h.client.clientReady();
        const started = nextEvent(h.client, 'requestStarted');
        const progress = nextEvent(h.client, 'requestProgress');
        const finished = nextEvent(h.client, 'requestFinished');
        const status = nextEvent(h.client, 'statusChanged');
        const menu = nextEvent(h.client, 'menuCommand');
        const exporting = nextEvent(h.client, 'exportProgress');
        core.emit({
          type: 'requestStarted',
          payload: {
            id: 'c1',
            timestamp: new Date().toISOString(),
            method: 'POST',
            path: '/v1/messages',
            provider: 'anthropic',
            model: 'claude',
            policy: 'chat',
            streaming: true,
          },
        });
        core.emit({
          type: 'requestProgress',
          payload: {
            id: 'c1',
            events: 2,
            outputTokens: 3,
            textDelta: 'Hi',
            newEvents: [{ event: 'content_block_delta', data: '{}' }],
          },
        });
        core.emit({ type: 'requestFinished', payload: { id: 'c1' } });
        core.emit({ type: 'proxyChanged' });
        h.broadcast('menuCommand', 'settings');
        core.emit({ type: 'exportProgress', payload: { jobId: 'j1', phase: 'writing', done: 2000, total: 5000 } });
        expect(await started).toMatchObject({ id: 'c1', policy: 'chat' });
        expect(await progress).toMatchObject({
          id: 'c1',
          textDelta: 'Hi',
          newEvents: [{ event: 'content_block_delta' }],
        });
        expect(await finished).toEqual({ id: 'c1' });
        expect((await status).database.path).toBe(core.store.path);
        expect(await menu).toBe('settings');
        expect(await exporting).toEqual({ jobId: 'j1', phase: 'writing', done: 2000, total: 5000 });
      },
    );
  });
}
