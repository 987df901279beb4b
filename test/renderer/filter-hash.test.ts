import { describe, expect, it } from 'vitest';
import type { RequestFilter } from '../../electron/core/contract/model';
import { filterToHash, hashToFilter, hashToRange, isEmptyFilter, sinceFor } from '../../renderer/src/model/filter-hash';

describe('filter <-> URL hash', () => {
  it('round-trips every field, including "no policy" and values with separators', () => {
    const f: RequestFilter = {
      text: 'gpt-4o & "quotes", commas',
      searchBodies: true,
      model: ['gpt-4o-mini', 'claude,with,commas'],
      provider: ['openai'],
      policy: ['batch', null],
      statusClass: [0, 4, 5],
      success: false,
      streaming: true,
      since: '2026-02-04T02:07:59.123Z',
      until: '2026-02-05T00:00:00.000Z',
      correlationId: 'abc-123',
    };
    expect(hashToFilter(filterToHash(f))).toEqual(f);
  });

  it('encodes the empty filter as no hash at all', () => {
    expect(filterToHash({})).toBe('');
    expect(isEmptyFilter(hashToFilter(''))).toBe(true);
  });

  it('keeps a relative time range relative, its start following the clock', () => {
    const now = Date.parse('2026-11-28T10:30:42.500Z');
    expect(hashToFilter('#last=15m', now)).toEqual({ since: '2026-11-28T10:15:00.000Z' });
    expect(hashToFilter('#last=1h', now + 3_600_000)).toEqual({ since: '2026-11-28T10:30:00.000Z' });
    expect(hashToRange('#q=x&last=24h')).toBe('24h');
    // Written back as the range, never as the instant it stood for when the hash was read.
    expect(filterToHash(hashToFilter('#last=7d&status=5', now), undefined, '7d')).toBe('#status=5&last=7d');
    expect(sinceFor('15m', now)).toBe('2026-11-28T10:15:00.000Z');
    // An unknown range is ignored; an absolute `since` beside it still counts.
    expect(hashToRange('#last=3w')).toBeNull();
    expect(hashToFilter('#last=3w&since=2026-01-01T00:00:00.000Z', now)).toEqual({ since: '2026-01-01T00:00:00.000Z' });
  });

  it('ignores malformed values instead of failing', () => {
    expect(hashToFilter('#status=9&status=x&status=4&ok=maybe&since=yesterday&q=%20%20&model=')).toEqual({
      statusClass: [4],
    });
    expect(hashToFilter('#%E0%A4%A')).toEqual({});
  });
});
