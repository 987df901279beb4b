import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../electron/core/contract/types';
import { toCurl } from '../../renderer/src/lib/curl';
import { formatCost, formatListTime, formatMs, formatTime, formatTokens, UNKNOWN } from '../../renderer/src/lib/format';
import { setupLines } from '../../renderer/src/lib/setup-lines';

describe('formatting', () => {
  it('never shows an unknown cost as $0, and never rounds a tiny cost to zero', () => {
    expect(formatCost(null)).toBe(UNKNOWN);
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.00004)).toBe('<$0.0001');
    expect(formatCost(0.00234)).toBe('$0.0023');
    expect(formatCost(1.5)).toBe('$1.500');
  });

  it('marks a cost priced from estimated token counts, but never makes an unknown one up', () => {
    expect(formatCost(0.00234, true)).toBe('~$0.0023');
    expect(formatCost(0.00004, true)).toBe('<$0.0001');
    expect(formatCost(null, true)).toBe(UNKNOWN);
  });

  it('marks estimated token counts', () => {
    expect(formatTokens(1234, true)).toBe('~1,234');
    expect(formatTokens(1234)).toBe('1,234');
    expect(formatTokens(null, true)).toBe(UNKNOWN);
  });

  it('formats durations for a column', () => {
    expect(formatMs(null)).toBe(UNKNOWN);
    expect(formatMs(0.4)).toBe('<1 ms');
    expect(formatMs(12.6)).toBe('13 ms');
    expect(formatMs(1530)).toBe('1.53 s');
    expect(formatMs(125_000)).toBe('2m 5s');
  });

  it('shows the date only for other days', () => {
    const now = new Date(2026, 1, 4, 12, 0, 0);
    expect(formatTime(new Date(2026, 1, 4, 9, 5, 7, 42).toISOString(), now)).toBe('09:05:07.042');
    expect(formatTime(new Date(2026, 1, 3, 9, 5, 7, 42).toISOString(), now)).toBe('2026-02-03 09:05:07.042');
    // The list's cell: whole today, month-day and seconds this year, the date alone before.
    expect(formatListTime(new Date(2026, 1, 4, 9, 5, 7, 42).toISOString(), now)).toBe('09:05:07.042');
    expect(formatListTime(new Date(2026, 0, 3, 9, 5, 7, 42).toISOString(), now)).toBe('01-03 09:05:07');
    expect(formatListTime(new Date(2025, 11, 31, 23, 0, 0).toISOString(), now)).toBe('2025-12-31');
  });
});

describe('copy as cURL', () => {
  it('quotes for the shell and leaves the key as a placeholder', () => {
    const cmd = toCurl(
      'POST',
      'http://127.0.0.1:8080/v1/chat/completions',
      {
        authorization: '[redacted]',
        'content-type': 'application/json',
        host: 'x',
        'x-note': "it's",
      },
      `{"content":"it's"}`,
    );
    expect(cmd).toBe(
      [
        `curl -X POST 'http://127.0.0.1:8080/v1/chat/completions'`,
        `-H "authorization: Bearer $API_KEY"`,
        `-H 'content-type: application/json'`,
        `-H 'x-note: it'\\''s'`,
        `--data-raw '{"content":"it'\\''s"}'`,
      ].join(' \\\n  '),
    );
  });
});

describe('copy as cURL credentials', () => {
  it('keeps the stored scheme of Authorization, Bearer when the row predates it', () => {
    const auth = (v: string) => toCurl('GET', 'http://h/', { authorization: v }, null).split('\n')[1]!.trim();
    expect(auth('Bearer [redacted …1234]')).toBe('-H "authorization: Bearer $API_KEY"');
    expect(auth('Basic [redacted]')).toBe('-H "authorization: Basic $API_KEY"');
    expect(auth('[redacted …1234]')).toBe('-H "authorization: Bearer $API_KEY"');
  });
});

describe('empty-state setup lines', () => {
  it('builds SDK base URLs from the proxy address and upstream mounts', () => {
    const status = {
      proxy: { state: 'listening', url: 'http://127.0.0.1:9000', host: '127.0.0.1', port: 9000, error: null },
      upstreams: [
        { name: 'openai', baseUrl: 'https://api.openai.com', mount: '/openai' },
        { name: 'anthropic', baseUrl: 'https://api.anthropic.com', mount: '/anthropic' },
      ],
    } as unknown as AppStatus;
    const texts = setupLines(status).map((l) => l.text);
    expect(texts[0]).toBe('OPENAI_BASE_URL=http://127.0.0.1:9000/openai/v1');
    expect(texts[1]).toBe('ANTHROPIC_BASE_URL=http://127.0.0.1:9000/anthropic');
    expect(texts[2]).toContain('curl http://127.0.0.1:9000/openai/v1/chat/completions');
  });

  it('uses the proxy address itself for an upstream mounted at /', () => {
    const status = {
      proxy: { state: 'listening', url: 'http://127.0.0.1:9000', host: '127.0.0.1', port: 9000, error: null },
      upstreams: [{ name: 'api.openai.com', baseUrl: 'https://api.openai.com', mount: '/' }],
    } as unknown as AppStatus;
    const texts = setupLines(status).map((l) => l.text);
    expect(texts[0]).toBe('OPENAI_BASE_URL=http://127.0.0.1:9000/v1');
    expect(texts[1]).toContain('curl http://127.0.0.1:9000/v1/chat/completions');
  });

  it('offers no URL when no upstream is configured, since every path would be a 404', () => {
    const status = {
      proxy: { state: 'listening', url: 'http://127.0.0.1:9000', host: '127.0.0.1', port: 9000, error: null },
      upstreams: [],
    } as unknown as AppStatus;
    expect(setupLines(status)).toEqual([]);
  });
});
