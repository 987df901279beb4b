// Minimal structural scanning of JSON text, for the few places where parsing and
// re-serialising would change bytes we must keep (request rewriting, the client's stream)
// or where the text is incomplete (an oversized event or body of which only the tail is kept).
// It keeps no buffer of its own: its input is already bounded by the caller (a request body read
// ahead, an SSE event of at most DEFAULT_MAX_LINE_BYTES, a tail of TAIL_BYTES).

import { skipWs, stringEnd, valueEnd } from '../../json-text';

export interface Member {
  key: string;
  /** Index of the key's opening quote. */
  start: number;
  valueStart: number;
  /** Exclusive. */
  valueEnd: number;
}

export interface ObjectLayout {
  open: number;
  close: number;
  members: Member[];
}

/** A quoted key as JSON reads it, or null when its escapes are not valid JSON (`"\q"`). */
function parseKey(quoted: string): string | null {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return null;
  }
}

/** The top-level members of the object that starts (after whitespace) at `from`; null if it isn't one. */
export function scanObject(text: string, from = 0): ObjectLayout | null {
  const open = skipWs(text, from);
  if (text.charCodeAt(open) !== 0x7b) return null;
  const members: Member[] = [];
  let i = skipWs(text, open + 1);
  if (text.charCodeAt(i) === 0x7d) return { open, close: i, members };
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return null;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return null;
    const key = parseKey(text.slice(i, keyEnd));
    if (key === null) return null;
    let j = skipWs(text, keyEnd);
    if (text.charCodeAt(j) !== 0x3a) return null;
    j = skipWs(text, j + 1);
    const end = valueEnd(text, j);
    if (end < 0) return null;
    members.push({ key, start: i, valueStart: j, valueEnd: end });
    i = skipWs(text, end);
    const sep = text.charCodeAt(i);
    if (sep === 0x7d) return { open, close: i, members };
    if (sep !== 0x2c) return null;
    i = skipWs(text, i + 1);
  }
}

/** The last member named `key` (JSON.parse keeps the last of duplicate keys, so do we). */
export function lastMember(layout: ObjectLayout, key: string): Member | undefined {
  for (let k = layout.members.length - 1; k >= 0; k--) {
    const m = layout.members[k];
    if (m?.key === key) return m;
  }
  return undefined;
}

/** From the tail of an oversized JSON text, the last complete object value of a member named
 *  one of `keys` (e.g. "usage"). Returns null when none is complete and parseable. */
export function salvageObjectMember(
  text: string,
  keys: readonly string[],
): { key: string; value: Record<string, unknown> } | null {
  let best: { at: number; key: string } | null = null;
  for (const key of keys) {
    const at = text.lastIndexOf(`"${key}"`);
    if (at >= 0 && (best === null || at > best.at)) best = { at, key };
  }
  while (best !== null) {
    const { at, key } = best;
    let j = skipWs(text, at + key.length + 2);
    if (text.charCodeAt(j) === 0x3a) {
      j = skipWs(text, j + 1);
      const end = text.charCodeAt(j) === 0x7b ? valueEnd(text, j) : -1;
      if (end > 0) {
        try {
          const v: unknown = JSON.parse(text.slice(j, end));
          if (typeof v === 'object' && v !== null && !Array.isArray(v))
            return { key, value: v as Record<string, unknown> };
        } catch {
          // fall through to an earlier occurrence
        }
      }
    }
    const before = at > 0 ? text.lastIndexOf(`"${key}"`, at - 1) : -1;
    best = before >= 0 ? { at: before, key } : null;
  }
  return null;
}
