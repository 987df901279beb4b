// The records the storage benchmarks log: chat requests 10 ms apart (360 000 an hour), six models,
// two providers, some failures, some unknown costs; with or without ~1 KiB request and response bodies.
import type { LogRecord } from '../electron/core/contract/model';

export const T0 = Date.UTC(2026, 0, 1);
const KIB = 'x'.repeat(1000) + '"}]}';
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.0-flash', 'llama3.2', 'o3-mini'];

export function benchRecord(i: number, bodies: boolean, t0 = T0): LogRecord {
  const fail = i % 13 === 0;
  return {
    correlationId: `bench-${i}`,
    timestamp: new Date(t0 + i * 10).toISOString(),
    method: 'POST',
    path: i % 3 ? '/v1/chat/completions' : '/v1/messages',
    model: MODELS[i % MODELS.length]!,
    provider: i % 3 ? 'openai' : 'anthropic',
    policy: i % 4 === 0 ? null : `policy-${i % 5}`,
    streaming: i % 2 === 0,
    status: fail ? 500 : 200,
    success: !fail,
    errorStatus: fail ? 500 : null,
    errorMessage: fail ? 'upstream exploded' : null,
    inputTokens: 100 + (i % 900),
    outputTokens: 20 + (i % 400),
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    tokensEstimated: false,
    cost: i % 10 === 0 ? null : (i % 1000) / 100_000,
    providerCost: null,
    latencyMs: 50 + (i % 3000),
    ttfbMs: 20 + (i % 200),
    streamDurationMs: null,
    finishReason: 'stop',
    requestBytes: bodies ? 1024 : 200,
    responseBytes: bodies ? 1024 : 300,
    replayOf: null,
    exchange: {
      requestHeaders: { 'content-type': 'application/json', authorization: '[redacted …abcd]' },
      responseHeaders: { 'content-type': 'application/json' },
      requestBody: bodies ? `{"model":"m","messages":[{"role":"user","content":"${KIB}` : null,
      requestBodyTruncated: false,
      responseBody: bodies ? `{"choices":[{"message":{"content":"${KIB}` : null,
      responseBodyTruncated: false,
    },
  };
}
