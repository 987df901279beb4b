import { describe, expect, it } from 'vitest';
import { createResponseObserver, type ApiFormat, type UsageResult } from '../../../../electron/core/proxy/usage';
import { jsonPrefix } from '../../../../electron/core/proxy/usage/state';
import * as fx from './fixtures';

interface Case {
  name: string;
  format: ApiFormat;
  streaming: boolean;
  contentType: string | null;
  body: string;
  expected: Partial<UsageResult>;
}

function observe(c: Pick<Case, 'format' | 'streaming' | 'contentType'>, chunks: Buffer[]): UsageResult {
  const o = createResponseObserver(c.format, { streaming: c.streaming, contentType: c.contentType });
  for (const ch of chunks) o.write(ch);
  return o.end();
}

const SSE = 'text/event-stream; charset=utf-8';

const cases: Case[] = [
  {
    name: 'OpenAI chat stream with usage chunk',
    format: 'openai-chat',
    streaming: true,
    contentType: SSE,
    body: fx.openaiChatStream,
    expected: {
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 1200,
      outputTokens: 85,
      cacheReadTokens: 1024,
      cacheWriteTokens: null,
      reasoningTokens: 64,
      finishReason: 'stop',
      outputText: 'Hello, wörld 👋',
      events: 6,
      errorMessage: null,
      providerCost: null,
    },
  },
  {
    name: 'OpenAI chat body',
    format: 'openai-chat',
    streaming: false,
    contentType: 'application/json',
    body: fx.openaiChatBody,
    expected: {
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1200,
      outputTokens: 85,
      cacheReadTokens: 1024,
      reasoningTokens: 64,
      finishReason: 'length',
      outputText: 'Hi there',
      events: 0,
    },
  },
  {
    name: 'OpenRouter stream with usage.cost and keep-alive comments',
    format: 'openai-chat',
    streaming: true,
    contentType: SSE,
    body: fx.openrouterStream,
    expected: {
      model: 'anthropic/claude-3.5-sonnet',
      inputTokens: 10,
      outputTokens: 2,
      providerCost: 0.000123,
      outputText: 'Yo',
      finishReason: 'stop',
      events: 3,
    },
  },
  {
    name: 'legacy Completions stream',
    format: 'openai-completions',
    streaming: true,
    contentType: SSE,
    body: fx.openaiCompletionsStream,
    expected: {
      model: 'gpt-3.5-turbo-instruct',
      inputTokens: 5,
      outputTokens: 2,
      outputText: 'Once upon',
      finishReason: 'length',
      events: 4,
    },
  },
  {
    name: 'Responses stream',
    format: 'openai-responses',
    streaming: true,
    contentType: SSE,
    body: fx.responsesStream,
    expected: {
      model: 'o4-mini-2025-04-16',
      inputTokens: 300,
      outputTokens: 500,
      cacheReadTokens: 128,
      reasoningTokens: 448,
      finishReason: 'completed',
      outputText: 'Paris.',
      events: 6,
    },
  },
  {
    name: 'Responses body',
    format: 'openai-responses',
    streaming: false,
    contentType: 'application/json',
    body: fx.responsesBody,
    expected: {
      model: 'o4-mini-2025-04-16',
      inputTokens: 300,
      outputTokens: 500,
      cacheReadTokens: 128,
      reasoningTokens: 448,
      outputText: 'Paris.',
    },
  },
  {
    name: 'Anthropic stream (cumulative message_delta, cache tokens in the input total)',
    format: 'anthropic-messages',
    streaming: true,
    contentType: SSE,
    body: fx.anthropicStream,
    expected: {
      model: 'claude-sonnet-4-20250514',
      inputTokens: 3025,
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
      outputTokens: 42,
      reasoningTokens: null,
      finishReason: 'end_turn',
      outputText: 'Hello!',
      events: 9,
    },
  },
  {
    name: 'Anthropic body',
    format: 'anthropic-messages',
    streaming: false,
    contentType: 'application/json',
    body: fx.anthropicBody,
    expected: {
      model: 'claude-3-5-haiku-20241022',
      inputTokens: 150,
      cacheReadTokens: 50,
      cacheWriteTokens: 0,
      outputTokens: 20,
      finishReason: 'tool_use',
      outputText: 'Bonjour',
    },
  },
  {
    name: 'Gemini SSE stream (CRLF)',
    format: 'gemini',
    streaming: true,
    contentType: SSE,
    body: fx.geminiSseStream,
    expected: {
      model: 'gemini-2.5-flash',
      inputTokens: 120,
      outputTokens: 36,
      reasoningTokens: 30,
      cacheReadTokens: 100,
      finishReason: 'STOP',
      outputText: 'The sky is blue.',
      events: 2,
    },
  },
  {
    name: 'Gemini JSON array stream',
    format: 'gemini',
    streaming: true,
    contentType: 'application/json; charset=UTF-8',
    body: fx.geminiArrayStream,
    expected: {
      model: 'gemini-2.5-flash',
      inputTokens: 120,
      outputTokens: 36,
      reasoningTokens: 30,
      cacheReadTokens: 100,
      finishReason: 'STOP',
      outputText: 'The sky is blue.',
      events: 2,
    },
  },
  {
    name: 'Gemini body (thought parts are not output text)',
    format: 'gemini',
    streaming: false,
    contentType: 'application/json',
    body: fx.geminiBody,
    expected: {
      model: 'gemini-2.0-flash',
      inputTokens: 10,
      outputTokens: 10,
      reasoningTokens: 9,
      cacheReadTokens: null,
      finishReason: 'MAX_TOKENS',
      outputText: '42',
    },
  },
  {
    name: 'Ollama chat NDJSON stream',
    format: 'ollama-chat',
    streaming: true,
    contentType: 'application/x-ndjson',
    body: fx.ollamaChatStream,
    expected: {
      model: 'llama3.2',
      inputTokens: 26,
      outputTokens: 298,
      finishReason: 'stop',
      outputText: 'The end',
      events: 3,
      cacheReadTokens: null,
    },
  },
  {
    name: 'Ollama generate body',
    format: 'ollama-generate',
    streaming: false,
    contentType: 'application/json; charset=utf-8',
    body: fx.ollamaGenerateBody,
    expected: { model: 'qwen2.5:7b', inputTokens: 8, outputTokens: 3, finishReason: 'stop', outputText: 'Blue.' },
  },
];

describe('createResponseObserver', () => {
  for (const c of cases) {
    it(`${c.name}: in one chunk`, () => {
      expect(observe(c, [Buffer.from(c.body)])).toMatchObject(c.expected);
    });
  }

  // The proxy hands end() the body its capture already decoded; every result must be the same
  // as the observer decoding its own copy, for every fixture, streamed or not, split or not.
  for (const c of cases) {
    it(`${c.name}: same result when end() is given the decoded body`, () => {
      const buf = Buffer.from(c.body);
      const half = buf.length >> 1;
      for (const chunks of [[buf], [buf.subarray(0, half), buf.subarray(half)]]) {
        const o = createResponseObserver(c.format, { streaming: c.streaming, contentType: c.contentType });
        for (const ch of chunks) o.write(ch);
        expect(o.end(c.body)).toEqual(observe(c, chunks));
      }
    });
  }

  it('parses a non-streamed body from the text end() is given instead of joining its chunks again', () => {
    const c = { format: 'openai-chat' as const, streaming: false, contentType: 'application/json' };
    const o = createResponseObserver(c.format, c);
    o.write(Buffer.from(fx.openaiChatBody));
    // A different (valid) text proves which one was parsed; the proxy only passes the same bytes.
    const other = JSON.stringify({ model: 'm-given', usage: { prompt_tokens: 7, completion_tokens: 3 } });
    expect(o.end(other)).toMatchObject({ model: 'm-given', inputTokens: 7, outputTokens: 3 });
  });

  // Every stream fixture, cut in two at every byte (inside multi-byte characters, between
  // CR and LF, inside field names) and fed one byte at a time: always the same result.
  for (const c of cases.filter((x) => x.streaming)) {
    it(`${c.name}: split at every byte`, () => {
      const buf = Buffer.from(c.body);
      const whole = observe(c, [buf]);
      for (let i = 0; i <= buf.length; i++) {
        expect(observe(c, [buf.subarray(0, i), buf.subarray(i)]), `split at ${i}`).toEqual(whole);
      }
      expect(
        observe(
          c,
          [...buf].map((b) => Buffer.from([b])),
        ),
      ).toEqual(whole);
    });
  }

  it('splits a streamed JSON array whose strings hold brackets, quotes and backslashes', () => {
    const tricky = ['a}]"[{', 'back\\slash\\', '\u007d"}'];
    const body =
      '[' +
      tricky
        .map((t, i) =>
          JSON.stringify({
            candidates: [{ content: { parts: [{ text: t }] }, index: 0 }],
            usageMetadata: { promptTokenCount: 3, candidatesTokenCount: i + 1 },
          }),
        )
        .join(',\n') +
      ']';
    const c = { format: 'gemini' as const, streaming: true, contentType: 'application/json' };
    const buf = Buffer.from(body);
    const whole = observe(c, [buf]);
    expect(whole).toMatchObject({ outputText: tricky.join(''), events: 3, inputTokens: 3, outputTokens: 3 });
    for (let i = 0; i <= buf.length; i++) expect(observe(c, [buf.subarray(0, i), buf.subarray(i)])).toEqual(whole);
  });

  it('reads NDJSON with CRLF line endings, blank lines and no final newline', () => {
    const body = fx.ollamaChatStream.trimEnd().replace(/\n/g, '\r\n\r\n');
    expect(observe(cases[11]!, [Buffer.from(body)])).toMatchObject({
      inputTokens: 26,
      outputTokens: 298,
      outputText: 'The end',
      events: 3,
    });
  });

  it('keeps what a cut-off Anthropic stream reported; absent counts stay null, never 0', () => {
    const body = fx.anthropicStream;
    const cut = body.indexOf('event: content_block_delta');
    const r = observe(cases[6]!, [Buffer.from(body.slice(0, cut + 40))]);
    expect(r).toMatchObject({ inputTokens: 3025, cacheReadTokens: 2000, outputTokens: 1, finishReason: null });
    const empty = observe(cases[6]!, [Buffer.from(body.slice(0, 20))]);
    expect(empty).toMatchObject({ inputTokens: null, outputTokens: null, cacheReadTokens: null, events: 0 });
  });

  it('a cut-off OpenAI stream without its usage chunk has null counts but keeps the text', () => {
    const body = fx.openaiChatStream;
    const r = observe(cases[0]!, [Buffer.from(body.slice(0, body.indexOf('"choices":[]') - 20))]);
    expect(r).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      outputText: 'Hello, wörld 👋',
      finishReason: 'stop',
      events: 5,
    });
  });

  it('dispatches a last event that lost its blank line (stream cut right after it)', () => {
    const body = fx.openaiChatStream.replace(/\n\ndata: \[DONE\]\n\n$/, '\n');
    expect(observe(cases[0]!, [Buffer.from(body)])).toMatchObject({ inputTokens: 1200, outputTokens: 85 });
  });

  it('reads error bodies and in-stream error events', () => {
    const json = { streaming: false, contentType: 'application/json' };
    expect(observe({ format: 'anthropic-messages', ...json }, [Buffer.from(fx.anthropicErrorBody)]).errorMessage).toBe(
      'Overloaded',
    );
    expect(observe({ format: 'gemini', ...json }, [Buffer.from(fx.geminiErrorBody)]).errorMessage).toBe(
      'Resource has been exhausted',
    );
    expect(
      observe({ format: 'ollama-chat', ...json }, [Buffer.from('{"error":"model \\"x\\" not found"}')]).errorMessage,
    ).toBe('model "x" not found');
    const midStream =
      fx.anthropicStream.slice(0, 400) +
      '\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    expect(observe(cases[6]!, [Buffer.from(midStream)]).errorMessage).toBe('Overloaded');
    const openaiErr = 'data: {"error":{"message":"The server had an error","type":"server_error"}}\n\n';
    expect(observe(cases[0]!, [Buffer.from(openaiErr)]).errorMessage).toBe('The server had an error');
    const failed =
      'event: response.failed\ndata: ' +
      '{"type":"response.failed","response":{"id":"r","status":"failed","model":"gpt-4.1",' +
      '"error":{"code":"server_error","message":"boom"},"usage":null}}\n\n';
    expect(observe(cases[4]!, [Buffer.from(failed)])).toMatchObject({
      errorMessage: 'boom',
      finishReason: 'failed',
      inputTokens: null,
    });
  });

  it('a JSON error returned for a stream request is read as a body', () => {
    const r = observe({ format: 'openai-chat', streaming: true, contentType: 'application/json' }, [
      Buffer.from('{"error":{"message":"Invalid model","type":"invalid_request_error"}}'),
    ]);
    expect(r.errorMessage).toBe('Invalid model');
    const g = observe({ format: 'gemini', streaming: true, contentType: 'application/json' }, [
      Buffer.from(`[${fx.geminiErrorBody}]`),
    ]);
    expect(g.errorMessage).toBe('Resource has been exhausted');
  });

  it('never throws on garbage, and reports nothing from it', () => {
    for (const format of [
      'openai-chat',
      'anthropic-messages',
      'gemini',
      'ollama-chat',
      'openai-responses',
      'unknown',
    ] as const) {
      for (const ct of [SSE, 'application/json', 'application/x-ndjson', null, 'text/html']) {
        const o = createResponseObserver(format, { streaming: true, contentType: ct });
        o.write(Buffer.from('<html>\r\n\r\n\u0000{"usage": [}}]]\n\n}}}{{{[[["\\'));
        o.write(Buffer.from([0xff, 0xfe, 0x0d]));
        const r = o.end();
        expect(r).toMatchObject({ inputTokens: null, outputTokens: null, observerError: null });
      }
    }
  });

  it('ignores binary bodies (audio, images) instead of holding them', () => {
    const r = observe({ format: 'unknown', streaming: false, contentType: 'audio/mpeg' }, [
      Buffer.from('{"usage":{"prompt_tokens":1},"error":"x"}'),
    ]);
    expect(r).toMatchObject({ errorMessage: null, events: 0, model: null });
    const html = observe({ format: 'openai-chat', streaming: false, contentType: 'text/html' }, [
      Buffer.from('<html>502 Bad Gateway</html>'),
    ]);
    expect(html).toMatchObject({ errorMessage: null, inputTokens: null });
  });

  it('unknown formats never yield token counts (a GET of a stored response must not be billed again)', () => {
    const r = observe({ format: 'unknown', streaming: false, contentType: 'application/json' }, [
      Buffer.from(fx.responsesBody),
    ]);
    expect(r).toMatchObject({ model: 'o4-mini-2025-04-16', inputTokens: null, outputTokens: null });
  });

  it('end() is idempotent and writes after it are ignored', () => {
    const o = createResponseObserver('openai-chat', { streaming: false, contentType: 'application/json' });
    o.write(Buffer.from(fx.openaiChatBody));
    const first = o.end();
    o.write(Buffer.from('garbage'));
    expect(o.end()).toBe(first);
  });

  it('publishes progress since the last drain', () => {
    const o = createResponseObserver('anthropic-messages', { streaming: true, contentType: SSE });
    const body = fx.anthropicStream;
    const mid = body.indexOf('event: message_delta');
    o.write(Buffer.from(body.slice(0, mid)));
    const p1 = o.drainProgress();
    expect(p1).toMatchObject({ events: 6, outputTokens: 1, textDelta: 'Hello!', droppedEvents: 0 });
    expect(p1.newEvents.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
    ]);
    // Each event says what text it added, read by the format's own handler: the page never parses events.
    expect(p1.newEvents.map((e) => e.text)).toEqual([undefined, undefined, undefined, 'Hello', '!', undefined]);
    o.write(Buffer.from(body.slice(mid)));
    const p2 = o.drainProgress();
    expect(p2).toMatchObject({ events: 9, outputTokens: 42, textDelta: '' });
    expect(p2.newEvents).toHaveLength(3);
    expect(o.drainProgress()).toMatchObject({ events: 9, newEvents: [], textDelta: '' });
  });

  it('bounds the progress buffer when nobody drains it', () => {
    const o = createResponseObserver('openai-chat', { streaming: true, contentType: SSE });
    const ev = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' } }] })}\n\n`;
    o.write(Buffer.from(ev.repeat(1000)));
    const p = o.drainProgress();
    expect(p.newEvents.length).toBe(200);
    expect(p.droppedEvents).toBe(800);
    expect(p.events).toBe(1000);
  });

  it(
    'keeps only plausible token counts (integers, 0 <= n < 1e9) and a finite cost; anything else is ' +
      'null, with a note',
    () => {
      const body = (usage: object) => [Buffer.from(JSON.stringify({ model: 'm', choices: [], usage }))];
      const json = { format: 'openai-chat' as const, streaming: false, contentType: 'application/json' };
      const r = observe(
        json,
        body({
          prompt_tokens: 1.5,
          completion_tokens: 1e200,
          prompt_tokens_details: { cached_tokens: -3 },
          completion_tokens_details: { reasoning_tokens: 999_999_999 },
          cost: 1e300,
        }),
      );
      expect(r).toMatchObject({
        inputTokens: null,
        outputTokens: null,
        cacheReadTokens: null,
        reasoningTokens: 999_999_999,
        providerCost: null,
      });
      expect(r.notes.join('\n')).toMatch(/prompt_tokens = 1\.5 .*not a plausible token count/);
      expect(r.notes.join('\n')).toMatch(/completion_tokens = 1e\+200/);
      expect(observe(json, body({ prompt_tokens: 1e9, completion_tokens: 5 }))).toMatchObject({
        inputTokens: null,
        outputTokens: 5,
      });
      // Sums of plausible parts must be plausible too (Anthropic's input = uncached + cache read + cache write).
      const claude = observe({ format: 'anthropic-messages', streaming: false, contentType: 'application/json' }, [
        Buffer.from(
          JSON.stringify({
            type: 'message',
            model: 'c',
            content: [],
            usage: { input_tokens: 6e8, cache_read_input_tokens: 6e8, output_tokens: 1 },
          }),
        ),
      ]);
      expect(claude).toMatchObject({ inputTokens: null, cacheReadTokens: 6e8, outputTokens: 1 });
      expect(observe(json, body({ prompt_tokens: 10, completion_tokens: 5 })).notes).toEqual([]);
      // A value that can't be turned into a string the usual way is named without trying.
      const odd = observe(json, body({ prompt_tokens: { toString: 1 }, completion_tokens: 'many' }));
      expect(odd).toMatchObject({ observerError: null, inputTokens: null, outputTokens: null });
      expect(odd.notes).toEqual([
        'usage prompt_tokens = {"toString":1} is not a plausible token count and was not kept',
        'usage completion_tokens = "many" is not a plausible token count and was not kept',
      ]);
    },
  );

  it('reads an error object nested thousands of levels deep without overflowing the stack', () => {
    const nested = `{"error":{"detail":${'['.repeat(8000)}${']'.repeat(8000)}}}`;
    const r = observe({ format: 'openai-chat', streaming: false, contentType: 'application/json' }, [
      Buffer.from(nested),
    ]);
    expect(r).toMatchObject({ observerError: null });
    expect(r.errorMessage).toMatch(/^\{"detail":\[\[\[/);
    expect(r.errorMessage!.length).toBeLessThanOrEqual(500);
  });
});

it('jsonPrefix writes what JSON.stringify writes, cut at the limit', () => {
  for (const v of [{ a: [1, 'x', null, { b: true }], 'k"': {} }, [], {}, 'str', 1.5, [[[]]]]) {
    expect(jsonPrefix(v, 1000)).toBe(JSON.stringify(v));
    expect(jsonPrefix(v, 5)).toBe(JSON.stringify(v).slice(0, 5));
  }
});
