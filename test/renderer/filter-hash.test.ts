import { describe, expect, it } from 'vitest';
import type { RequestFilter } from '../../electron/core/contract/model';
import { filterToHash, hashToFilter, hashToSort, isEmptyFilter } from '../../renderer/src/model/filter-hash';

describe('filter <-> URL hash', () => {
  it('round-trips the filter text, plain words and the order', () => {
    for (const f of [
      { query: 'model:"gpt 4o" & -policy:* (status:4xx OR status:5xx) since:1h' },
      { text: 'gpt-4o & "quotes", commas' },
    ] satisfies RequestFilter[]) {
      expect(hashToFilter(filterToHash(f))).toEqual(f);
    }
    const hash = filterToHash({ query: 'streaming' }, { column: 'cost', dir: 'desc' });
    expect(hash).toBe('#f=streaming&sort=cost.desc');
    expect(hashToSort(hash)).toEqual({ column: 'cost', dir: 'desc' });
  });

  it('encodes the empty filter as no hash at all', () => {
    expect(filterToHash({})).toBe('');
    expect(isEmptyFilter(hashToFilter(''))).toBe(true);
  });

  it('reads links from before the filter was text as the terms they meant', () => {
    expect(
      hashToFilter(
        '#model=gpt-4o-mini&model=claude%2Cwith+space&provider=openai&policy=batch&policy=(none)' +
          '&status=0&status=4&status=5&ok=0&stream=1&last=1h&until=2026-02-05T00:00:00.000Z&cid=abc-123',
      ),
    ).toEqual({
      query:
        '(model:gpt-4o-mini OR model:"claude,with space") provider:openai (policy:batch OR -policy:*) ' +
        '(status:0xx OR status:4xx OR status:5xx) failed streaming since:1h until:2026-02-05T00:00:00.000Z id:abc-123',
    });
    // Words and filter text beside them join the terms; a top-level OR keeps its meaning.
    expect(hashToFilter('#q=refund+policy&f=model:a+OR+model:b&since=2026-01-01T00:00:00.000Z')).toEqual({
      query: '"refund policy" (model:a OR model:b) since:2026-01-01T00:00:00.000Z',
    });
    // Words with "bodies" ticked: the words, or the words in bodies.
    expect(hashToFilter('#q=refund+policy&bodies=1')).toEqual({
      query: '"refund policy" OR body:"refund policy"',
    });
    expect(hashToFilter('#q=refund&bodies=1&stream=0')).toEqual({
      query: '("refund" OR body:"refund") -streaming',
    });
    // A relative range stays relative: `since:7d` counts back from when each query runs.
    expect(hashToFilter('#last=7d&status=5')).toEqual({ query: 'status:5xx since:7d' });
  });

  it('ignores malformed values instead of failing', () => {
    expect(hashToFilter('#status=9&status=x&status=4&ok=maybe&since=yesterday&q=%20%20&model=&last=3w')).toEqual({
      query: 'status:4xx',
    });
    expect(hashToFilter('#f=cost%3Eabc')).toEqual({});
    expect(hashToFilter('#%E0%A4%A')).toEqual({});
  });
});
