// The filter language's parser: the issue's examples, the tree each gives, and the column and
// expectation a mistake is reported with.
import { describe, expect, it } from 'vitest';
import {
  parseQuery,
  parseQueryOrThrow,
  removePart,
  topLevelParts,
  type QueryNode,
} from '../../../electron/core/contract/filter-query';
import { requestFilterSchema } from '../../../electron/core/contract/schemas';

/** The tree without offsets, so expectations read as the meaning. */
function shape(text: string): unknown {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(r.error.message);
  const strip = (n: QueryNode | null): unknown => {
    if (!n) return null;
    if (n.kind === 'and' || n.kind === 'or') return { [n.kind]: n.items.map(strip) };
    if (n.kind === 'not') return { not: strip(n.item) };
    const { start: _s, end: _e, ...rest } = n;
    return rest;
  };
  return strip(r.tree);
}

const errorOf = (text: string) => {
  const r = parseQuery(text);
  if (r.ok) throw new Error(`"${text}" parsed`);
  return r.error;
};

describe('the filter language', () => {
  it('reads every example of the issue', () => {
    expect(shape('model:gpt-4o*')).toEqual({ kind: 'match', field: 'model', value: 'gpt-4o*', glob: true });
    expect(shape('provider:anthropic')).toEqual({ kind: 'match', field: 'provider', value: 'anthropic', glob: false });
    expect(shape('policy:summary')).toEqual({ kind: 'match', field: 'policy', value: 'summary', glob: false });
    expect(shape('status>=400')).toEqual({ kind: 'cmp', field: 'status', op: '>=', value: 400 });
    expect(shape('status:5xx')).toEqual({ kind: 'statusClass', value: 5 });
    expect(shape('cost>0.01')).toEqual({ kind: 'cmp', field: 'cost', op: '>', value: 0.01 });
    expect(shape('latency>2s')).toEqual({ kind: 'cmp', field: 'latency', op: '>', value: 2000 });
    expect(shape('ttfb>500ms')).toEqual({ kind: 'cmp', field: 'ttfb', op: '>', value: 500 });
    expect(shape('tokens.in>10000')).toEqual({ kind: 'cmp', field: 'tokens.in', op: '>', value: 10000 });
    expect(shape('streaming')).toEqual({ kind: 'flag', flag: 'streaming' });
    expect(shape('-streaming')).toEqual({ not: { kind: 'flag', flag: 'streaming' } });
    expect(shape('error:"rate limit"')).toEqual({ kind: 'contains', field: 'error', value: 'rate limit' });
    expect(shape('body:"refund"')).toEqual({ kind: 'contains', field: 'body', value: 'refund' });
    expect(shape('id:3f2a-77')).toEqual({ kind: 'match', field: 'id', value: '3f2a-77', glob: false });
    expect(shape('since:1h')).toEqual({ kind: 'time', bound: 'since', at: { agoMs: 3_600_000 } });
    expect(shape('since:2026-12-01 until:2026-12-02')).toEqual({
      and: [
        { kind: 'time', bound: 'since', at: { iso: '2026-12-01T00:00:00.000Z' } },
        { kind: 'time', bound: 'until', at: { iso: '2026-12-02T00:00:00.000Z' } },
      ],
    });
  });

  it('ANDs by default; OR binds looser than AND; - and NOT negate; parentheses group', () => {
    const a = { kind: 'flag', flag: 'streaming' };
    const b = { kind: 'statusClass', value: 5 };
    const c = { kind: 'contains', field: 'text', value: 'chat' };
    expect(shape('streaming status:5xx')).toEqual({ and: [a, b] });
    expect(shape('streaming AND status:5xx')).toEqual({ and: [a, b] });
    expect(shape('streaming status:5xx OR chat')).toEqual({ or: [{ and: [a, b] }, c] });
    expect(shape('streaming (status:5xx OR chat)')).toEqual({ and: [a, { or: [b, c] }] });
    expect(shape('NOT streaming -(status:5xx OR "chat")')).toEqual({ and: [{ not: a }, { not: { or: [b, c] } }] });
    expect(shape('  ')).toBeNull();
  });

  it('takes quoted values, times with a clock, and free text', () => {
    expect(shape('model:"my model (v2)"')).toEqual({
      kind: 'match',
      field: 'model',
      value: 'my model (v2)',
      glob: false,
    });
    expect(shape('"say \\"hi\\""')).toEqual({ kind: 'contains', field: 'text', value: 'say "hi"' });
    expect(shape('until:2026-12-02T10:30')).toEqual({
      kind: 'time',
      bound: 'until',
      at: { iso: '2026-12-02T10:30:00.000Z' },
    });
    expect(shape('since:2026-12-02T10:30:00+02:00')).toEqual({
      kind: 'time',
      bound: 'since',
      at: { iso: '2026-12-02T08:30:00.000Z' },
    });
    expect(shape('latency<=1.5m')).toEqual({ kind: 'cmp', field: 'latency', op: '<=', value: 90_000 });
    expect(shape('status:404')).toEqual({ kind: 'cmp', field: 'status', op: '=', value: 404 });
    expect(shape('refund')).toEqual({ kind: 'contains', field: 'text', value: 'refund' });
  });

  it('reports a mistake with its column and what was expected there', () => {
    expect(errorOf('cost>abc').message).toBe('cost>abc: expected a number at column 6');
    expect(errorOf('streaming cost>abc').column).toBe(16);
    expect(errorOf('latency>2h').message).toBe('latency>2h: expected a unit ms, s or m after the number at column 10');
    expect(errorOf('since:yesterday').message).toBe(
      'since:yesterday: expected a duration like 1h or a date like 2026-12-01 at column 7',
    );
    expect(errorOf('modle:gpt').message).toMatch(
      /^modle:gpt: unknown field "modle", expected one of model, provider, .* at column 1$/,
    );
    expect(errorOf('model>3').message).toBe(
      'model>3: model takes ":" (comparisons like > are for numbers) at column 6',
    );
    expect(errorOf('model:').message).toBe('model:: expected a value after ":" at column 7');
    expect(errorOf('status:7xx').column).toBe(8);
    expect(errorOf('(streaming').message).toBe('expected ")" to close the "(" of column 1 at column 11');
    expect(errorOf('streaming)').message).toBe('unexpected ")", no "(" to close at column 10');
    expect(errorOf('streaming OR').message).toBe('expected a term at column 13');
    expect(errorOf('OR streaming').message).toBe('expected a term before "OR" at column 1');
    expect(errorOf('()').column).toBe(2);
    expect(errorOf('error:"rate limit').message).toBe('expected a closing quote for the one at column 7');
  });

  it('thread takes a thread id', () => {
    expect(parseQueryOrThrow('thread:42')).toEqual({ kind: 'thread', value: 42, start: 0, end: 9 });
    expect(errorOf('streaming thread:abc').message).toBe(
      'thread:abc: expected a thread id (a whole number, as in thread:123) at column 18',
    );
    expect(errorOf('thread>3').message).toBe(
      'thread>3: thread takes ":" (comparisons like > are for numbers) at column 7',
    );
  });

  it('the contract refuses filter text that does not parse, with the parser’s message', () => {
    const r = requestFilterSchema.safeParse({ query: 'cost>abc' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('cost>abc: expected a number at column 6');
    expect(requestFilterSchema.safeParse({ query: 'model:gpt-4o* status>=400' }).success).toBe(true);
  });

  it('splits the text into the parts ANDed at the top level, for chips that remove one', () => {
    const text = 'model:gpt* -streaming  NOT (status:5xx OR failed) error:"rate limit"';
    const parts = topLevelParts(text).map((p) => text.slice(p.start, p.end));
    expect(parts).toEqual(['model:gpt*', '-streaming', 'NOT (status:5xx OR failed)', 'error:"rate limit"']);
    expect(removePart(text, topLevelParts(text)[2]!)).toBe('model:gpt* -streaming error:"rate limit"');
    expect(topLevelParts('-a OR b').map((p) => p)).toEqual([{ start: 0, end: 7 }]);
    expect(topLevelParts('cost>abc')).toEqual([]);
  });
});
