// The character diff's bounds: a small edit in a large text stays small in the result, texts too
// far apart fall back to lines, and the spans always read back to both texts where nothing is elided.
import { describe, expect, it } from 'vitest';
import { CHANGE_LIMIT, CONTEXT, diffText } from '../../../../electron/core/inspect/diff/text-diff';
import { diffJson } from '../../../../electron/core/inspect/diff/json-diff';
import type { TextDiff } from '../../../../electron/core/contract/diff';
import { rng } from '../../../helpers/records';

const side = (d: TextDiff, op: 'added' | 'removed') =>
  d.spans
    .filter((s) => s.op !== op)
    .map((s) => s.text + s.tail)
    .join('');

describe('diffText', () => {
  it('reads back to both texts when nothing is elided', () => {
    const rand = rng(7);
    for (let n = 0; n < 200; n++) {
      const word = () => Math.floor(rand() * 36 ** 3).toString(36);
      const a = Array.from({ length: 8 }, word).join(' ');
      const b = a
        .split(' ')
        .map((w) => (rand() < 0.3 ? word() : w))
        .join(' ');
      const d = diffText(a, b);
      if (d.spans.some((s) => s.elided)) continue;
      expect(side(d, 'added')).toBe(a);
      expect(side(d, 'removed')).toBe(b);
      expect(d.firstChange === null).toBe(a === b);
    }
  });

  it('keeps a small edit in 2 MB small: unchanged runs keep their context, the change its place', () => {
    const big = 'lorem ipsum dolor sit amet '.repeat(80_000);
    const a = `${big}The time is 10:00.${big}`;
    const b = `${big}The time is 10:05.${big}`;
    const d = diffText(a, b);
    expect(d.granularity).toBe('char');
    expect(d.firstChange).toBe(big.length + 'The time is 10:0'.length);
    expect(d.spans.map((s) => s.op)).toEqual(['same', 'removed', 'added', 'same']);
    expect(d.spans[0]!.text).toBe('');
    expect(d.spans[0]!.tail).toHaveLength(CONTEXT);
    expect(d.spans[0]!.elided).toBe(d.firstChange! - CONTEXT);
    expect(JSON.stringify(d).length).toBeLessThan(2_000);
  });

  it('compares texts far apart by line, and cuts a long change', () => {
    const rand = rng(3);
    const noise = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 36).toString(36)).join('');
    const lines = (n: number) => Array.from({ length: n }, () => noise(60)).join('\n');
    const d = diffText(lines(2_000), lines(2_000));
    expect(['line', 'whole']).toContain(d.granularity);
    for (const s of d.spans) expect(s.text.length).toBeLessThanOrEqual(CHANGE_LIMIT + 2 * CONTEXT);
    expect(d.spans.some((s) => s.op !== 'same' && s.elided > 0)).toBe(true);
  });
});

describe('diffJson', () => {
  it('names each difference by its path, strings with their character diff', () => {
    expect(
      diffJson(
        { a: 1, b: { c: 'hello world', 'x-y': [1, 2] }, gone: true },
        { a: 1, b: { c: 'hello there', 'x-y': [1] }, n: null },
      ),
    ).toEqual([
      expect.objectContaining({ path: '$.b.c', op: 'changed', before: '"hello world"', after: '"hello there"' }),
      { path: '$.b["x-y"][1]', op: 'removed', before: '2', after: null, text: null },
      { path: '$.gone', op: 'removed', before: 'true', after: null, text: null },
      { path: '$.n', op: 'added', before: null, after: 'null', text: null },
    ]);
    expect(diffJson({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
    expect(diffJson(1, 'one')).toEqual([{ path: '$', op: 'changed', before: '1', after: '"one"', text: null }]);
  });
});
