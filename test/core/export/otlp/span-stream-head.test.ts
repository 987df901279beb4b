// With message content off, a streamed row's span reads its reply's model from the stream's first events, not
// from all of them. Its attributes must be those of a span that read the whole stream: the same span with
// content on (which reads every event) less its content attributes. Stored rows of each streaming format, with
// replies long enough that the head is a small part of the stream, through the real log writer and reader.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attributes } from '@opentelemetry/api';
import type { RequestDetail } from '../../../../electron/core/contract/model';
import { CONTENT_ATTRIBUTES } from '../../../../electron/core/export/otlp/conventions';
import { buildResource, scope } from '../../../../electron/core/export/otlp/resource';
import { buildSpan, type SpanOptions } from '../../../../electron/core/export/otlp/span';
import { openLogStore, type LogStore } from '../../../../electron/core/storage';
import { streamBody, type FakeFormat } from '../../../helpers/fake-upstream-bodies';
import { makeRecord, tempDir } from '../../../helpers/records';

const MODEL = 'model-from-the-stream-2026-12-01';
const REPLY = Array.from({ length: 4000 }, (_, i) => `word${i}`).join(' ');

const CASES: { format: FakeFormat; path: string; provider: string }[] = [
  { format: 'openai-chat', path: '/v1/chat/completions', provider: 'openai' },
  { format: 'openai-responses', path: '/v1/responses', provider: 'openai' },
  { format: 'anthropic-messages', path: '/v1/messages', provider: 'anthropic' },
  { format: 'gemini', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', provider: 'gemini' },
  { format: 'ollama-chat', path: '/api/chat', provider: 'ollama' },
];

/** Streams whose model comes later than the first events: what precedes it, per format. */
const LATE: Partial<Record<FakeFormat, { what: string; events: string }>> = {
  // Azure OpenAI's first chunk names no model (""): here 40 KB of them, past the first head, within the second.
  'openai-chat': {
    what: "Azure's model-less chunks first",
    events: 'data: {"id":"","object":"","created":0,"model":"","choices":[],"prompt_filter_results":[]}\n\n'.repeat(
      450,
    ),
  },
  // Events the reader parses that carry no model, past both heads: the whole stream is read.
  'anthropic-messages': { what: 'pings first', events: 'event: ping\ndata: {"type": "ping"}\n\n'.repeat(5000) },
  // No events at all in either head.
  gemini: { what: 'keep-alive comments first', events: ': keep-alive\n\n'.repeat(6000) },
};

const options = (content: SpanOptions['content']): SpanOptions => ({
  resource: buildResource({ serviceName: 'test', installId: null }),
  scope,
  servers: new Map(),
  content,
});

const withoutContent = (attributes: Attributes) =>
  Object.fromEntries(
    Object.entries(attributes).filter(([key]) => !(Object.values(CONTENT_ATTRIBUTES) as string[]).includes(key)),
  );

let store: LogStore;
let cleanup: () => void;
const details = new Map<string, RequestDetail>();

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
  const rows: [string, ReturnType<typeof makeRecord>][] = [];
  for (const c of CASES) {
    const body = streamBody({
      format: c.format,
      model: MODEL,
      reply: REPLY,
      usage: { input: 12, output: 4000 },
      includeUsage: true,
      geminiArray: false,
    });
    const responseBody = body.pieces.map(String).join('');
    const record = (name: string, responseBody: string) =>
      rows.push([
        name,
        makeRecord({
          path: c.path,
          provider: c.provider,
          model: 'the-requested-model',
          streaming: true,
          exchange: {
            requestHeaders: { 'content-type': 'application/json' },
            responseHeaders: { 'content-type': body.contentType },
            requestBody: JSON.stringify({
              model: 'the-requested-model',
              stream: true,
              temperature: 0.5,
              messages: [{ role: 'user', content: 'Count.' }],
            }),
            requestBodyTruncated: false,
            responseBody,
            responseBodyTruncated: false,
          },
        }),
      ]);
    record(c.format, responseBody);
    const filler = LATE[c.format];
    if (filler) record(`${c.format}, ${filler.what}`, filler.events + responseBody);
  }
  for (const [, r] of rows) store.enqueue(r);
  await store.flush();
  const page = await store.listRequests({}, null, rows.length);
  const byCorrelation = new Map(page.rows.map((r) => [r.correlationId, r.id]));
  for (const [name, r] of rows) details.set(name, (await store.getRequest(byCorrelation.get(r.correlationId)!))!);
});

afterAll(async () => {
  await store?.close();
  cleanup?.();
});

describe("a streamed span without message content reads its reply's model from the stream's head", () => {
  it('has the attributes of a span that read every event, in every streaming format', () => {
    expect(details.size).toBe(CASES.length + Object.keys(LATE).length);
    for (const [name, detail] of details) {
      expect(detail.exchange.responseBody!.length, name).toBeGreaterThan(20_000);
      const head = buildSpan(detail, options(null)).attributes;
      const whole = buildSpan(detail, options({ maxChars: 1_000_000 })).attributes;
      expect(whole[CONTENT_ATTRIBUTES.output], name).toContain('word3999');
      expect(head['gen_ai.response.model'], name).toBe(MODEL);
      expect(head, name).toEqual(withoutContent(whole));
    }
  });

  it('reads the whole stream when the row has no finish reason, which the reply then gives', async () => {
    const detail = { ...details.get('anthropic-messages')!, finishReason: null };
    const attributes = buildSpan(detail, options(null)).attributes;
    expect(attributes['gen_ai.response.model']).toBe(MODEL);
    // The fake upstream's Anthropic stream ends with stop_reason end_turn: only the last events say so.
    expect(attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
  });
});
