// Two logged requests compared (requests:diff): what changed in the system prompt, the tools, the
// parameters and the messages, with the replies side by side. The server built the diff in a
// thread and bounded every text in it; here runs of unchanged messages are folded, so a diff of
// two long agent histories paints a few dozen elements, not thousands.
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import type {
  DiffHead,
  JsonChange,
  MessageDiff,
  PartDiff,
  PartView,
  ReplySide,
  RequestDiff,
  TextDiff,
} from '../../../electron/core/contract/diff';
import { formatCost, formatMs, formatTime, formatTokens } from '../lib/format';
import { CacheCard } from './cache-card';
import { errorMessage, useClient } from '../lib/hooks';

interface Props {
  a: number;
  b: number;
  onClose: () => void;
  onSwap: () => void;
  onOpen: (id: number) => void;
  /** Shown above the diff (e.g. what a resend left out). */
  banner?: ReactNode;
}

export function useDiff(a: number, b: number) {
  const client = useClient();
  const [state, setState] = useState<{ key: string; diff: RequestDiff | null; error: string | null } | null>(null);
  const key = `${a}:${b}`;
  useEffect(() => {
    let live = true;
    client.diffRequests({ a, b }).then(
      (diff) => live && setState({ key, diff, error: null }),
      (e: unknown) => live && setState({ key, diff: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, a, b, key]);
  return state?.key === key ? state : null;
}

const n = (x: number) => x.toLocaleString('en-US');

export function DiffPane({ a, b, onClose, onSwap, onOpen, banner }: Props) {
  const loaded = useDiff(a, b);
  const d = loaded?.diff ?? null;
  return (
    <aside className="detail diff" aria-label="Request diff" data-testid="diff">
      <div className="detail-head">
        <div className="detail-title">
          <strong>Compare</strong>
          <span className="path">
            #{a} → #{b}
          </span>
          <button onClick={onSwap} title="Swap the two sides">
            ⇄ Swap
          </button>
          <button className="link" onClick={onClose} title="Close (Esc)" aria-label="Close diff">
            ✕
          </button>
        </div>
        {d && <Heads a={d.a} b={d.b} onOpen={onOpen} />}
      </div>
      <div className="detail-body">
        {banner}
        {!loaded && <span className="faint">Comparing…</span>}
        {loaded?.error && <div className="error-box">{loaded.error}</div>}
        {d && <DiffBody d={d} />}
      </div>
    </aside>
  );
}

function Heads({ a, b, onOpen }: { a: DiffHead; b: DiffHead; onOpen: (id: number) => void }) {
  const cell = (h: DiffHead, side: string) => (
    <div className="diff-head-side">
      <button className="link" onClick={() => onOpen(h.id)} title="Open this request">
        {side} #{h.id}
      </button>{' '}
      <span className="mono">{h.model || '—'}</span> <span className="faint">{formatTime(h.timestamp)}</span>
      <div className="faint">
        {[
          `in ${formatTokens(h.inputTokens)}`,
          `cached ${formatTokens(h.cacheReadTokens)}`,
          `out ${formatTokens(h.outputTokens)}`,
          formatCost(h.cost),
          formatMs(h.latencyMs),
        ].join(' · ')}
      </div>
    </div>
  );
  return (
    <div className="diff-heads">
      {cell(a, 'A')}
      {cell(b, 'B')}
    </div>
  );
}

function summaryLine(d: RequestDiff): string {
  const m = d.summary.messages;
  const bits = [
    `${n(m.same)} same`,
    m.changed && `${n(m.changed)} changed`,
    m.added && `${n(m.added)} added`,
    m.removed && `${n(m.removed)} removed`,
  ].filter(Boolean);
  const other = [
    d.summary.systemChanged && 'system prompt changed',
    d.summary.toolsChanged && `${d.summary.toolsChanged} tool${d.summary.toolsChanged > 1 ? 's' : ''} changed`,
    d.summary.toolsReordered && 'tools reordered',
    d.summary.paramsChanged && `${d.summary.paramsChanged} parameter${d.summary.paramsChanged > 1 ? 's' : ''} changed`,
  ].filter(Boolean);
  return `Messages: ${bits.join(', ')}${other.length ? ` · ${other.join(' · ')}` : ''}`;
}

function DiffBody({ d }: { d: RequestDiff }) {
  const changedTools = d.tools.items.filter((t) => t.op !== 'same');
  const changedParams = d.params.filter((p) => p.op !== 'same');
  return (
    <div className="conversation" data-testid="diff-body">
      <div className="diff-summary" data-testid="diff-summary">
        {summaryLine(d)}
      </div>
      {d.cache && <CacheCard c={d.cache} />}
      {d.notes.map((note) => (
        <div key={note} className="note">
          {note}
        </div>
      ))}
      {d.system && (
        <section>
          <div className="section-title">
            System prompt {d.system.firstChange === null ? <Op op="same" /> : <Op op="changed" />}
          </div>
          {d.system.firstChange !== null ? (
            <>
              <div className="faint">First change at character {n(d.system.firstChange)}</div>
              <Text diff={d.system} />
            </>
          ) : (
            <Text diff={d.system} />
          )}
        </section>
      )}
      {(changedTools.length > 0 || d.tools.reordered) && (
        <section data-testid="diff-tools">
          <div className="section-title">Tools {d.tools.reordered && <span className="badge">reordered</span>}</div>
          <div className="faint">
            Order in B:{' '}
            {d.tools.items
              .filter((t) => t.b !== null)
              .map((t) => t.name)
              .join(', ') || 'none'}
          </div>
          {changedTools.map((t) => (
            <div key={t.name} className={`diff-block op-${t.op}`}>
              <div className="msg-head">
                <Op op={t.op} /> <span className="mono">{t.name}</span>
              </div>
              {t.description && <Text diff={t.description} />}
              {t.schema.length > 0 && <Json changes={t.schema} />}
            </div>
          ))}
        </section>
      )}
      {changedParams.length > 0 && (
        <section data-testid="diff-params">
          <div className="section-title">Parameters</div>
          <table className="diff-params">
            <tbody>
              {changedParams.map((p) => (
                <tr key={p.name}>
                  <td className="mono">{p.name}</td>
                  <td className="d-del mono">{p.before ?? '—'}</td>
                  <td>→</td>
                  <td className="d-add mono">{p.after ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section data-testid="diff-messages">
        <div className="section-title">Messages</div>
        <Messages list={d.messages} />
      </section>
      <section>
        <div className="section-title">Replies</div>
        <div className="diff-replies" data-testid="diff-replies">
          <Reply label="A" side={d.replies.a} />
          <Reply label="B" side={d.replies.b} />
        </div>
      </section>
    </div>
  );
}

const OP_LABEL = { same: 'same', added: 'added', removed: 'removed', changed: 'changed' } as const;

function Op({ op }: { op: keyof typeof OP_LABEL }) {
  return <span className={`badge op op-${op}`}>{OP_LABEL[op]}</span>;
}

/** Unchanged messages fold into one line per run; changes show their parts. */
function Messages({ list }: { list: MessageDiff[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const out: ReactNode[] = [];
  for (let i = 0; i < list.length;) {
    if (list[i]!.op === 'same') {
      let j = i;
      while (j < list.length && list[j]!.op === 'same') j++;
      const start = i;
      if (j - i > 2 && !open.has(start)) {
        out.push(
          <button key={`fold${start}`} className="diff-fold" onClick={() => setOpen(new Set([...open, start]))}>
            {n(j - i)} unchanged messages (#{n(start + 1)}–#{n(j)}) — show
          </button>,
        );
      } else for (let k = i; k < j; k++) out.push(<SameMessage key={`s${k}`} m={list[k]!} />);
      i = j;
      continue;
    }
    out.push(<ChangedMessage key={`c${i}`} m={list[i]!} />);
    i++;
  }
  return <>{out}</>;
}

const place = (m: MessageDiff) =>
  m.a !== null && m.b !== null && m.a !== m.b ? `#${m.a + 1} → #${m.b + 1}` : `#${(m.b ?? m.a ?? 0) + 1}`;

function SameMessage({ m }: { m: MessageDiff }) {
  return (
    <div className="diff-same">
      <span className="faint">{place(m)}</span> <span className="role">{m.role}</span>{' '}
      <span className="faint">{m.preview}</span>
    </div>
  );
}

function ChangedMessage({ m }: { m: MessageDiff }) {
  return (
    <div className={`msg diff-block op-${m.op} role-${m.role}`} data-testid={`diff-msg-${m.op}`}>
      <div className="msg-head">
        <span className="role">{m.role}</span> <span className="faint">{place(m)}</span> <Op op={m.op} />
      </div>
      {m.parts.map((p, i) => (
        <Part key={i} p={p} />
      ))}
    </div>
  );
}

function Part({ p }: { p: PartDiff }) {
  if (p.op === 'same') return <div className="faint">{p.b?.label} (same)</div>;
  if (p.op !== 'changed') return <PartBlock view={(p.a ?? p.b)!} cls={p.op === 'added' ? 'd-add' : 'd-del'} />;
  const label = p.a!.label === p.b!.label ? p.b!.label : `${p.a!.label} → ${p.b!.label}`;
  return (
    <div>
      {p.b!.kind !== 'text' && <div className="faint">{label}</div>}
      {p.json ? <Json changes={p.json} /> : p.text ? <Text diff={p.text} /> : null}
    </div>
  );
}

function PartBlock({ view, cls }: { view: PartView; cls?: string }) {
  return (
    <div>
      {view.kind !== 'text' && <div className="faint">{view.label}</div>}
      {view.text && (
        <div className={`msg-text diff-text ${cls ?? ''}`}>
          {view.text}
          {view.cut > 0 && <span className="d-elided"> … {n(view.cut)} more characters</span>}
        </div>
      )}
    </div>
  );
}

export function Text({ diff }: { diff: TextDiff }) {
  return (
    <div className="msg-text diff-text" data-granularity={diff.granularity}>
      {diff.spans.map((s, i) => (
        <Fragment key={i}>
          <span className={s.op === 'same' ? undefined : s.op === 'added' ? 'd-add' : 'd-del'}>{s.text}</span>
          {s.elided > 0 && (
            <span className="d-elided">
              {' '}
              … {n(s.elided)} {s.op === 'same' ? 'unchanged' : s.op} characters …{' '}
            </span>
          )}
          {s.tail && <span>{s.tail}</span>}
        </Fragment>
      ))}
      {diff.granularity !== 'char' && (
        <div className="faint">
          Too far apart to compare by character: compared {diff.granularity === 'line' ? 'by line' : 'whole'}.
        </div>
      )}
    </div>
  );
}

function Json({ changes }: { changes: JsonChange[] }) {
  return (
    <table className="diff-json" data-testid="diff-json">
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td className="mono">{c.path}</td>
            <td>
              <Op op={c.op} />
            </td>
            <td className="mono">
              {c.text ? (
                <Text diff={c.text} />
              ) : (
                <>
                  {c.before !== null && <span className="d-del">{c.before}</span>}
                  {c.before !== null && c.after !== null && ' → '}
                  {c.after !== null && <span className="d-add">{c.after}</span>}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Reply({ label, side }: { label: string; side: ReplySide }) {
  return (
    <div className="msg reply" data-testid={`diff-reply-${label.toLowerCase()}`}>
      <div className="msg-head">
        <span className="role">{label}</span>
        {side.model && <span className="faint mono">{side.model}</span>}
        {side.finishReason && <span className="faint">finish: {side.finishReason}</span>}
      </div>
      {side.error && <div className="faint">{side.error}</div>}
      {side.parts.map((p, i) => (
        <PartBlock key={i} view={p} />
      ))}
      {!side.error && side.parts.length === 0 && <div className="faint">No reply.</div>}
      <div className="faint">{n(side.parts.reduce((s, p) => s + p.text.length + p.cut, 0))} characters</div>
    </div>
  );
}
