// Requests grouped by thread: one line per conversation (turns, tokens, cost, cache hit rate,
// duration, what grouped it); a line opens the thread's turns on a timeline, where a thread can be
// split at a turn or merged into another. Threads are inferred by the writer; edits are kept.
import { useState } from 'react';
import type { RequestFilter } from '../../../electron/core/contract/model';
import type { ThreadSummary, ThreadTurn, ThreadView } from '../../../electron/core/contract/threads';
import { formatCost, formatInt, formatMs, formatPercent, formatTime } from '../lib/format';
import { errorMessage, useClient, useLiveQuery } from '../lib/hooks';
import './threads-page.css';

function ThreadLine({ t, open, onToggle }: { t: ThreadSummary; open: boolean; onToggle: () => void }) {
  return (
    <tr className={open ? 'thread-line selected' : 'thread-line'} onClick={onToggle} data-thread={t.threadId}>
      <td>
        {open ? '▾' : '▸'} #{t.threadId}
      </td>
      <td>{formatTime(t.lastAt)}</td>
      <td className="num">{t.turns}</td>
      <td>{t.model || '—'}</td>
      <td className="num">{formatInt(t.inputTokens)}</td>
      <td className="num">{formatInt(t.outputTokens)}</td>
      <td className="num">{formatCost(t.cost)}</td>
      <td className="num">{formatPercent(t.cacheHitRate)}</td>
      <td className="num">{formatMs(t.durationMs)}</td>
      <td className="muted">
        {t.source}
        {t.parentThreadId !== null ? ` ← #${t.parentThreadId}` : ''}
        {t.segments > 1 ? ` · ${t.segments} segments` : ''}
      </td>
    </tr>
  );
}

/** A turn's place on the timeline, as a share of the thread's span. */
function place(turn: ThreadTurn, start: number, span: number): { left: string; width: string } {
  const at = Date.parse(turn.row.timestamp) - start;
  const len = Math.max(turn.row.latencyMs ?? 0, span / 400);
  return { left: `${(at / span) * 100}%`, width: `${Math.max(0.4, (len / span) * 100)}%` };
}

function ThreadTimeline({ view, onEdited }: { view: ThreadView; onEdited: (v: ThreadView) => void }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const [mergeInto, setMergeInto] = useState('');
  const start = Date.parse(view.summary.firstAt);
  const span = Math.max(1, view.summary.durationMs);
  const edit = (p: Promise<ThreadView>) =>
    p.then(
      (v) => {
        setError(null);
        onEdited(v);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  return (
    <div className="thread-view" data-testid="thread-view">
      <div className="timeline" aria-hidden>
        {view.turns.map((t) => (
          <span
            key={t.row.id}
            className={t.row.success ? 'turn-bar' : 'turn-bar failed'}
            style={place(t, start, span)}
            title={`turn ${t.row.turn}`}
          />
        ))}
      </div>
      <table className="turns">
        <thead>
          <tr>
            <th>Turn</th>
            <th>Request</th>
            <th>Started</th>
            <th className="num">Gap</th>
            <th className="num">In</th>
            <th className="num">Out</th>
            <th className="num">Cache read</th>
            <th className="num">Cache write</th>
            <th className="num">Cost</th>
            <th>Grouped by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.turns.map((t) => (
            <tr key={t.row.id} data-turn={t.row.turn}>
              <td>
                {t.row.turn}
                {t.segment > 1 ? <span className="muted"> · segment {t.segment}</span> : null}
              </td>
              <td>
                #{t.row.id} {t.row.model}
              </td>
              <td>{formatTime(t.row.timestamp)}</td>
              <td className="num">{t.gapMs === null ? '—' : formatMs(t.gapMs)}</td>
              <td className="num">{formatInt(t.row.inputTokens)}</td>
              <td className="num">{formatInt(t.row.outputTokens)}</td>
              <td className="num">{formatInt(t.row.cacheReadTokens)}</td>
              <td className="num">{formatInt(t.row.cacheWriteTokens)}</td>
              <td className="num">{formatCost(t.row.cost)}</td>
              <td className="muted">{t.source}</td>
              <td>
                {t.row.turn !== 1 && (
                  <button
                    className="small"
                    title="Start a thread of its own from this turn"
                    onClick={() => void edit(client.editThread({ kind: 'split', requestId: t.row.id }))}
                  >
                    Split here
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="merge"
        onSubmit={(e) => {
          e.preventDefault();
          const into = Number(mergeInto);
          if (!Number.isInteger(into) || into < 1) return setError('Give the id of the thread to merge into.');
          void edit(client.editThread({ kind: 'merge', threadId: view.summary.threadId, intoId: into }));
        }}
      >
        <label>
          Merge this thread into thread #
          <input value={mergeInto} onChange={(e) => setMergeInto(e.target.value)} size={8} aria-label="Thread id" />
        </label>
        <button type="submit">Merge</button>
        {error && <span className="error">{error}</span>}
      </form>
    </div>
  );
}

/** Threads with a request matching the list's filter, most recently active first. */
export function ThreadsPage({ filter }: { filter: RequestFilter }) {
  const client = useClient();
  const [open, setOpen] = useState<number | null>(null);
  const [view, setView] = useState<ThreadView | null>(null);
  const key = JSON.stringify(filter);
  const { data, error, reload } = useLiveQuery(() => client.listThreads({ filter, limit: 200 }), [client, key], 1000);
  const toggle = (id: number) => {
    if (open === id) {
      setOpen(null);
      setView(null);
      return;
    }
    setOpen(id);
    setView(null);
    client.getThread({ threadId: id }).then(setView, () => setView(null));
  };
  return (
    <section className="threads-page" data-testid="threads-page">
      {error && <p className="error">{error}</p>}
      {data && data.threads.length === 0 && (
        <p className="muted">No threads yet: conversations appear here once their requests are logged.</p>
      )}
      {data && data.threads.length > 0 && (
        <table className="threads">
          <thead>
            <tr>
              <th>Thread</th>
              <th>Last turn</th>
              <th className="num">Turns</th>
              <th>Model</th>
              <th className="num">In</th>
              <th className="num">Out</th>
              <th className="num">Cost</th>
              <th className="num">Cache hit</th>
              <th className="num">Duration</th>
              <th>Grouped by</th>
            </tr>
          </thead>
          <tbody>
            {data.threads.map((t) => [
              <ThreadLine key={t.threadId} t={t} open={open === t.threadId} onToggle={() => toggle(t.threadId)} />,
              open === t.threadId && (
                <tr key={`${t.threadId}-view`} className="thread-detail">
                  <td colSpan={10}>
                    {view ? (
                      <ThreadTimeline
                        view={view}
                        onEdited={(v) => {
                          setOpen(v.summary.threadId);
                          setView(v);
                          void reload();
                        }}
                      />
                    ) : (
                      <span className="muted">Loading…</span>
                    )}
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}
