// The OTLP export end to end: official SDK clients → the real proxy → a fake upstream; the rows the
// writer commits → the export thread → a real OTLP/HTTP receiver on loopback that decodes each
// request with the official OpenTelemetry protobuf definitions. Every attribute is checked against
// the committed rows; failures of the receiver and restarts of the app lose and duplicate nothing.
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../../electron/core/app-core';
import type { RequestDetail } from '../../../../electron/core/contract/model';
import type { SettingsInput } from '../../../../electron/core/contract/settings-schema';
import type { AppStatus } from '../../../../electron/core/contract/types';
import { runCli } from '../../../../electron/core/cli/run-cli';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../../helpers/otlp-receiver';

let dir: string;
let upstream: FakeUpstream;
let receiver: OtlpReceiver;
let core: Core | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'otlp-test-'));
  upstream = await startFakeUpstream();
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await core?.stop();
  core = null;
  await receiver.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

const dbPath = () => join(dir, 'log.sqlite');

async function start(otlp: Record<string, unknown> | undefined, extra: SettingsInput = {}): Promise<Core> {
  core = await startCore({
    settingsPath: join(dir, 'settings.json'),
    dbPath: dbPath(),
    overrides: {
      port: 0,
      upstreams: [
        { name: 'openai', baseUrl: upstream.url, mount: '/' },
        { name: 'anthropic', baseUrl: upstream.url, mount: '/anthropic' },
      ],
      ...(otlp ? { otlp: { enabled: true, endpoint: receiver.url, ...otlp } as never } : {}),
      ...extra,
    },
  });
  return core;
}

const proxyUrl = (c: Core) => `http://127.0.0.1:${c.proxy.address()!.port}`;
const openai = (c: Core, behaviour?: object) =>
  new OpenAI({
    apiKey: 'sk-test-key',
    baseURL: `${proxyUrl(c)}/v1`,
    maxRetries: 0,
    defaultHeaders: behaviour ? { 'x-fake-behaviour': JSON.stringify(behaviour) } : {},
  });
const anthropic = (c: Core, behaviour?: object) =>
  new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: `${proxyUrl(c)}/anthropic`,
    maxRetries: 0,
    defaultHeaders: behaviour ? { 'x-fake-behaviour': JSON.stringify(behaviour) } : {},
  });

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}

/** Every committed row with its exchange, oldest first. */
async function details(c: Core): Promise<RequestDetail[]> {
  await c.proxy.whenIdle();
  await c.store.flush();
  const rows = c.store.listRequests({}, null, 1000).rows.reverse();
  return Promise.all(rows.map(async (r) => (await c.store.getRequest(r.id))!));
}

function statusWhere(c: Core, ready: (s: AppStatus) => boolean): Promise<AppStatus> {
  const now = c.status();
  if (ready(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = c.events.on('statusChanged', (s) => {
      if (!ready(s)) return;
      off();
      resolve(s);
    });
  });
}

const byRequest = (spans: ReceivedSpan[]) => new Map(spans.map((s) => [s.attributes['llm_inspector.request_id'], s]));

/** What the conventions (v1.41.0) say the span of `row` carries, written out independently of the exporter. */
function expectedAttributes(row: RequestDetail, operation: string, provider: string): Record<string, unknown> {
  // Cut before the answer was whole: it began with a 2xx (or not at all), and still failed.
  const interrupted = !row.success && (row.status === null || (row.status >= 200 && row.status < 300));
  const expected: Record<string, unknown> = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': row.model,
    'gen_ai.request.stream': row.streaming,
    'gen_ai.usage.input_tokens': row.inputTokens ?? undefined,
    'gen_ai.usage.output_tokens': row.outputTokens ?? undefined,
    'gen_ai.usage.cache_read.input_tokens': row.cacheReadTokens ?? undefined,
    'gen_ai.usage.cache_creation.input_tokens': row.cacheWriteTokens ?? undefined,
    'gen_ai.usage.reasoning.output_tokens': row.reasoningTokens ?? undefined,
    'gen_ai.response.finish_reasons': row.finishReason ? [row.finishReason] : undefined,
    'gen_ai.response.time_to_first_chunk': row.streaming && row.ttfbMs !== null ? row.ttfbMs / 1000 : undefined,
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(upstream.url).port),
    'http.response.status_code': row.status ?? undefined,
    'error.type': row.success ? undefined : interrupted ? 'interrupted' : String(row.errorStatus),
    'llm_inspector.request_id': row.id,
    'llm_inspector.correlation_id': row.correlationId,
    'llm_inspector.upstream': row.provider,
    'llm_inspector.policy': row.policy ?? undefined,
    'llm_inspector.cost': row.cost ?? undefined,
    'llm_inspector.provider_cost': row.providerCost ?? undefined,
    'llm_inspector.tokens_estimated': row.tokensEstimated,
    'llm_inspector.interrupted': interrupted ? true : undefined,
    'llm_inspector.thread_id': row.threadId ?? undefined,
    'llm_inspector.turn': row.turn ?? undefined,
  };
  return Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined));
}

describe('OTLP export of SDK traffic', () => {
  it('sends one GenAI client span per request, every attribute as the committed row says', async () => {
    const c = await start({});
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Say hello' }],
      temperature: 0.25,
      top_p: 0.5,
      max_tokens: 64,
      seed: 7,
      stop: ['END'],
    };
    await openai(c, { usage: { input: 30, output: 9, cacheRead: 10, reasoning: 4 } }).chat.completions.create(params);
    await drain(await openai(c).chat.completions.create({ ...params, stream: true }));
    await anthropic(c, { usage: { input: 100, output: 20, cacheRead: 50, cacheWrite: 10 } }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await drain(
      anthropic(c).messages.stream({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    // An interrupted stream: the upstream resets the connection midway.
    await expect(
      drain(
        await openai(c, {
          resetAfterChunks: 3,
          chunkDelayMs: 5,
          reply: 'one two three four five six',
        }).chat.completions.create({
          ...params,
          stream: true,
        }),
      ),
    ).rejects.toThrow();
    // An error the upstream answers.
    await expect(
      openai(c, { status: 429, errorMessage: 'slow down' }).chat.completions.create(params),
    ).rejects.toThrow();

    const rows = await details(c);
    expect(rows).toHaveLength(6);
    await receiver.waitForSpans(6);
    const spans = byRequest(receiver.spans);
    expect(receiver.spans).toHaveLength(6);
    expect(receiver.requests.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    expect(receiver.requests.every((r) => r.contentEncoding === 'gzip')).toBe(true);

    for (const row of rows) {
      const span = spans.get(row.id)!;
      const anthropicRow = row.provider === 'anthropic';
      const operation = 'chat';
      expect(span.name).toBe(`${operation} ${row.model}`);
      expect(span.kind).toBe(3); // SPAN_KIND_CLIENT
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.parentSpanId).toBeNull();
      const start = BigInt(Date.parse(row.timestamp)) * 1_000_000n;
      expect(span.startTimeUnixNano).toBe(start);
      expect(Number(span.endTimeUnixNano - start) / 1e6).toBeCloseTo(row.latencyMs!, 3);
      expect(span.status.code).toBe(row.success ? 0 : 2);
      if (!row.success) expect(span.status.message).toBe(row.errorMessage);
      const { ['gen_ai.response.model']: responseModel, ...rest } = span.attributes;
      const requestParams = Object.fromEntries(
        Object.entries(rest).filter(
          ([k]) => k.startsWith('gen_ai.request.') && !['gen_ai.request.model', 'gen_ai.request.stream'].includes(k),
        ),
      );
      const others = Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in requestParams)));
      expect(others).toEqual(expectedAttributes(row, operation, anthropicRow ? 'anthropic' : 'openai'));
      if (row.success) expect(responseModel).toBe(row.model);
      if (anthropicRow && row.model === 'claude-sonnet-4-6')
        expect(requestParams).toEqual({ 'gen_ai.request.max_tokens': 256 });
      else if (!anthropicRow)
        expect(requestParams).toEqual({
          'gen_ai.request.temperature': 0.25,
          'gen_ai.request.top_p': 0.5,
          'gen_ai.request.max_tokens': 64,
          'gen_ai.request.seed': 7,
          'gen_ai.request.stop_sequences': ['END'],
        });
      // Metadata only unless the user opts in.
      expect(Object.keys(span.attributes).filter((k) => k.includes('messages') || k.includes('instructions'))).toEqual(
        [],
      );
      expect(span.resource).toMatchObject({
        'service.name': 'llm-request-inspector',
        'service.version': expect.stringMatching(/^\d+\.\d+\.\d+/),
        'service.instance.id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(span.scope).toMatchObject({
        name: 'llm-request-inspector',
        schemaUrl: 'https://opentelemetry.io/schemas/1.41.0',
      });
    }
    // The rows cover what the test set out to send: tokens of every kind, a cut stream, an error.
    expect(rows.some((r) => r.cacheWriteTokens === 10 && r.cacheReadTokens === 50)).toBe(true);
    expect(rows.some((r) => r.reasoningTokens === 4)).toBe(true);
    expect(spans.get(rows[4]!.id)!.attributes).toMatchObject({
      'llm_inspector.interrupted': true,
      'error.type': 'interrupted',
    });
    expect(spans.get(rows[5]!.id)!.attributes['error.type']).toBe('429');
    // The install id is kept in the data folder, private to the user.
    expect((await stat(join(dir, 'install-id'))).mode & 0o777).toBe(0o600);
    // The receiver's answer reaches the thread after the spans reach the receiver: await the status it pushes.
    expect((await statusWhere(c, (s) => s.otlp?.pending === 0)).otlp).toMatchObject({
      state: 'exporting',
      exported: 6,
      pending: 0,
      lastError: null,
    });
  });

  it('sends message content only when asked, capped per attribute with a marker', async () => {
    const c = await start({ content: true, contentMaxChars: 1024 });
    await anthropic(c, { reply: 'Hello there' }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await openai(c).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(5000) }],
    });
    await receiver.waitForSpans(2);
    const [small, big] = receiver.spans;
    expect(JSON.parse(small!.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(small!.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
    ]);
    expect(JSON.parse(small!.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello there' }], finish_reason: 'end_turn' },
    ]);
    expect(small!.attributes['llm_inspector.content_truncated']).toBeUndefined();
    const input = big!.attributes['gen_ai.input.messages'] as string;
    expect(input.length).toBeLessThanOrEqual(1024);
    const parsed = JSON.parse(input) as { role: string; parts: { content: string }[] }[];
    expect(parsed[0]!.parts[0]!.content).toMatch(/^x+…\[cut\]$/);
    expect(big!.attributes['llm_inspector.content_truncated']).toEqual(['gen_ai.input.messages']);
  });
});

describe('delivery', () => {
  it('a receiver down for a while (5xx, then refused) gets every span exactly once after', async () => {
    receiver.fail(503);
    const c = await start({});
    for (let i = 0; i < 3; i++)
      await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `a${i}` }] });
    await receiver.waitForFailures(1);
    expect((await statusWhere(c, (s) => s.otlp?.state === 'failing')).otlp!.lastError).toMatch(/^HTTP 503/);
    await receiver.down();
    for (let i = 0; i < 2; i++)
      await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `b${i}` }] });
    const refused = await statusWhere(c, (s) => /ECONNREFUSED/.test(s.otlp?.lastError ?? ''));
    expect(refused.otlp).toMatchObject({ state: 'failing', pending: 5, exported: 0 });
    receiver.fail(null);
    await receiver.up();
    await receiver.waitForSpans(5);
    await statusWhere(c, (s) => s.otlp?.pending === 0);
    const rows = await details(c);
    expect(receiver.spans.map((s) => s.attributes['llm_inspector.request_id']).sort()).toEqual(
      rows.map((r) => r.id).sort(),
    );
    expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(5);
  });

  it('a restart mid-export resumes from the outbox: nothing lost, nothing sent twice', async () => {
    let c = await start({});
    for (let i = 0; i < 2; i++)
      await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `a${i}` }] });
    await receiver.waitForSpans(2);
    receiver.fail(500);
    for (let i = 0; i < 2; i++)
      await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `b${i}` }] });
    await receiver.waitForFailures(1);
    await c.stop();
    core = null;
    // The mark is where the receiver's last acceptance left it.
    const db = new Database(dbPath(), { readonly: true });
    const marks = db.prepare('SELECT high_water_id FROM otlp_outbox').pluck().all();
    db.close();
    expect(marks).toEqual([2]);

    receiver.fail(null);
    c = await start({});
    await receiver.waitForSpans(4);
    await statusWhere(c, (s) => s.otlp?.pending === 0);
    expect(receiver.spans.map((s) => s.attributes['llm_inspector.request_id'])).toEqual([1, 2, 3, 4]);
  });

  it('backfills history from a date, over OTLP/JSON; the CLI resends a file as the same spans', async () => {
    let c = await start(undefined);
    for (let i = 0; i < 3; i++)
      await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `old${i}` }] });
    await c.stop();
    // Turned on later: only what comes after, unless a backfill date says otherwise.
    c = await start({ protocol: 'http/json', backfillFrom: '2000-01-01' });
    await openai(c).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'new' }] });
    await receiver.waitForSpans(4);
    await statusWhere(c, (s) => s.otlp?.pending === 0);
    expect(receiver.requests.every((r) => r.contentType === 'application/json')).toBe(true);
    expect(receiver.spans.map((s) => s.attributes['llm_inspector.request_id']).sort()).toEqual([1, 2, 3, 4]);
    const live = new Map(receiver.spans.map((s) => [s.spanId, s.traceId]));
    await c.stop();
    core = null;

    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['export', '--format', 'otlp', '--endpoint', receiver.url, '--db', dbPath(), '--header', 'x-team: secret-value'],
      { out: (t) => out.push(t), err: (t) => err.push(t), color: false },
    );
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join('\n')).toMatch(/exported 4 requests as spans/);
    const resent = receiver.spans.slice(4);
    expect(resent).toHaveLength(4);
    for (const s of resent) expect(live.get(s.spanId)).toBe(s.traceId);
    expect(receiver.requests.at(-1)!.headers['x-team']).toBe('secret-value');
  });
});
