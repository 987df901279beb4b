import { describe, expect, it } from 'vitest';
import {
  createResponseObserver,
  parseSseEvents,
  streamText,
  type ApiFormat,
  type SseEvent,
} from '../../../../electron/core/proxy/usage';
import { SseParser } from '../../../../electron/core/proxy/usage/sse';
import * as fx from './fixtures';

function parseChunks(chunks: Buffer[], max?: number): SseEvent[] {
  const p = new SseParser(max);
  const out: SseEvent[] = [];
  const push = (e: SseEvent): void => {
    out.push(e);
  };
  for (const c of chunks) p.write(c, push);
  p.end(push);
  return out;
}

describe('parseSseEvents', () => {
  it(
    'follows the event-stream rules: fields, one optional ' + 'space, comments, multi-line data, ids, no-data events',
    () => {
      const body = [
        ':comment first',
        'event: add',
        'data:no space',
        'data:  two spaces',
        'data',
        'id: 7',
        'retry: 1000',
        '',
        'event: only-a-type',
        '',
        'data: {"a":1}',
        '',
      ].join('\n');
      expect(parseSseEvents(body)).toEqual([
        { event: 'add', data: 'no space\n two spaces\n', id: '7' },
        { event: null, data: '{"a":1}' },
      ]);
    },
  );

  it('treats LF, CRLF and CR alike, and strips a leading BOM', () => {
    const lines = ['event: e', 'data: x', '', 'data: y', 'data: z', '', ''];
    const expected = [
      { event: 'e', data: 'x' },
      { event: null, data: 'y\nz' },
    ];
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(parseSseEvents('\uFEFF' + lines.join(eol))).toEqual(expected);
    }
    // Mixed endings in one stream.
    expect(parseSseEvents('data: a\r\n\rdata: b\n\r\n')).toEqual([
      { event: null, data: 'a' },
      { event: null, data: 'b' },
    ]);
  });

  it('gives the same events for every split point, including inside UTF-8 characters and between CR and LF', () => {
    const body = Buffer.from('event: ünï\r\ndata: 日本語 👋\r\ndata: second\r\n\r\n:c\r\rdata: é\r\r');
    const whole = parseChunks([body]);
    expect(whole).toEqual([
      { event: 'ünï', data: '日本語 👋\nsecond' },
      { event: null, data: 'é' },
    ]);
    for (let i = 0; i <= body.length; i++) {
      for (let j = i; j <= body.length; j += 3) {
        expect(parseChunks([body.subarray(0, i), body.subarray(i, j), body.subarray(j)]), `${i}/${j}`).toEqual(whole);
      }
    }
  });

  it('marks an event cut inside a line (truncated stored body) as truncated', () => {
    expect(parseSseEvents('data: {"a":1}\n\ndata: {"b":')).toEqual([
      { event: null, data: '{"a":1}' },
      { event: null, data: '{"b":', truncated: true },
    ]);
  });

  it('keeps memory bounded on an endless line, keeping its tail, and carries on afterwards', () => {
    const max = 1024;
    const huge = 'data: {"pad":"' + 'x'.repeat(200_000) + '","usage":{"prompt_tokens":3}}\n\ndata: after\n\n';
    const buf = Buffer.from(huge);
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 500) chunks.push(buf.subarray(i, i + 500));
    const events = parseChunks(chunks, max);
    expect(events).toHaveLength(2);
    expect(events[0]?.truncated).toBe(true);
    expect(events[0]!.data.length).toBeLessThanOrEqual(64 * 1024);
    expect(events[0]!.data.endsWith('"usage":{"prompt_tokens":3}}')).toBe(true);
    expect(events[1]).toEqual({ event: null, data: 'after' });
  });
});

describe('oversized lines', () => {
  const parse = (pieces: Buffer[], max: number) => {
    const events: SseEvent[] = [];
    const parser = new SseParser(max);
    for (const p of pieces) parser.write(p, (e) => events.push(e));
    parser.end((e) => events.push(e));
    return events;
  };

  it('give the same event whether the line arrived whole or in pieces, without its field name', () => {
    for (const [max, size] of [
      [256, 300],
      [1024 * 1024, 2 * 1024 * 1024 + 7],
    ] as const) {
      const line = Buffer.from(`data: ${'é'.repeat(size / 2)}\n\n`);
      const whole = parse([line], max);
      expect(whole).toHaveLength(1);
      expect(whole[0]!.truncated).toBe(true);
      expect(whole[0]!.data.startsWith('data')).toBe(false);
      for (const at of [3, 100, 290, line.length - 5])
        expect(parse([line.subarray(0, at), line.subarray(at)], max), `split at ${at}`).toEqual(whole);
    }
  });
});

describe('oversized events and bodies', () => {
  it('salvages usage from the tail of a response.completed event larger than the cap', () => {
    // An image-generation result can make response.completed several MiB.
    const big = {
      type: 'response.completed',
      response: {
        id: 'r',
        object: 'response',
        status: 'completed',
        model: 'gpt-4.1',
        output: [{ type: 'image_generation_call', result: 'A'.repeat(1_500_000) }],
        usage: fx.responsesUsage,
      },
    };
    const o = createResponseObserver('openai-responses', { streaming: true, contentType: 'text/event-stream' });
    const buf = Buffer.from(`event: response.completed\ndata: ${JSON.stringify(big)}\n\n`);
    for (let i = 0; i < buf.length; i += 65536) o.write(buf.subarray(i, i + 65536));
    expect(o.end()).toMatchObject({
      inputTokens: 300,
      outputTokens: 500,
      cacheReadTokens: 128,
      reasoningTokens: 448,
      events: 1,
    });
  });

  it('salvages usage from the tail of a non-streamed body larger than the cap', () => {
    const body = JSON.stringify({
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { content: 'z'.repeat(5_000_000) } }],
      usage: { prompt_tokens: 7, completion_tokens: 9 },
    });
    const o = createResponseObserver('openai-chat', { streaming: false, contentType: 'application/json' });
    const buf = Buffer.from(body);
    for (let i = 0; i < buf.length; i += 1 << 20) o.write(buf.subarray(i, i + (1 << 20)));
    expect(o.end()).toMatchObject({ inputTokens: 7, outputTokens: 9 });
  });

  it('caps outputText but counts every character', () => {
    const o = createResponseObserver('openai-chat', { streaming: true, contentType: 'text/event-stream' });
    const ev = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'y'.repeat(10_000) } }] })}\n\n`;
    for (let i = 0; i < 200; i++) o.write(Buffer.from(ev));
    const r = o.end();
    expect(r.outputText.length).toBe(1024 * 1024);
    expect(r.outputTextTruncated).toBe(true);
    expect(r.outputChars).toBe(2_000_000);
  });
});

describe('streamText', () => {
  it('rebuilds the assistant text of each streamed format from stored events', () => {
    expect(streamText('openai-chat', parseSseEvents(fx.openaiChatStream)).text).toBe('Hello, wörld 👋');
    expect(streamText('openai-responses', parseSseEvents(fx.responsesStream)).text).toBe('Paris.');
    expect(streamText('anthropic-messages', parseSseEvents(fx.anthropicStream)).text).toBe('Hello!');
    expect(streamText('gemini', parseSseEvents(fx.geminiSseStream)).text).toBe('The sky is blue.');
  });

  it('annotates each stored event with the text it added, in every streamed format', () => {
    const texts = (format: ApiFormat, events: SseEvent[]) =>
      streamText(format, events).events.flatMap((e) => (e.text === undefined ? [] : [e.text]));
    expect(texts('openai-chat', parseSseEvents(fx.openaiChatStream)).join('')).toBe('Hello, wörld 👋');
    expect(texts('anthropic-messages', parseSseEvents(fx.anthropicStream))).toEqual(['Hello', '!']);
    expect(texts('gemini', parseSseEvents(fx.geminiSseStream))).toEqual(['The sky', ' is blue.']);
    expect(streamText('gemini', parseSseEvents(fx.geminiSseStream)).text).toBe('The sky is blue.');
  });

  it('uses what survives of a truncated body', () => {
    const cut = fx.anthropicStream.slice(0, fx.anthropicStream.indexOf('"text":"!"') + 4);
    expect(streamText('anthropic-messages', parseSseEvents(cut)).text).toBe('Hello');
  });
});
