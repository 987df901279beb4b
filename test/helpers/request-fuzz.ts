// Request bodies for fuzzing the proxy's request side: shaped like each API's, and not.
import fc from 'fast-check';
import type { ApiFormat } from '../../electron/core/proxy/usage';

export const REQUEST_FORMATS: ApiFormat[] = [
  'openai-chat',
  'openai-completions',
  'openai-responses',
  'anthropic-messages',
  'gemini',
  'ollama-chat',
  'ollama-generate',
  'unknown',
];
/** A path each format is detected on. */
export const FORMAT_PATHS: Record<ApiFormat, string> = {
  'openai-chat': '/v1/chat/completions',
  'openai-completions': '/v1/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
  gemini: '/v1beta/models/g:streamGenerateContent',
  'ollama-chat': '/api/chat',
  'ollama-generate': '/api/generate',
  unknown: '/v1/embeddings',
};
const anyJson = fc.jsonValue({ maxDepth: 4 });
const message = fc.record(
  {
    role: fc.constantFrom('user', 'system', 'tool', 5),
    content: fc.oneof(
      fc.string(),
      anyJson,
      fc.array(
        fc.record(
          {
            type: fc.constantFrom('text', 'tool_result', 'input_text'),
            text: fc.oneof(fc.string(), anyJson),
            content: anyJson,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
  },
  { requiredKeys: [] },
);
const shaped = fc
  .record(
    {
      model: fc.oneof(fc.string(), anyJson),
      stream: fc.oneof(fc.boolean(), anyJson),
      stream_options: fc.oneof(
        fc.constant(null),
        fc.record({ include_usage: fc.oneof(fc.boolean(), anyJson) }),
        anyJson,
      ),
      messages: fc.oneof(fc.array(message), anyJson),
      input: anyJson,
      prompt: anyJson,
      system: anyJson,
      contents: anyJson,
      seed: fc.constantFrom(12345678901234567890n),
    },
    { requiredKeys: [] },
  )
  .map((o) =>
    JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)).replace(
      '12345678901234567000',
      '12345678901234567890',
    ),
  );
/** OpenAI-style stream requests, compact or indented, with every kind of stream_options (or none). */
export const streamRequest = fc
  .tuple(
    fc.record(
      {
        model: fc.string(),
        stream: fc.oneof(fc.constant(true), fc.constant(true), fc.boolean(), anyJson),
        stream_options: fc.oneof(
          fc.constant(null),
          fc.record({ include_usage: fc.oneof(fc.boolean(), anyJson) }, { requiredKeys: [] }),
          fc.record({ include_usage: fc.boolean(), other: anyJson }, { requiredKeys: [] }),
          anyJson,
        ),
        messages: fc.array(message, { maxLength: 3 }),
      },
      { requiredKeys: ['stream'] },
    ),
    fc.constantFrom(undefined, 2, '\t'),
  )
  .map(([o, indent]) => Buffer.from(JSON.stringify(o, null, indent)));
const deep = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"content":[{"type":"tool_result","content":'))
  .map(([n, open]) => {
    const close = open === '[' ? ']' : '}]}';
    return (
      `{"model":"m","stream":true,"messages":[{"role":"user",` +
      `"content":${open.repeat(n)}${open === '[' ? '' : '"x"'}${close.repeat(n)}}]}`
    );
  });
const hugeNumbers = fc.constantFrom('1e400', '-0', '123456789012345678901234567890', '1e-400', '0.1e999999');
/**
 * Request bodies: each format's shape with wrong types and odd values, nesting up to 20 000 deep, huge
 * numbers, invalid UTF-8, cut and corrupted JSON.
 */
export const requestBody = fc.oneof(
  { weight: 4, arbitrary: shaped.map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: deep.map((s) => Buffer.from(s)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hugeNumbers, fc.boolean())
      .map(([n, stream]) => Buffer.from(`{"model":"m","stream":${stream},"max_tokens":${n},"messages":[]}`)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.tuple(shaped, fc.nat()).map(([s, n]) => Buffer.from(s.slice(0, n % (s.length + 1)))) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(shaped, fc.uint8Array({ minLength: 1, maxLength: 4 }))
      .map(([s, junk]) => Buffer.concat([Buffer.from(s.slice(0, -1)), Buffer.from(junk), Buffer.from('}')])),
  },
);
