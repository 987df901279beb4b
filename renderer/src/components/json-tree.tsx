import { useState } from 'react';

// A collapsible JSON tree. Deep levels start collapsed and long arrays show their first items, so a
// 1 MB body doesn't become a million DOM nodes.

const MAX_CHILDREN = 200;

function Leaf({ value }: { value: unknown }) {
  // Strings as text, line breaks and all: prompts and replies are mostly paragraphs, and
  // '\n\n' escapes in one endless line are hard to read. The Raw view keeps the exact JSON.
  if (typeof value === 'string') return <span className="str">"{value}"</span>;
  if (typeof value === 'number') return <span className="numv">{String(value)}</span>;
  return <span className="lit">{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const isArr = Array.isArray(value);
  const isObj = typeof value === 'object' && value !== null;
  const [open, setOpen] = useState(depth < 3);
  const [all, setAll] = useState(false);
  const label = name === null ? null : <span className="key">{name}</span>;
  if (!isObj) {
    return (
      <div>
        <span className="toggle" />
        {label}
        {label && ': '}
        <Leaf value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = isArr ? value.map((v, i) => [String(i), v]) : Object.entries(value as object);
  const [o, c] = isArr ? ['[', ']'] : ['{', '}'];
  const shown = all ? entries : entries.slice(0, MAX_CHILDREN);
  return (
    <div>
      <span className="toggle" onClick={() => setOpen(!open)} role="button" aria-expanded={open}>
        {entries.length ? (open ? '▾' : '▸') : ''}
      </span>
      {label}
      {label && ': '}
      {o}
      {!open || entries.length === 0 ? (
        <span className="faint" onClick={() => setOpen(true)}>
          {entries.length ? ` ${entries.length} ${isArr ? 'items' : 'keys'} ` : ''}
          {c}
        </span>
      ) : (
        <>
          <div className="child">
            {shown.map(([k, v]) => (
              <Node key={k} name={isArr ? null : k} value={v} depth={depth + 1} />
            ))}
            {shown.length < entries.length && (
              <button className="link" onClick={() => setAll(true)}>
                show {entries.length - shown.length} more
              </button>
            )}
          </div>
          {c}
        </>
      )}
    </div>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}

export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
