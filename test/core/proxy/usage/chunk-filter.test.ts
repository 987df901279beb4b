import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createUsageChunkFilter,
  injectStreamUsage,
  type UsageChunkFilterOptions,
} from '../../../../electron/core/proxy/usage';
import * as fx from './fixtures';

async function filter(chunks: Buffer[], options?: UsageChunkFilterOptions): Promise<Buffer> {
  const out: Buffer[] = [];
  const f = createUsageChunkFilter(options);
  Readable.from(chunks, { objectMode: false }).pipe(f);
  for await (const c of f) out.push(c as Buffer);
  return Buffer.concat(out);
}

const usageEvent = (eol: string) =>
  `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],` +
  `"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}${eol}${eol}`;
const contentEvent = (text: string, eol: string) =>
  `data: {"id":"c","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}}}]}${eol}${eol}`;

describe('createUsageChunkFilter', () => {
  it('turns the include_usage stream into exactly the stream the client asked for', async () => {
    const out = await filter([Buffer.from(fx.openaiChatStream)]);
    expect(out.toString()).toBe(fx.openaiChatStreamNoUsage);
  });

  it(
    'leaves every other byte alone: same stream minus the usage chunk, for every line ending and ' +
      'every split point',
    async () => {
      for (const eol of ['\n', '\r\n', '\r']) {
        const before = `: keep-alive${eol}${eol}event: x${eol}${contentEvent('héllo 👋', eol)}${contentEvent('', eol)}`;
        const after = `data: [DONE]${eol}${eol}`;
        const input = Buffer.from(before + usageEvent(eol) + after);
        const expected = before + after;
        const opts = { stripNullUsage: false };
        expect((await filter([input], opts)).toString()).toBe(expected);
        for (let i = 0; i <= input.length; i++) {
          const out = await filter([input.subarray(0, i), input.subarray(i)], opts);
          expect(out.toString(), `eol ${JSON.stringify(eol)} split ${i}`).toBe(expected);
        }
      }
    },
  );

  it('passes a stream without a usage-only chunk through byte for byte', async () => {
    const input = Buffer.from(
      fx.openaiChatStreamNoUsage + ': trailing comment\n' + 'data: {"choices":[]}\n\ndata:{"usage":{"n":null}}\n\n',
    );
    expect((await filter([input])).equals(input)).toBe(true);
  });

  it('strips a top-level "usage": null wherever it sits in the chunk, and nothing nested', async () => {
    const cases: [string, string][] = [
      ['{"a":1,"usage":null}', '{"a":1}'],
      ['{ "a": 1 , "usage" : null }', '{ "a": 1 }'],
      ['{"usage":null,"a":1}', '{"a":1}'],
      ['{"usage":null}', '{}'],
      ['{"a":{"usage":null}}', '{"a":{"usage":null}}'],
      ['{"a":"\\"usage\\":null"}', '{"a":"\\"usage\\":null"}'],
    ];
    for (const [input, expected] of cases) {
      expect((await filter([Buffer.from(`data: ${input}\n\n`)])).toString()).toBe(`data: ${expected}\n\n`);
    }
  });

  it('removes only one usage chunk and keeps the event: / id: lines of other events', async () => {
    const input = `id: 1\nevent: message\n${usageEvent('\n')}id: 2\n${usageEvent('\n')}`;
    expect((await filter([Buffer.from(input)])).toString()).toBe(`id: 2\n${usageEvent('\n')}`);
  });

  it('emits each complete line without waiting for the rest of the stream', async () => {
    const f = createUsageChunkFilter();
    const got: string[] = [];
    f.on('data', (c: Buffer) => got.push(c.toString()));
    const first = contentEvent('a', '\n');
    f.write(Buffer.from(first + 'data: {"choices":[{"ind'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(got.join('')).toBe(first);
    f.end(Buffer.from('ex":0}]}\n\n'));
    await new Promise<void>((resolve) => f.on('end', resolve).resume());
    expect(got.join('')).toBe(first + 'data: {"choices":[{"index":0}]}\n\n');
  });

  it('streams lines longer than its hold limit straight through', async () => {
    const long = contentEvent('q'.repeat(200_000), '\n');
    const buf = Buffer.from(long + usageEvent('\n'));
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 4096) chunks.push(buf.subarray(i, i + 4096));
    expect((await filter(chunks)).toString()).toBe(long);
  });

  it('treats a line over its limit the same whether it arrives whole or in pieces', async () => {
    const long = `data: {"a":"${'x'.repeat(250)}","usage":null}\n\n`;
    const input = Buffer.from(long + usageEvent('\n'));
    const limits = { maxLineBytes: 200 };
    const whole = await filter([input], { limits });
    expect(whole.toString()).toBe(long);
    for (const at of [1, 30, 150, 210, long.length - 3])
      expect((await filter([input.subarray(0, at), input.subarray(at)], { limits })).toString(), `split at ${at}`).toBe(
        long,
      );
  });

  it('round trip with injectStreamUsage: the request is rewritten, the response filtered back', async () => {
    const body = Buffer.from('{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}');
    const injected = injectStreamUsage('openai-chat', body);
    expect(JSON.parse(injected!.toString())).toMatchObject({ stream_options: { include_usage: true } });
    expect((await filter([Buffer.from(fx.openaiChatStream)])).toString()).toBe(fx.openaiChatStreamNoUsage);
  });
});

describe('hostile streams', () => {
  it(
    'a flood of comment lines (400 KB) is let through unchanged, in any chunking, and the usage ' +
      'chunk after it still goes',
    async () => {
      const flood = ':\n'.repeat(200_000);
      const kept = flood + contentEvent('a', '\n');
      const input = Buffer.from(kept + usageEvent('\n') + 'data: [DONE]\n\n');
      const expected = kept + 'data: [DONE]\n\n';
      expect((await filter([input])).toString()).toBe(expected);
      const chunks: Buffer[] = [];
      for (let i = 0; i < input.length; i += 65_536) chunks.push(input.subarray(i, i + 65_536));
      expect((await filter(chunks)).toString()).toBe(expected);
    },
  );

  it(
    'fails open: when handling a chunk throws, every byte not yet sent goes out as the upstream sent ' +
      'it, and so does the rest',
    async () => {
      const errors: unknown[] = [];
      const f = createUsageChunkFilter({ onError: (e) => errors.push(e) });
      // A bug stand-in: the filter's line handling throws on one line.
      const line = f.line.bind(f);
      f.line = (content, term, overflowed) => {
        if (content.includes('BOOM')) throw new Error('bug');
        line(content, term, overflowed);
      };
      const chunks = [
        'data: {"a":1,"usage":null}\n\nid: 7\n',
        'data: {"b":2,"usa',
        `ge":null}\n\ndata: BOOM\n\n${usageEvent('\n')}`,
        'data: {"c":3,"usage":null}\n\ndata: [DONE]\n\n',
      ];
      const out: Buffer[] = [];
      f.on('data', (c: Buffer) => out.push(c));
      const ended = new Promise((resolve) => f.on('end', resolve));
      for (const c of chunks) f.write(Buffer.from(c));
      f.end();
      await ended;
      // The first chunk was filtered; the held `id:` line, the partial line and everything after are untouched.
      expect(Buffer.concat(out).toString()).toBe(
        'data: {"a":1}\n\n' + chunks.slice(1).join('').replace(/^/, 'id: 7\n'),
      );
      expect(errors).toHaveLength(1);
    },
  );
});
