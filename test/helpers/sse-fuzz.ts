// SSE streams for fuzzing, and the usage-chunk filter's specification written as a plain function
// of the whole input: what the client must receive, whatever the chunking.
import fc from 'fast-check';
import {
  isDataLine,
  isUsageOnlyChunk,
  withoutNullUsage,
  type FilterLimits,
} from '../../electron/core/proxy/usage/chunk-filter';

/** The whole input cut into lines: terminators LF, CRLF or CR (the SSE spec's three); the last may have none. */
export function splitLines(input: Buffer): { content: Buffer; term: Buffer }[] {
  const lines: { content: Buffer; term: Buffer }[] = [];
  let from = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i];
    if (b !== 0x0a && b !== 0x0d) continue;
    const crlf = b === 0x0d && input[i + 1] === 0x0a;
    lines.push({ content: input.subarray(from, i), term: input.subarray(i, crlf ? i + 2 : i + 1) });
    if (crlf) i++;
    from = i + 1;
  }
  if (from < input.length) lines.push({ content: input.subarray(from), term: Buffer.alloc(0) });
  return lines;
}

/**
 * What the client receives from the filter, stated over whole lines and events (an event ends at
 * an empty line). Every byte is the upstream's, except:
 *  1. the first event whose first data line is a usage-only chunk is removed, its blank line
 *     included, unless before that data line the event had more than maxHeldLines lines or
 *     maxHeldBytes bytes of other lines, or a line longer than maxLineBytes;
 *  2. with stripNullUsage, every other data line of at most maxLineBytes loses its top-level
 *     `"usage":null` member.
 */
export function referenceFilter(input: Buffer, opts: { stripNullUsage: boolean; limits: FilterLimits }): Buffer {
  const { maxLineBytes, maxHeldBytes, maxHeldLines } = opts.limits;
  const out: Buffer[] = [];
  let held: Buffer[] = [];
  let heldBytes = 0;
  let heldLines = 0;
  let fate: 'undecided' | 'pass' | 'drop' = 'undecided';
  let removed = false;
  const release = () => {
    out.push(...held);
    held = [];
    heldBytes = 0;
    heldLines = 0;
  };
  for (const { content, term } of splitLines(input)) {
    if (content.length > maxLineBytes) {
      if (fate === 'undecided') {
        release();
        fate = 'pass';
      }
      if (fate === 'pass') out.push(content, term);
      continue;
    }
    if (content.length === 0) {
      if (fate === 'undecided') release();
      if (fate !== 'drop') out.push(term);
      fate = 'undecided';
      continue;
    }
    const data = isDataLine(content);
    if (fate === 'undecided') {
      if (!data) {
        held.push(content, term);
        heldBytes += content.length + term.length;
        heldLines++;
        if (heldBytes > maxHeldBytes || heldLines > maxHeldLines) {
          release();
          fate = 'pass';
        }
        continue;
      }
      if (!removed && isUsageOnlyChunk(content)) {
        removed = true;
        held = [];
        heldBytes = 0;
        heldLines = 0;
        fate = 'drop';
        continue;
      }
      release();
      fate = 'pass';
    }
    if (fate === 'drop') continue;
    out.push(data && opts.stripNullUsage ? withoutNullUsage(content) : content, term);
  }
  release();
  return Buffer.concat(out);
}

const words = fc.string({ maxLength: 12 });
const chunkJson = (content: string, usage: 'null' | 'none' | 'first' | 'nested') => {
  const base = { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] };
  switch (usage) {
    case 'null':
      return JSON.stringify({ ...base, usage: null });
    case 'first':
      return JSON.stringify({ usage: null, ...base });
    case 'nested':
      return JSON.stringify({ ...base, meta: { usage: null } });
    default:
      return JSON.stringify(base);
  }
};

/** One line's content, without its terminator: the shapes an OpenAI-compatible stream has, and garbage. */
const lineContent = (longLine: number): fc.Arbitrary<string | Buffer> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          words,
          fc.constantFrom('null', 'none', 'first', 'nested') as fc.Arbitrary<'null' | 'none' | 'first' | 'nested'>,
          fc.constantFrom('data: ', 'data:'),
        )
        .map(([w, u, p]) => p + chunkJson(w, u)),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ p: fc.constantFrom(0, 3, 1e200, -1), c: fc.constantFrom(0, 5, 1.5) })
        .map(
          ({ p, c }) =>
            `data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":${p},` +
            `"completion_tokens":${c}}}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'data: [DONE]',
        'data',
        'data:',
        'data: {"choices": [], "usage": {"a": 1}}',
        'data: {"choices":[],"usage":null}',
        'data: {"usage":null,"\\q":1}',
        'data: {"usage":null',
        'datax: 1',
        'retry: 10',
      ),
    },
    { weight: 2, arbitrary: words.map((w) => `: ${w}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('event: ', 'id: ', 'event:', ':'), words).map(([f, w]) => f + w) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 20 })
        .map((b) => Buffer.from(Array.from(b).filter((x) => x !== 0x0a && x !== 0x0d))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('data: ', ': ', 'event: '), fc.integer({ min: longLine - 8, max: longLine * 3 }))
        .map(([p, n]) => p + 'L'.repeat(n)),
    },
  );

/** A stream of lines with random terminators, blank lines often (and sometimes missing). */
export const sseStream = (opts: { longLine: number }): fc.Arbitrary<Buffer> =>
  fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 3, arbitrary: lineContent(opts.longLine) }, { weight: 2, arbitrary: fc.constant('') }),
        fc.constantFrom('\n', '\n', '\r\n', '\r', ''),
      ),
      { maxLength: 40 },
    )
    .map((lines) => Buffer.concat(lines.flatMap(([content, term]) => [Buffer.from(content), Buffer.from(term)])));

/** Small limits, so short inputs reach every bound. */
export const smallLimits: fc.Arbitrary<FilterLimits> = fc.record({
  maxLineBytes: fc.integer({ min: 180, max: 400 }),
  maxHeldBytes: fc.integer({ min: 8, max: 200 }),
  maxHeldLines: fc.integer({ min: 0, max: 6 }),
});
