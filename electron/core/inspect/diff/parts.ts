// Message parts as the diff compares and shows them: a key that is equal exactly when two parts
// are (media compared by a hash of their bytes, never by where they sit in the body), the text a
// character diff runs on, and a bounded view.
import type { Media, Part } from '../../contract/conversation';
import type { PartDiff, PartView } from '../../contract/diff';
import { diffJson } from './json-diff';
import { CHANGE_LIMIT, diffText } from './text-diff';

export interface Bodies {
  request: string | null;
  response: string | null;
}

/** FNV-1a over a string's UTF-16 units: cheap, and only ever compared with itself. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return `${s.length}:${(h >>> 0).toString(16)}`;
}

function mediaKey(m: Media, bodies: Bodies): string {
  const src = m.source;
  if (src.kind === 'url') return `url:${src.url}`;
  if (src.kind === 'file') return `file:${src.id}`;
  const d = src.data;
  if (d.kind === 'inline') return `b64:${hash(d.base64)}`;
  const body = d.side === 'request' ? bodies.request : bodies.response;
  return `b64:${body === null ? `${d.start}-${d.end}` : hash(body.slice(d.start, d.end))}`;
}

function mediaLabel(kind: string, m: Media): string {
  const bits = [kind, m.mime ?? '', m.name ?? '', m.bytes === null ? '' : `${m.bytes.toLocaleString('en-US')} bytes`];
  if (m.source.kind === 'url') bits.push(m.source.url.slice(0, 200));
  if (m.source.kind === 'file') bits.push(`file ${m.source.id}`);
  return bits.filter(Boolean).join(' · ');
}

export function partKey(p: Part, bodies: Bodies): string {
  switch (p.type) {
    case 'text':
      return `t:${p.text}`;
    case 'reasoning':
      return `r:${p.redacted}:${p.text}`;
    case 'refusal':
      return `x:${p.text}`;
    case 'image':
    case 'document':
      return `${p.type}:${p.media.mime}:${mediaKey(p.media, bodies)}`;
    case 'audio':
      return `audio:${p.media.mime}:${mediaKey(p.media, bodies)}:${p.transcript ?? ''}`;
    case 'tool_call':
      return `c:${p.name}:${p.id}:${p.arguments.ok ? JSON.stringify(p.arguments.value) : p.arguments.raw}`;
    case 'tool_result':
      return `res:${p.callId}:${p.name}:${p.isError}:${p.parts.map((x) => partKey(x, bodies)).join('\u0000')}`;
    case 'other':
      return `o:${p.label}:${p.json}`;
    default: {
      const never: never = p;
      return String(never);
    }
  }
}

/** The text a part is read as: what a character diff compares. */
export function partText(p: Part): string {
  switch (p.type) {
    case 'text':
    case 'reasoning':
    case 'refusal':
      return p.text;
    case 'audio':
      return p.transcript ?? '';
    case 'tool_call':
      return p.arguments.ok ? (JSON.stringify(p.arguments.value, null, 2) ?? '') : p.arguments.raw;
    case 'tool_result':
      return p.parts.map((x) => (x.type === 'image' || x.type === 'document' ? `[${x.type}]` : partText(x))).join('\n');
    case 'other':
      return p.json;
    case 'image':
    case 'document':
      return '';
    default: {
      const never: never = p;
      return String(never);
    }
  }
}

function label(p: Part): string {
  switch (p.type) {
    case 'tool_call':
      return `tool call ${p.name}${p.id ? ` (${p.id})` : ''}`;
    case 'tool_result':
      return ['tool result', p.name, p.callId && `for ${p.callId}`, p.isError && '(error)'].filter(Boolean).join(' ');
    case 'reasoning':
      return p.redacted ? 'reasoning (redacted)' : 'reasoning';
    case 'image':
    case 'document':
    case 'audio':
      return mediaLabel(p.type, p.media);
    case 'other':
      return p.label;
    default:
      return p.type;
  }
}

export function partView(p: Part): PartView {
  const text = partText(p);
  const cut = Math.max(0, text.length - CHANGE_LIMIT);
  return { kind: p.type, label: label(p), text: cut ? text.slice(0, CHANGE_LIMIT) : text, cut };
}

/** Two parts at the same place that differ: a text diff, and a JSON diff for tool arguments. */
export function changedPart(a: Part, b: Part): PartDiff {
  const json =
    a.type === 'tool_call' && b.type === 'tool_call' && a.arguments.ok && b.arguments.ok
      ? diffJson(a.arguments.value, b.arguments.value)
      : null;
  const text = json ? null : diffText(partText(a), partText(b));
  return { op: 'changed', a: partView(a), b: partView(b), text, json };
}
