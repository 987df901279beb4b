import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '../../electron/core/contract/model';

/** A fresh folder under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'inspector-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

export function makeRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  counter++;
  return {
    correlationId: `corr-${counter}`,
    timestamp: new Date(Date.UTC(2026, 0, 1) + counter * 1000).toISOString(),
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    provider: 'openai',
    policy: null,
    streaming: false,
    status: 200,
    success: true,
    errorStatus: null,
    errorMessage: null,
    inputTokens: 100,
    outputTokens: 50,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    tokensEstimated: false,
    cost: 0.001,
    providerCost: null,
    latencyMs: 120,
    ttfbMs: 40,
    streamDurationMs: null,
    finishReason: 'stop',
    requestBytes: 200,
    responseBytes: 300,
    replayOf: null,
    exchange: {
      requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer [redacted …abcd]' },
      responseHeaders: { 'content-type': 'application/json' },
      requestBody: '{"model":"gpt-4o-mini","messages":[]}',
      requestBodyTruncated: false,
      responseBody: '{"choices":[]}',
      responseBodyTruncated: false,
    },
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing randomized test can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.0-flash', 'llama3.2', ''];
const PROVIDERS = ['openai', 'anthropic', 'gemini', 'ollama'];
const POLICIES = [null, 'summarize', 'classify', 'chat'];

/** A varied record: errors, streams, unknown costs, missing tokens, all in sensible proportions. */
export function randomRecord(rand: () => number, startMs: number, i: number): LogRecord {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const fail = rand() < 0.15;
  const status = fail ? pick([400, 401, 429, 500, 502, 504, null]) : 200;
  const tokensKnown = rand() < 0.9;
  return makeRecord({
    correlationId: `c-${i}-${Math.floor(rand() * 1e9).toString(36)}`,
    timestamp: new Date(startMs + Math.floor(rand() * 3_600_000)).toISOString(),
    model: pick(MODELS),
    provider: pick(PROVIDERS),
    policy: pick(POLICIES),
    streaming: rand() < 0.4,
    status,
    success: !fail,
    errorStatus: fail ? status : null,
    errorMessage: fail ? pick(['rate limited', 'upstream unreachable', 'client aborted', 'bad request']) : null,
    inputTokens: tokensKnown ? Math.floor(rand() * 4000) : null,
    outputTokens: tokensKnown ? Math.floor(rand() * 1500) : null,
    cost: rand() < 0.8 ? Math.round(rand() * 1e6) / 1e8 : null,
    latencyMs: Math.round(rand() * 30_000) / 10,
    path: pick(['/v1/chat/completions', '/v1/messages', '/v1/responses', '/api/chat']),
  });
}
