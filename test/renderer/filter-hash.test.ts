import { describe, expect, it } from 'vitest';
import type { RequestFilter } from '../../electron/core/storage/types';
import { filterToHash, hashToFilter, isEmptyFilter } from '../../renderer/src/model/filter-hash';

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

  it('ignores malformed values instead of failing', () => {
    expect(hashToFilter('#status=9&status=x&status=4&ok=maybe&since=yesterday&q=%20%20&model=')).toEqual({ statusClass: [4] });
    expect(hashToFilter('#%E0%A4%A')).toEqual({});
  });
});
