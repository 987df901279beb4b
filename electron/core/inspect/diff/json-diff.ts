// Differences between two JSON values, as a flat list of paths: objects compared key by key,
// arrays index by index (tool arguments and schemas are small and positional), leaves by value.
// Bounded: at most MAX_CHANGES entries and each value's JSON cut at VALUE_LIMIT characters.
import type { JsonChange } from '../../contract/diff';
import { diffText } from './text-diff';

const MAX_CHANGES = 200;
const VALUE_LIMIT = 2_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length <= VALUE_LIMIT ? s : `${s.slice(0, VALUE_LIMIT)}… (${s.length - VALUE_LIMIT} more characters)`;
}

const key = (path: string, k: string) =>
  /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;

export function diffJson(a: unknown, b: unknown, limit = MAX_CHANGES): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (isObject(x) && isObject(y)) {
      for (const k of Object.keys(x)) {
        if (k in y) walk(x[k], y[k], key(path, k));
        else if (out.length < limit)
          out.push({ path: key(path, k), op: 'removed', before: show(x[k]), after: null, text: null });
      }
      for (const k of Object.keys(y))
        if (!(k in x) && out.length < limit)
          out.push({ path: key(path, k), op: 'added', before: null, after: show(y[k]), text: null });
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n && out.length < limit; i++) {
        const p = `${path}[${i}]`;
        if (i >= x.length) out.push({ path: p, op: 'added', before: null, after: show(y[i]), text: null });
        else if (i >= y.length) out.push({ path: p, op: 'removed', before: show(x[i]), after: null, text: null });
        else walk(x[i], y[i], p);
      }
      return;
    }
    const sx = JSON.stringify(x);
    const sy = JSON.stringify(y);
    if (sx === sy) return;
    out.push({
      path,
      op: 'changed',
      before: show(x),
      after: show(y),
      text: typeof x === 'string' && typeof y === 'string' ? diffText(x, y) : null,
    });
  };
  walk(a, b, '$');
  return out;
}
