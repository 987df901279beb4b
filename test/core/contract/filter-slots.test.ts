// The filter bar's shortcuts over the filter text: setTerm writes one slot's term and keeps the rest of
// the text as typed; readSlot says what the text holds for a slot, or that the box says more than one
// value can. A property test builds random filter text and checks both over every slot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseQuery,
  parseTopLevel,
  removePart,
  topLevelParts,
  type QueryNode,
} from '../../../electron/core/contract/filter-query';
import {
  readSlot,
  readWordsInBodies,
  setTerm,
  wordsInBodies,
  type Slot,
  type SlotValues,
} from '../../../electron/core/contract/filter-slots';
import { fuzzParams } from '../../helpers/fuzz';

describe('setTerm', () => {
  it('adds a term at the end, replaces it in place, and removes it', () => {
    expect(setTerm('', 'provider', 'openai')).toBe('provider:openai');
    expect(setTerm('refund  error:"rate  limit"', 'model', 'gpt-4o')).toBe('refund  error:"rate  limit" model:gpt-4o');
    expect(setTerm('model:a  -streaming', 'model', 'b')).toBe('model:b  -streaming');
    expect(setTerm('x model:a  -streaming', 'model', undefined)).toBe('x  -streaming');
    expect(setTerm('model:a', 'model', undefined)).toBe('');
    expect(setTerm('  model:a  ', 'model', undefined)).toBe('');
  });

  it('quotes values the parser would split', () => {
    expect(setTerm('', 'policy', 'my policy')).toBe('policy:"my policy"');
    expect(setTerm('', 'model', 'a"b')).toBe('model:"a\\"b"');
    expect(readSlot('model:"a\\"b"', 'model')).toEqual({ kind: 'set', value: 'a"b' });
  });

  it('writes status classes as one term or an OR group, and reads them back', () => {
    expect(setTerm('x', 'status', [4])).toBe('x status:4xx');
    expect(setTerm('x status:4xx', 'status', [5, 4])).toBe('x (status:4xx OR status:5xx)');
    expect(readSlot('x (status:4xx OR status:5xx)', 'status')).toEqual({ kind: 'set', value: [4, 5] });
    expect(readSlot('status:5xx OR status:0xx', 'status')).toEqual({ kind: 'set', value: [0, 5] });
    expect(setTerm('x (status:4xx OR status:5xx)', 'status', [])).toBe('x');
  });

  it('streaming, -streaming and NOT streaming; no policy as -policy:*; since as written', () => {
    expect(setTerm('a NOT streaming b', 'streaming', true)).toBe('a streaming b');
    expect(readSlot('a NOT streaming b', 'streaming')).toEqual({ kind: 'set', value: false });
    expect(setTerm('a', 'streaming', false)).toBe('a -streaming');
    expect(setTerm('a', 'policy', null)).toBe('a -policy:*');
    expect(readSlot('a -policy:*', 'policy')).toEqual({ kind: 'set', value: null });
    expect(setTerm('since:2026-12-01 until:2026-12-02', 'since', '1h')).toBe('since:1h until:2026-12-02');
    expect(readSlot('since:2026-12-01T10:30', 'since')).toEqual({ kind: 'set', value: '2026-12-01T10:30' });
  });

  it('removes the AND next to a term it takes out, so the rest still parses', () => {
    expect(setTerm('a AND model:x', 'model', undefined)).toBe('a');
    expect(setTerm('model:x AND a', 'model', undefined)).toBe('a');
    expect(setTerm('a AND model:x AND b', 'model', undefined)).toBe('a AND b');
    expect(setTerm('(a)model:x(b)', 'model', undefined)).toBe('(a) (b)');
  });

  it('puts a top-level OR in parentheses before ANDing a term to it', () => {
    expect(setTerm('model:a OR provider:b', 'streaming', true)).toBe('(model:a OR provider:b) streaming');
    // An OR of the slot's own terms is the slot's item: replaced whole.
    expect(setTerm('model:a OR model:b', 'model', 'c')).toBe('model:c');
  });

  it('leaves terms nested among other fields alone, and the slot then says so', () => {
    const text = '(status:5xx OR error:"timeout") model:a';
    expect(readSlot(text, 'status')).toEqual({ kind: 'complex' });
    expect(setTerm(text, 'status', [4])).toBe('(status:5xx OR error:"timeout") model:a status:4xx');
    expect(readSlot(setTerm(text, 'status', [4]), 'status')).toEqual({ kind: 'complex' });
    expect(setTerm(text, 'status', undefined)).toBe(text);
    expect(readSlot(text, 'model')).toEqual({ kind: 'set', value: 'a' });
  });

  it('shapes a slot cannot show are "set in the box", and setTerm replaces them', () => {
    expect(readSlot('status>=400', 'status')).toEqual({ kind: 'complex' });
    expect(readSlot('-provider:openai', 'provider')).toEqual({ kind: 'complex' });
    expect(readSlot('model:a model:b', 'model')).toEqual({ kind: 'complex' });
    expect(readSlot('model:a OR model:b', 'model')).toEqual({ kind: 'complex' });
    expect(setTerm('x status>=400 y', 'status', [2])).toBe('x status:2xx y');
    expect(setTerm('model:a x model:b', 'model', 'c')).toBe('model:c x');
    expect(readSlot('model:gpt-4o*', 'model')).toEqual({ kind: 'set', value: 'gpt-4o*' });
    expect(readSlot('', 'since')).toEqual({ kind: 'unset' });
  });

  it('refuses text that does not parse, as the parser does', () => {
    expect(() => setTerm('cost>abc', 'model', 'a')).toThrow('cost>abc: expected a number at column 6');
    expect(() => readSlot('(a', 'model')).toThrow(/expected "\)"/);
  });
});

describe('the "bodies" shortcut', () => {
  it('writes plain words as words or body words, and reads them back', () => {
    expect(wordsInBodies('refund')).toBe('"refund" OR body:"refund"');
    expect(wordsInBodies(' refund policy ')).toBe('"refund policy" OR body:"refund policy"');
    for (const w of ['refund', 'refund policy', 'ref*', 'a"b', 'streaming', 'x:y', '-a (b'])
      expect(readWordsInBodies(wordsInBodies(w)), w).toBe(w);
    expect(readWordsInBodies('refund OR body:other')).toBeNull();
    expect(readWordsInBodies('refund')).toBeNull();
    expect(readWordsInBodies('(refund OR body:refund) model:a')).toBeNull();
  });
});

describe('removing a chip', () => {
  it('keeps the rest as typed, spaces in quoted values included', () => {
    const text = 'error:"rate  limit"   model:a AND b';
    const parts = topLevelParts(text);
    expect(removePart(text, parts[1]!)).toBe('error:"rate  limit" AND b');
    expect(removePart(text, parts[2]!)).toBe('error:"rate  limit"   model:a');
  });
});

// ---- the property ----

/** A node's meaning: its tree without offsets. */
function meaning(n: QueryNode): unknown {
  if (n.kind === 'and' || n.kind === 'or') return { [n.kind]: n.items.map(meaning) };
  if (n.kind === 'not') return { not: meaning(n.item) };
  const { start: _s, end: _e, ...rest } = n;
  return rest;
}

const SLOT_ITEMS: Record<Slot, string[]> = {
  provider: ['provider:openai', 'provider:"my upstream"', '-provider:x', 'provider:a OR provider:b'],
  model: ['model:gpt-4o*', 'model:"a b"', 'NOT model:c', '(model:a OR model:b)'],
  policy: ['policy:summary', '-policy:*', 'policy:"two  words"'],
  status: ['status:4xx', 'status>=400', '(status:4xx OR status:5xx)', '-status:2xx'],
  streaming: ['streaming', '-streaming', 'NOT streaming'],
  since: ['since:1h', 'since:2026-12-01', 'since:"2026-12-01 10:30"'],
};
const OTHER_ITEMS = [
  'refund',
  '"two  spaces"',
  'error:"rate  limit"',
  'cost>0.01',
  'until:2026-12-02',
  'failed',
  '(status:5xx OR error:"timeout")',
  '(model:a OR provider:b)',
  'NOT (streaming OR body:refund)',
  'body:"refund policy"',
  'thread:12',
];
const SLOTS = Object.keys(SLOT_ITEMS) as Slot[];
const VALUES: { [S in Slot]: fc.Arbitrary<SlotValues[S] | undefined> } = {
  provider: fc.option(fc.constantFrom('openai', 'my upstream', 'a"b', 'x(y)'), { nil: undefined }),
  model: fc.option(fc.constantFrom('gpt-4o', 'claude*', 'with space'), { nil: undefined }),
  policy: fc.option(fc.constantFrom('summary', null, 'two words'), { nil: undefined }),
  status: fc.option(fc.uniqueArray(fc.constantFrom(0, 2, 3, 4, 5), { maxLength: 3 }), { nil: undefined }),
  streaming: fc.option(fc.boolean(), { nil: undefined }),
  since: fc.option(fc.constantFrom('15m', '1h', '7d', '2026-12-01'), { nil: undefined }),
};

const textArb = fc
  .record({
    items: fc.array(fc.constantFrom(...OTHER_ITEMS, ...SLOTS.flatMap((s) => SLOT_ITEMS[s])), { maxLength: 6 }),
    seps: fc.array(fc.constantFrom(' ', '  ', ' AND ', '\t'), { minLength: 6, maxLength: 6 }),
    or: fc.boolean(),
    pad: fc.constantFrom('', ' '),
  })
  .map(({ items, seps, or, pad }) => {
    // Items containing a top-level OR are parenthesised where they are ANDed with others.
    const safe = items.map((t) => (/ OR /.test(t) && !t.startsWith('(') && items.length > 1 ? `(${t})` : t));
    const body = or && safe.length > 1 ? safe.join(' OR ') : safe.map((t, i) => (i ? seps[i]! : '') + t).join('');
    return `${pad}${body}${pad}`;
  });

/** Which slot a term is about, read off the tree (independently of filter-slots.ts). */
function slotOf(t: QueryNode): Slot | null {
  if (t.kind === 'match' && t.field !== 'id') return t.field;
  if (t.kind === 'statusClass' || (t.kind === 'cmp' && t.field === 'status')) return 'status';
  if (t.kind === 'flag' && t.flag === 'streaming') return 'streaming';
  if (t.kind === 'time' && t.bound === 'since') return 'since';
  return null;
}
const leaves = (n: QueryNode): QueryNode[] =>
  n.kind === 'and' || n.kind === 'or' ? n.items.flatMap(leaves) : n.kind === 'not' ? leaves(n.item) : [n];

/** The top-level items of the text: those wholly about the slot, and the meanings of the others. */
function split(text: string, slot: Slot) {
  const items = parseTopLevel(text).items.map((it) => leaves(it.node));
  return {
    own: items.filter((ls) => ls.every((l) => slotOf(l) === slot)).length,
    mixed: items.some((ls) => ls.some((l) => slotOf(l) === slot) && !ls.every((l) => slotOf(l) === slot)),
    others: parseTopLevel(text)
      .items.filter((it) => !leaves(it.node).every((l) => slotOf(l) === slot))
      .map((it) => meaning(it.node)),
  };
}

describe('setTerm, on random filter text', () => {
  it('gives the slot its new value and leaves every other item meaning what it meant', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.constantFrom(...SLOTS).chain((slot) => fc.tuple(fc.constant(slot), VALUES[slot])),
        (text, [slot, value]) => {
          expect(parseQuery(text).ok, text).toBe(true);
          const out = setTerm(text, slot, value as never);
          const where = `${JSON.stringify(text)} -> ${JSON.stringify(out)}`;
          expect(parseQuery(out).ok, where).toBe(true);
          const before = split(text, slot);
          const after = split(out, slot);
          // Every item not wholly about the slot is still there, in order, meaning the same.
          expect(after.others, where).toEqual(before.others);
          const unset = value === undefined || (Array.isArray(value) && value.length === 0);
          expect(after.own, where).toBe(unset ? 0 : 1);
          const state = readSlot(out, slot);
          if (after.mixed) expect(state, where).toEqual({ kind: 'complex' });
          else if (unset) expect(state, where).toEqual({ kind: 'unset' });
          else {
            const want = Array.isArray(value) ? [...new Set(value)].sort() : value;
            expect(state, where).toEqual({ kind: 'set', value: want });
          }
          // Setting it again changes nothing: the term is found where it was written.
          expect(setTerm(out, slot, value as never), where).toBe(out);
        },
      ),
      fuzzParams(500),
    );
  });
});
