import { calcPrice } from '@pydantic/genai-prices';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeCost } from '../../../../electron/core/proxy/usage';

const usage = { inputTokens: 10_000, outputTokens: 2_000, cacheReadTokens: 4_000, cacheWriteTokens: null };

describe('computeCost', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('works offline: pricing never reaches for the network', () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('offline')));
    vi.stubGlobal('fetch', fetchSpy);
    expect(
      computeCost({
        provider: 'mistral',
        baseUrl: 'https://api.mistral.ai/v1',
        model: 'mistral-large-latest',
        usage,
        override: null,
      }),
    ).toBeGreaterThan(0);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('prices a known model from the package data, cached tokens at the cache price', () => {
    const ref = calcPrice({ input_tokens: 1, output_tokens: 1 }, 'gpt-4o', { providerId: 'openai' });
    const p = ref!.model_price as Record<string, number>;
    expect(p['cache_read_mtok']).toBeLessThan(p['input_mtok']!);
    const expected = (6_000 * p['input_mtok']! + 4_000 * p['cache_read_mtok']! + 2_000 * p['output_mtok']!) / 1e6;
    for (const [provider, baseUrl] of [
      ['openai', 'https://api.openai.com/v1'],
      ['openai', null],
      ['local', 'http://127.0.0.1:9999'],
    ] as const) {
      expect(computeCost({ provider, baseUrl, model: 'gpt-4o', usage, override: null })).toBeCloseTo(expected, 12);
    }
  });

  it('prices Anthropic cache writes and reads', () => {
    const ref = calcPrice({ input_tokens: 1, output_tokens: 1 }, 'claude-sonnet-4-20250514', {
      providerId: 'anthropic',
    });
    const p = ref!.model_price as Record<string, number>;
    const u = { inputTokens: 3025, outputTokens: 42, cacheReadTokens: 2000, cacheWriteTokens: 1000 };
    const expected =
      (25 * p['input_mtok']! + 2000 * p['cache_read_mtok']! + 1000 * p['cache_write_mtok']! + 42 * p['output_mtok']!) /
      1e6;
    expect(
      computeCost({
        provider: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        model: 'claude-sonnet-4-20250514',
        usage: u,
        override: null,
      }),
    ).toBeCloseTo(expected, 12);
  });

  it('is null for an unknown model or unknown token counts, never a guess', () => {
    expect(
      computeCost({
        provider: 'ollama',
        baseUrl: 'http://127.0.0.1:11434',
        model: 'my-finetune-7b',
        usage,
        override: null,
      }),
    ).toBeNull();
    expect(
      computeCost({
        provider: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        model: 'no-such-model',
        usage,
        override: null,
      }),
    ).toBeNull();
    expect(
      computeCost({
        provider: 'openai',
        baseUrl: null,
        model: 'gpt-4o',
        usage: { ...usage, outputTokens: null },
        override: null,
      }),
    ).toBeNull();
    expect(computeCost({ provider: 'openai', baseUrl: null, model: '', usage, override: null })).toBeNull();
  });

  it('an override wins, field by field', () => {
    const o = { input: 1, output: 2, cacheRead: 0.5 };
    expect(computeCost({ provider: 'local', baseUrl: null, model: 'my-finetune-7b', usage, override: o })).toBeCloseTo(
      (6_000 * 1 + 4_000 * 0.5 + 2_000 * 2) / 1e6,
      12,
    );
    // Only output overridden: input and cache prices still come from the package.
    const ref = calcPrice({ input_tokens: 1, output_tokens: 1 }, 'gpt-4o', { providerId: 'openai' })!
      .model_price as Record<string, number>;
    expect(
      computeCost({ provider: 'openai', baseUrl: null, model: 'gpt-4o', usage, override: { output: 100 } }),
    ).toBeCloseTo((6_000 * ref['input_mtok']! + 4_000 * ref['cache_read_mtok']! + 2_000 * 100) / 1e6, 12);
    // An override without input/output price for an unknown model is still unknown.
    expect(
      computeCost({ provider: 'local', baseUrl: null, model: 'my-finetune-7b', usage, override: { output: 1 } }),
    ).toBeNull();
    // Zero is a price (a free local model), not "unknown".
    expect(
      computeCost({ provider: 'local', baseUrl: null, model: 'x', usage, override: { input: 0, output: 0 } }),
    ).toBe(0);
  });

  it('equals the package total for plain, tiered and time-of-day prices, whatever the counts', () => {
    const models = [
      ['openai', 'gpt-4o'],
      ['openai', 'gpt-5'],
      ['anthropic', 'claude-opus-4-1'],
      ['google', 'gemini-2.5-pro'],
      ['deepseek', 'deepseek-chat'],
      ['openai', 'gpt-3.5-turbo'],
    ] as const;
    const counts = [
      [0, 0, 0, 0],
      [1, 1, 0, 0],
      [250_000, 7, 100_000, 5_000],
      [10_000, 2_000, 4_000, 1_000],
      [300_000, 40_000, 0, 0],
    ] as const;
    for (const [provider, model] of models) {
      for (const [input, output, read, write] of counts) {
        const expected = calcPrice(
          { input_tokens: input, output_tokens: output, cache_read_tokens: read, cache_write_tokens: write },
          model,
          { providerId: provider },
        )!.total_price;
        const got = computeCost({
          provider,
          baseUrl: null,
          model,
          usage: { inputTokens: input, outputTokens: output, cacheReadTokens: read, cacheWriteTokens: write },
          override: null,
        });
        expect(got, `${model} ${input}/${output}/${read}/${write}`).toBeCloseTo(expected, 12);
      }
    }
  });

  it('survives counts the package would refuse (cache larger than input)', () => {
    const bad = { inputTokens: 10, outputTokens: 1, cacheReadTokens: 50, cacheWriteTokens: 50 };
    expect(
      computeCost({ provider: 'openai', baseUrl: null, model: 'gpt-4o', usage: bad, override: null }),
    ).toBeGreaterThan(0);
  });
});
