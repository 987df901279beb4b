// Character diff of two texts with jsdiff, bounded in time and in size. The common prefix and
// suffix are cut off first (agents resend whole histories: most changes are small and late), so
// Myers' algorithm runs on the middle only; when that is still too far apart to finish within the
// time allowed, lines are compared instead, and failing that the middle is one removal and one
// addition. Long unchanged runs keep their head and tail, so the result stays small whatever the
// texts' size.
import { diffChars, diffLines, type Change } from 'diff';
import type { TextDiff, TextSpan } from '../../contract/diff';

/** Per comparison; a diff of many changed messages is bounded by the worker's own time limit. */
const TIME_LIMIT_MS = 300;
/** Above this many characters in the middle, characters are not tried: lines first. */
const CHAR_LIMIT = 200_000;
/** Unchanged text kept on each side of an elision. */
export const CONTEXT = 160;
/** An added or removed run is cut after this many characters. */
export const CHANGE_LIMIT = 20_000;

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function middle(a: string, b: string): { changes: Change[]; granularity: TextDiff['granularity'] } {
  if (a.length + b.length <= CHAR_LIMIT) {
    const chars = diffChars(a, b, { timeout: TIME_LIMIT_MS });
    if (chars) return { changes: chars, granularity: 'char' };
  }
  const lines = diffLines(a, b, { timeout: TIME_LIMIT_MS });
  if (lines) return { changes: lines, granularity: 'line' };
  const whole: Change[] = [];
  if (a) whole.push({ value: a, added: false, removed: true, count: 1 });
  if (b) whole.push({ value: b, added: true, removed: false, count: 1 });
  return { changes: whole, granularity: 'whole' };
}

/** A run as the result carries it: an unchanged one with its middle elided, a change cut. */
function span(op: TextSpan['op'], text: string, edge: 'start' | 'end' | 'inner'): TextSpan {
  if (op !== 'same') {
    if (text.length <= CHANGE_LIMIT) return { op, text, elided: 0, tail: '' };
    return { op, text: text.slice(0, CHANGE_LIMIT), elided: text.length - CHANGE_LIMIT, tail: '' };
  }
  // Context matters next to a change: the text before the first change keeps its tail, the text
  // after the last one its head, a run between changes both.
  const keepHead = edge === 'start' ? 0 : CONTEXT;
  const keepTail = edge === 'end' ? 0 : CONTEXT;
  if (text.length <= keepHead + keepTail + 40) return { op, text, elided: 0, tail: '' };
  return {
    op,
    text: text.slice(0, keepHead),
    elided: text.length - keepHead - keepTail,
    tail: text.slice(text.length - keepTail),
  };
}

export function diffText(a: string, b: string): TextDiff {
  if (a === b) {
    return { spans: a ? [span('same', a, 'inner')] : [], firstChange: null, granularity: 'char' };
  }
  const pre = commonPrefix(a, b);
  const suf = commonSuffix(a, b, pre);
  const { changes, granularity } = middle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf));
  const runs: { op: TextSpan['op']; text: string }[] = [];
  const push = (op: TextSpan['op'], text: string) => {
    if (!text) return;
    const last = runs[runs.length - 1];
    if (last && last.op === op) last.text += text;
    else runs.push({ op, text });
  };
  push('same', a.slice(0, pre));
  for (const c of changes) push(c.added ? 'added' : c.removed ? 'removed' : 'same', c.value);
  push('same', a.slice(a.length - suf));
  const spans = runs.map((r, i) =>
    span(r.op, r.text, i === 0 && runs.length > 1 ? 'start' : i === runs.length - 1 && i > 0 ? 'end' : 'inner'),
  );
  return { spans, firstChange: pre, granularity };
}
