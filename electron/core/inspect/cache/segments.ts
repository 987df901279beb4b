// A prompt as the provider's cache sees it: a sequence of segments (tool definitions, the system
// prompt, each message) whose longest unchanged prefix is what a cache can serve. Two prompts are
// compared segment by segment; the first that differs is named with where, and what, changed.
import type { Conversation } from '../../contract/conversation';
import type { CacheReason } from '../../contract/cache';
import { partKey, partText, type Bodies } from '../diff/parts';

export interface Segment {
  kind: 'tools' | 'system' | 'message';
  label: string;
  /** Equal exactly when the segments are (media by a hash of their bytes). */
  key: string;
  /** What a person reads: where, in characters, a change sits. */
  text: string;
}

export function segmentsOf(c: Conversation, bodies: Bodies): Segment[] {
  const out: Segment[] = [];
  // Anthropic documents the order its cache prefix follows: tools, then system, then messages.
  if (c.tools.length > 0) {
    const text = c.tools.map((t) => JSON.stringify(t)).join('\n');
    out.push({ kind: 'tools', label: 'tool definitions', key: text, text });
  }
  if (c.system.length > 0) {
    const text = c.system.map(partText).join('\n\n');
    out.push({ kind: 'system', label: 'system prompt', key: c.system.map((p) => partKey(p, bodies)).join('\0'), text });
  }
  c.messages.forEach((m, i) => {
    const label =
      i === 0 && (m.role === 'system' || m.role === 'developer') ? 'system prompt' : `message #${i + 1} (${m.role})`;
    out.push({
      kind: label === 'system prompt' ? 'system' : 'message',
      label,
      key: `${m.role}\u0001${m.name ?? ''}\u0001${m.parts.map((p) => partKey(p, bodies)).join('\0')}`,
      text: m.parts.map(partText).join('\n'),
    });
  });
  return out;
}

const len = (s: Segment[]) => s.reduce((n, x) => n + x.text.length, 0);

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?|\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b\d{10,13}\b/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** What changed at `at`: a short window of each side and what it looks like. */
export function evidence(a: string, b: string, at: number): string {
  let endA = a.length;
  let endB = b.length;
  while (endA > at && endB > at && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const from = Math.max(0, at - 24);
  const win = (s: string, end: number) => {
    const to = Math.min(s.length, Math.max(end, at) + 24);
    const cut = s.slice(from, Math.min(to, from + 120)).replace(/\s+/g, ' ');
    return `${from > 0 ? '…' : ''}${cut}${to < s.length ? '…' : ''}`;
  };
  const before = win(a, endA);
  const after = win(b, endB);
  const what =
    TIMESTAMP.test(before) && TIMESTAMP.test(after) && before !== after
      ? 'a timestamp'
      : UUID.test(before) || UUID.test(after)
        ? 'an id'
        : /^\d+$/.test(a.slice(at, endA)) && /^\d+$/.test(b.slice(at, endB))
          ? 'a number'
          : endA === at
            ? 'text inserted'
            : endB === at
              ? 'text removed'
              : 'an edit';
  return `${what} ("${before}" → "${after}")`;
}

const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, ' ');

export interface PrefixCompare {
  sharedChars: number;
  previousChars: number;
  /** The first change, as a reason; null when the previous prompt is wholly a prefix of this one. */
  change: CacheReason | null;
}

export function comparePrefix(prev: Segment[], cur: Segment[]): PrefixCompare {
  const previousChars = len(prev);
  let shared = 0;
  for (let i = 0; i < prev.length; i++) {
    const p = prev[i]!;
    const c = cur[i];
    if (c && c.key === p.key) {
      shared += p.text.length;
      continue;
    }
    if (!c) {
      return {
        sharedChars: shared,
        previousChars,
        change: {
          kind: 'history_shortened',
          message:
            `history shortened: ${prev.length} segments before, ${cur.length} now ` +
            `(compacted or trimmed), so what followed #${i} is gone`,
          at: null,
        },
      };
    }
    // The same tools in another order are a different prefix to the provider.
    if (p.kind === 'tools' && c.kind === 'tools') {
      const names = (s: Segment) =>
        (JSON.parse(`[${s.text.split('\n').join(',')}]`) as { name: string }[]).map((t) => t.name);
      const pn = names(p);
      const cn = names(c);
      const sameSet = pn.length === cn.length && [...pn].sort().join('\0') === [...cn].sort().join('\0');
      const reordered = sameSet && pn.join('\0') !== cn.join('\0');
      return {
        sharedChars: shared,
        previousChars,
        change: reordered
          ? {
              kind: 'tools_reordered',
              message: `tool definitions reordered: ${pn.join(', ')} → ${cn.join(', ')}`,
              at: null,
            }
          : { kind: 'tools_changed', message: toolChange(pn, cn, p, c), at: null },
      };
    }
    const at = commonPrefix(p.text, c.text);
    const kind = p.kind === 'system' && c.kind === 'system' ? 'system_changed' : 'messages_changed';
    const where = p.label === c.label ? p.label : `${p.label} → ${c.label}`;
    return {
      sharedChars: shared + at,
      previousChars,
      change: { kind, message: `${where} changed at character ${n(at)}: ${evidence(p.text, c.text, at)}`, at },
    };
  }
  return { sharedChars: shared, previousChars, change: null };
}

function toolChange(pn: string[], cn: string[], p: Segment, c: Segment): string {
  const added = cn.filter((x) => !pn.includes(x));
  const removed = pn.filter((x) => !cn.includes(x));
  const byName = (s: Segment) =>
    new Map(s.text.split('\n').map((line) => [(JSON.parse(line) as { name: string }).name, line]));
  const pm = byName(p);
  const cm = byName(c);
  const edited = cn.filter((x) => pm.has(x) && pm.get(x) !== cm.get(x));
  const bits = [
    edited.length && `edited: ${edited.join(', ')}`,
    added.length && `added: ${added.join(', ')}`,
    removed.length && `removed: ${removed.join(', ')}`,
  ].filter(Boolean);
  return `tool definitions changed (${bits.join('; ') || 'order'})`;
}
