import { useMemo, useState } from 'react';
import type { Headers } from '../../../electron/core/contract/model';
import { JsonTree, tryParseJson } from './json-tree';

export function HeadersTable({ headers }: { headers: Headers | null }) {
  if (!headers) return <div className="faint">No headers (no response arrived).</div>;
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <div className="faint">None.</div>;
  return (
    <dl className="kv mono">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{Array.isArray(v) ? v.join(', ') : v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A body as a JSON tree when it parses, raw text otherwise, with a switch between the two. */
export function BodyView({
  body,
  truncated,
  dropped,
  label,
}: {
  body: string | null;
  truncated: boolean;
  dropped: boolean;
  label: string;
}) {
  const parsed = useMemo(() => (body ? tryParseJson(body) : ({ ok: false } as const)), [body]);
  const [raw, setRaw] = useState(false);
  return (
    <>
      <div className="section-title">
        {label}
        {parsed.ok && (
          <span className="chips">
            <button className="chip" aria-pressed={!raw} onClick={() => setRaw(false)}>
              Tree
            </button>
            <button className="chip" aria-pressed={raw} onClick={() => setRaw(true)}>
              Raw
            </button>
          </span>
        )}
        {truncated && (
          <span className="badge" title="Longer than the body capture cap">
            truncated
          </span>
        )}
      </div>
      {dropped ? (
        <div className="faint">Body not kept: the writer shed bodies to stay within its memory bound.</div>
      ) : body == null || body === '' ? (
        <div className="faint">Empty.</div>
      ) : parsed.ok && !raw ? (
        <JsonTree value={parsed.value} />
      ) : (
        <pre className="code">{body}</pre>
      )}
    </>
  );
}
