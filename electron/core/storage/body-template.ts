// A request body cut into the parts a conversation repeats from turn to turn, and put back. Pure:
// the writer and the tests run the same code. The cut follows the JSON's top level only: each
// element of a top-level array (messages, input, contents, tools) and each other large top-level
// value (system, instructions) is a part; the rest (keys, brackets, commas, whitespace, small
// values) stays literal, exactly as sent. Nothing is parsed into values or printed again, so odd
// whitespace, duplicate keys and escapes survive; a body that isn't a JSON object, or whose scan
// stops early (cut at capture), keeps as literal what the scan could not place.

import { skipWs, stringEnd, valueEnd } from '../json-text';

/**
 * Smaller bodies are stored whole. Templating a body costs the writer about 30 µs (a part, a
 * reference, a template and a second full-text entry: bench/body-store.ts --unique), which a small
 * body repeated a few times does not pay back; a conversation's history passes this within a few turns.
 */
export const MIN_TEMPLATED_BODY = 4096;
/** Smaller values stay literal: a part costs about as much as this in keys and index. */
export const MIN_PART = 64;

/** Literal text (string) and parts (index into `parts`), in order. */
export interface SplitBody {
  template: (string | number)[];
  parts: string[];
}

/** The spans [start, end) of the parts, in order; scanning stops at the first thing it cannot read. */
function partSpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 0x7b) return spans;
  i++;
  for (;;) {
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 0x22) return spans;
    i = stringEnd(s, i);
    if (i < 0) return spans;
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 0x3a) return spans;
    i = skipWs(s, i + 1);
    if (s.charCodeAt(i) === 0x5b) {
      i = arrayElements(s, i, spans);
    } else {
      const end = valueEnd(s, i);
      if (end >= 0 && end - i >= MIN_PART) spans.push([i, end]);
      i = end;
    }
    if (i < 0) return spans;
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 0x2c) return spans;
    i++;
  }
}

/** s[i] is '[': adds its large elements' spans; the index after ']', or -1. */
function arrayElements(s: string, i: number, spans: [number, number][]): number {
  let k = skipWs(s, i + 1);
  if (s.charCodeAt(k) === 0x5d) return k + 1;
  for (;;) {
    const end = valueEnd(s, k);
    if (end < 0) return -1;
    if (end - k >= MIN_PART) spans.push([k, end]);
    k = skipWs(s, end);
    const c = s.charCodeAt(k);
    if (c === 0x5d) return k + 1;
    if (c !== 0x2c) return -1;
    k = skipWs(s, k + 1);
  }
}

/**
 * The body as a template and its parts, or null when it is better stored whole: small, no part
 * found, or text SQLite would not give back exactly (a NUL, a lone surrogate).
 */
export function splitBody(body: string): SplitBody | null {
  if (body.length < MIN_TEMPLATED_BODY) return null;
  if (body.includes('\0') || !(body as string & { isWellFormed(): boolean }).isWellFormed()) return null;
  const spans = partSpans(body);
  if (spans.length === 0) return null;
  const template: (string | number)[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) template.push(body.slice(at, start));
    template.push(parts.length);
    parts.push(body.slice(start, end));
    at = end;
  }
  if (at < body.length) template.push(body.slice(at));
  const split = { template, parts };
  // The cut is kept only if it gives the body back: a scan mistake costs space, never the bytes.
  return joinBody(split.template, (n) => split.parts[n]!) === body ? split : null;
}

/** A template put back together; `part` gives the text of each part it names. */
export function joinBody(template: readonly (string | number)[], part: (n: number) => string): string {
  let out = '';
  for (const piece of template) out += typeof piece === 'string' ? piece : part(piece);
  return out;
}
