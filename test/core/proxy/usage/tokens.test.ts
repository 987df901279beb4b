import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../../electron/core/proxy/usage';

describe('estimateTokens', () => {
  it('matches the model family tokenizer exactly on ordinary text', () => {
    const text = 'The quick brown fox jumps over the lazy dog. Grüße aus Köln! 日本語も。\n'.repeat(200);
    expect(estimateTokens(text, 'gpt-4o')).toBe(o200k(text));
    expect(estimateTokens(text, 'gpt-4')).toBe(cl100k(text));
    expect(estimateTokens(text, 'gpt-3.5-turbo')).toBe(cl100k(text));
    expect(estimateTokens(text, 'claude-sonnet-4')).toBe(o200k(text));
    expect(estimateTokens(text, null)).toBe(o200k(text));
    expect(estimateTokens('', 'gpt-4o')).toBe(0);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(estimateTokens('hello <|endoftext|> world', 'gpt-4o')).toBeGreaterThan(3);
  });

  it('stays fast on pathological input (one huge whitespace run, a base64 blob, megabytes)', () => {
    const t0 = performance.now();
    expect(estimateTokens(' '.repeat(200_000), 'gpt-4o')).toBeGreaterThan(0);
    expect(estimateTokens('QUJD'.repeat(100_000), 'gpt-4o')).toBeGreaterThan(0);
    const big = 'lorem ipsum dolor sit amet '.repeat(200_000);
    const est = estimateTokens(big, 'gpt-4o');
    const exact = o200k('lorem ipsum dolor sit amet '.repeat(1000)) * 200;
    expect(Math.abs(est - exact) / exact).toBeLessThan(0.02);
    // Unsliced, the whitespace run alone took 43 s on this machine; a generous bound, not a benchmark.
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
