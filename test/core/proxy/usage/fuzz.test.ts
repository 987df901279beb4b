// Fuzzing the pure pieces of inspection with many runs (the end-to-end runs through a real proxy
// are in ../fuzz-e2e.test.ts). Seeded; see test/helpers/fuzz.ts to replay a failure or soak longer.
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createResponseObserver,
  injectStreamUsage,
  inspectRequest,
  type ApiFormat,
  type UsageResult,
} from '../../../../electron/core/proxy/usage';
import {
  createUsageChunkFilter,
  FILTER_LIMITS,
  isUsageOnlyChunk,
  withoutNullUsage,
  type FilterLimits,
} from '../../../../electron/core/proxy/usage/chunk-filter';
import { LineSplitter } from '../../../../electron/core/proxy/usage/lines';
import { HEAD_BYTES, MAX_FIELD_CHARS, SseParser, TAIL_BYTES } from '../../../../electron/core/proxy/usage/sse';
import { MAX_COST_USD, MAX_TOKEN_COUNT } from '../../../../electron/core/storage/plausible';
import { cut, fuzzParams, offsets, wildNumber } from '../../../helpers/fuzz';
import { FORMAT_PATHS, REQUEST_FORMATS, requestBody, streamRequest } from '../../../helpers/request-fuzz';
import { referenceFilter, smallLimits, splitLines, sseStream } from '../../../helpers/sse-fuzz';

/** Runs the filter over `pieces` synchronously, checking its buffer after every write. */
function runFilter(pieces: Buffer[], stripNullUsage: boolean, limits: FilterLimits): Buffer {
  const errors: unknown[] = [];
  const f = createUsageChunkFilter({ stripNullUsage, limits, onError: (e) => errors.push(e) });
  const out: Buffer[] = [];
  f.on('data', (c: Buffer) => out.push(c));
  for (const p of pieces) {
    f.write(p);
    expect(f.bufferedBytes).toBeLessThanOrEqual(limits.maxHeldBytes + limits.maxLineBytes);
  }
  f.end();
  // Transform callbacks are synchronous here: everything written has come out.
  expect(errors).toEqual([]);
  return Buffer.concat(out);
}

describe('usage-chunk filter', () => {
  it(
    'any stream, any chunking: the client gets exactly the reference output, and the filter never ' +
      'holds more than its bounds',
    () => {
      fc.assert(
        fc.property(sseStream({ longLine: 300 }), offsets, fc.boolean(), smallLimits, (input, at, strip, limits) => {
          const got = runFilter(cut(input, at), strip, limits);
          expect(got.toString('latin1')).toBe(
            referenceFilter(input, { stripNullUsage: strip, limits }).toString('latin1'),
          );
        }),
        fuzzParams(500),
      );
    },
  );

  it('with the real limits: long lines, comment floods and held lines past their bounds', () => {
    const flood = fc.integer({ min: 1, max: 6000 }).map((n) => Buffer.from(':\n'.repeat(n)));
    const input = fc
      .tuple(sseStream({ longLine: FILTER_LIMITS.maxLineBytes }), flood, sseStream({ longLine: 100 }))
      .map((parts) => Buffer.concat(parts));
    fc.assert(
      fc.property(input, offsets, (bytes, at) => {
        const got = runFilter(cut(bytes, at), true, FILTER_LIMITS);
        expect(got.equals(referenceFilter(bytes, { stripNullUsage: true, limits: FILTER_LIMITS }))).toBe(true);
      }),
      fuzzParams(25),
    );
  });

  it('"usage":null removal takes out exactly that member, and only at the top level', () => {
    const value = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    fc.assert(
      fc.property(value, fc.nat(), fc.boolean(), (obj, where, withNull) => {
        const entries = Object.entries(obj).filter(([k]) => k !== 'usage' && k !== '__proto__');
        if (withNull) entries.splice(where % (entries.length + 1), 0, ['usage', null]);
        const line = Buffer.from(`data: ${JSON.stringify(Object.fromEntries(entries))}`);
        const out = withoutNullUsage(line).toString();
        const parsed = JSON.parse(out.slice(6)) as Record<string, unknown>;
        expect('usage' in parsed).toBe(false);
        // (Through JSON, as the line was: -0 is written 0.)
        expect(parsed).toEqual(JSON.parse(JSON.stringify(Object.fromEntries(entries.filter(([k]) => k !== 'usage')))));
        if (!withNull) expect(out).toBe(line.toString());
        // Everything but the member and its comma is left as it was.
        let i = 0;
        while (i < out.length && out[i] === line.toString()[i]) i++;
        expect(line.toString().endsWith(out.slice(i))).toBe(true);
      }),
      fuzzParams(400),
    );
  });

  it('a usage-only chunk is exactly an object whose choices are [] and whose usage is an object', () => {
    const value = fc.record(
      {
        choices: fc.oneof(fc.constant([]), fc.jsonValue({ maxDepth: 2 })),
        usage: fc.oneof(fc.constant({ total_tokens: 1 }), fc.jsonValue({ maxDepth: 2 })),
        extra: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(value, (v) => {
        const expected =
          Array.isArray(v.choices) && v.choices.length === 0 && typeof v.usage === 'object' && v.usage !== null;
        expect(isUsageOnlyChunk(Buffer.from(`data: ${JSON.stringify(v)}`))).toBe(expected);
      }),
      fuzzParams(400),
    );
  });
});

describe('line splitting and SSE parsing', () => {
  const bytes = fc
    .array(fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x3a, 0x20), fc.integer({ min: 0, max: 255 })), { maxLength: 600 })
    .map((b) => Buffer.from(b));

  it('LineSplitter hands on every byte once, in order, in any chunking, holding at most its limit', () => {
    fc.assert(
      fc.property(bytes, offsets, fc.integer({ min: 1, max: 64 }), (input, at, max) => {
        const seen: Buffer[] = [];
        const lines: { content: string; term: string }[] = [];
        let overflowed = false;
        const sink = {
          line: (content: Buffer, term: Buffer, o: boolean) => {
            seen.push(content, term);
            overflowed ||= o;
            lines.push({ content: content.toString('latin1'), term: term.toString('latin1') });
          },
          lfAfterCr: () => {
            seen.push(Buffer.from('\n'));
            const last = lines.at(-1)!;
            last.term += '\n';
          },
          overflow: (b: Buffer) => {
            seen.push(b);
            overflowed = true;
          },
        };
        const splitter = new LineSplitter(max);
        for (const piece of cut(input, at)) {
          splitter.push(piece, sink);
          expect(splitter.bufferedBytes).toBeLessThanOrEqual(max);
        }
        splitter.flush(sink);
        expect(Buffer.concat(seen).equals(input)).toBe(true);
        if (!overflowed)
          expect(lines).toEqual(
            splitLines(input).map((l) => ({ content: l.content.toString('latin1'), term: l.term.toString('latin1') })),
          );
      }),
      fuzzParams(500),
    );
  });

  it('SseParser: the same events whatever the chunking, within its bound, never throwing', () => {
    fc.assert(
      fc.property(sseStream({ longLine: 300 }), offsets, (input, at) => {
        const parse = (pieces: Buffer[]) => {
          const events: unknown[] = [];
          const parser = new SseParser(256);
          for (const p of pieces) {
            parser.write(p, (e) => events.push(e));
            expect(parser.bufferedBytes).toBeLessThanOrEqual(2 * 256 + TAIL_BYTES + HEAD_BYTES + 2 * MAX_FIELD_CHARS);
          }
          parser.end((e) => events.push(e));
          return events;
        };
        expect(parse(cut(input, at))).toEqual(parse([input]));
      }),
      fuzzParams(400),
    );
  });
});

describe('usage parsing', () => {
  const usageLike = fc.oneof(
    fc.record(
      {
        prompt_tokens: wildNumber,
        completion_tokens: wildNumber,
        prompt_tokens_details: fc.record({ cached_tokens: wildNumber }),
        completion_tokens_details: fc.record({ reasoning_tokens: wildNumber }),
        cost: wildNumber,
        input_tokens: wildNumber,
        output_tokens: wildNumber,
        cache_read_input_tokens: wildNumber,
        cache_creation_input_tokens: wildNumber,
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const sse = (events: unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
  const bodies: Record<ApiFormat, (u: unknown) => { contentType: string; body: string }[]> = {
    'openai-chat': (u) => [
      {
        contentType: 'text/event-stream',
        body:
          sse([{ choices: [{ index: 0, delta: { content: 'hi' } }] }, { choices: [], usage: u }]) + 'data: [DONE]\n\n',
      },
      {
        contentType: 'application/json',
        body: JSON.stringify({ model: 'm', choices: [{ index: 0, message: { content: 'x' } }], usage: u }),
      },
    ],
    'openai-completions': (u) => [
      { contentType: 'application/json', body: JSON.stringify({ choices: [{ index: 0, text: 'x' }], usage: u }) },
    ],
    'openai-responses': (u) => [
      {
        contentType: 'text/event-stream',
        body:
          'event: response.completed\n' +
          sse([{ type: 'response.completed', response: { status: 'completed', usage: u } }]),
      },
    ],
    'anthropic-messages': (u) => [
      {
        contentType: 'text/event-stream',
        body: sse([
          { type: 'message_start', message: { model: 'c', usage: u } },
          { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: u },
        ]),
      },
      { contentType: 'application/json', body: JSON.stringify({ type: 'message', content: [], usage: u }) },
    ],
    gemini: (u) => [
      {
        contentType: 'application/json',
        body: JSON.stringify([{ candidates: [], usageMetadata: u }, { usageMetadata: u }]),
      },
      { contentType: 'text/event-stream', body: sse([{ usageMetadata: u }]) },
    ],
    'ollama-chat': (u) => [
      {
        contentType: 'application/x-ndjson',
        body: [
          { message: { content: 'a' } },
          { done: true, ...(typeof u === 'object' && u !== null ? u : {}), prompt_eval_count: u, eval_count: u },
        ]
          .map((line) => `${JSON.stringify(line)}\n`)
          .join(''),
      },
    ],
    'ollama-generate': (u) => [
      {
        contentType: 'application/x-ndjson',
        body: `${JSON.stringify({ done: true, prompt_eval_count: u, eval_count: u })}\n`,
      },
    ],
    unknown: (u) => [{ contentType: 'application/json', body: JSON.stringify({ usage: u }) }],
  };
  const formats = Object.keys(bodies) as ApiFormat[];

  function observe(format: ApiFormat, contentType: string, pieces: Buffer[]): UsageResult {
    const o = createResponseObserver(format, {
      streaming: contentType !== 'application/json' || format === 'gemini',
      contentType,
    });
    for (const p of pieces) o.write(p);
    return o.end();
  }

  it(
    'any usage object, any format: plausible counts or null, never an observer error, the same ' +
      'result whatever the chunking',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...formats), usageLike, fc.nat(), offsets, (format, usage, which, at) => {
          const shapes = bodies[format](usage);
          const { contentType, body } = shapes[which % shapes.length]!;
          const bytes = Buffer.from(body);
          const whole = observe(format, contentType, [bytes]);
          expect(whole.observerError).toBeNull();
          for (const n of [
            whole.inputTokens,
            whole.outputTokens,
            whole.cacheReadTokens,
            whole.cacheWriteTokens,
            whole.reasoningTokens,
          ]) {
            if (n !== null) expect(Number.isInteger(n) && n >= 0 && n < MAX_TOKEN_COUNT, String(n)).toBe(true);
          }
          if (whole.providerCost !== null)
            expect(whole.providerCost >= 0 && whole.providerCost < MAX_COST_USD).toBe(true);
          expect(observe(format, contentType, cut(bytes, at))).toEqual(whole);
        }),
        fuzzParams(600),
      );
    },
  );
});

describe('request inspection', () => {
  it('include_usage is asked for exactly when a stream did not ask itself, and nothing else changes', () => {
    fc.assert(
      fc.property(fc.constantFrom<ApiFormat>('openai-chat', 'openai-completions'), streamRequest, (format, bytes) => {
        const before = JSON.parse(bytes.toString()) as Record<string, unknown>;
        const options = before.stream_options;
        const isObject = typeof options === 'object' && options !== null && !Array.isArray(options);
        const asked = isObject && (options as { include_usage?: unknown }).include_usage === true;
        const injected = injectStreamUsage(format, bytes);
        expect(injected !== null).toBe(before.stream === true && !asked);
        if (injected === null) return;
        const { stream_options: after, ...rest } = JSON.parse(injected.toString()) as Record<string, unknown>;
        const { stream_options: _, ...restBefore } = before;
        expect(rest).toEqual(restBefore);
        expect(after).toEqual({ ...(isObject ? (options as object) : {}), include_usage: true });
      }),
      fuzzParams(400),
    );
  });

  it(
    'any body, any format: a sane answer, never a throw; ' + 'include_usage is added without changing anything else',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...REQUEST_FORMATS), requestBody, (format, bytes) => {
          const info = inspectRequest(format, FORMAT_PATHS[format], bytes);
          expect(typeof info.stream).toBe('boolean');
          expect(typeof info.promptText).toBe('string');
          expect(info.model === null || typeof info.model === 'string').toBe(true);
          // As the proxy asks before forwarding (the top level alone): where the body is a JSON object, the
          // same model and stream as a whole parse.
          const fast = inspectRequest(format, FORMAT_PATHS[format], bytes, false);
          expect(typeof fast.stream).toBe('boolean');
          expect(fast.model === null || typeof fast.model === 'string').toBe(true);
          let whole: unknown;
          try {
            whole = JSON.parse(bytes.toString());
          } catch {
            whole = null;
          }
          const object = typeof whole === 'object' && whole !== null && !Array.isArray(whole);
          if (object)
            expect({ model: fast.model, stream: fast.stream }).toEqual({ model: info.model, stream: info.stream });
          const injected = injectStreamUsage(format, bytes);
          if (object) {
            // Asked for exactly when a whole parse says it is an OpenAI-style stream that did not ask itself.
            const { stream, stream_options: options } = whole as Record<string, unknown>;
            const asked =
              typeof options === 'object' &&
              options !== null &&
              (options as { include_usage?: unknown }).include_usage === true;
            const applies = format === 'openai-chat' || format === 'openai-completions';
            expect(injected !== null).toBe(applies && isUtf8(bytes) && stream === true && !asked);
          }
          if (injected === null) return;
          // Bytes before the edit are the client's own.
          let same = 0;
          while (same < bytes.length && bytes[same] === injected[same]) same++;
          expect(same).toBeGreaterThan(0);
          // Only its top level is read: a body malformed deeper in is edited too, after everything it holds.
          if (!object) return;
          const before = JSON.parse(bytes.toString()) as Record<string, unknown>;
          const after = JSON.parse(injected.toString()) as Record<string, unknown>;
          expect(before.stream).toBe(true);
          expect((after.stream_options as { include_usage?: unknown }).include_usage).toBe(true);
          // (Deep equality recurses: bodies nested thousands deep are compared by their text below.)
          if (bytes.length < 4000) {
            const { stream_options: a, ...restAfter } = after;
            const { stream_options: b, ...restBefore } = before;
            expect(restAfter).toEqual(restBefore);
            if (typeof b === 'object' && b !== null && !Array.isArray(b))
              expect({ ...(a as object), include_usage: undefined }).toEqual({ ...b, include_usage: undefined });
          }
        }),
        fuzzParams(600),
      );
    },
  );
});
