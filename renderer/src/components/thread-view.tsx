// One thread in the side pane: its turns on a timeline (each with tokens, cost, cache read/write and
// the gap since the previous turn), every turn's prompt cache read against the turn before it, and
// the thread's cache account (written, read back, what the misses cost over hits). The user splits
// the thread at a turn or merges it into another here; the writer keeps that choice.
import { Fragment, useEffect, useState } from 'react';
import type { CacheDiagnosis, ThreadCache } from '../../../electron/core/contract/cache';
import type { ThreadTurn, ThreadView } from '../../../electron/core/contract/threads';
import { formatCost, formatInt, formatMs, formatPercent, formatTime, formatTokens } from '../lib/format';
import { errorMessage, useClient, useLiveQuery } from '../lib/hooks';
import { CacheCard, VERDICT } from './cache-card';
import './thread-view.css';

interface Props {
  threadId: number;
  onClose: () => void;
  /** Opens a turn's request in the detail. */
  onOpen: (id: number) => void;
  /** The thread shown after a split or merge (the part holding the turn the user acted on). */
  onThread: (threadId: number) => void;
  /** A split or merge was kept: lines listed elsewhere are stale. */
  onEdited?: () => void;
  /** A database opened read-only: its threads are shown, not edited. */
  readOnly?: boolean;
}

/** A turn's place on the timeline, as a share of the thread's span. */
function place(turn: ThreadTurn, start: number, span: number): { left: string; width: string } {
  const at = Date.parse(turn.row.timestamp) - start;
  const len = Math.max(turn.row.latencyMs ?? 0, span / 400);
  return { left: `${(at / span) * 100}%`, width: `${Math.max(0.4, (len / span) * 100)}%` };
}

function useThread(threadId: number) {
  const client = useClient();
  const view = useLiveQuery(() => client.getThread({ threadId }), [client, threadId], 1000, false);
  // Read again when a turn of this thread commits (or too many rows did to tell), not on every commit.
  const { reload } = view;
  useEffect(() => {
    void reload();
    return client.on('requestsAppended', (p) => {
      if (p.truncated || p.rows.some((r) => r.threadId === threadId)) void reload();
    });
  }, [client, threadId, reload]);
  const [cache, setCache] = useState<{ key: string; data: ThreadCache | null; error: string | null } | null>(null);
  // The cache account reads every turn's bodies: once per change of the thread's turns, not per commit.
  const key = `${threadId}:${view.data?.summary.turns ?? 0}:${view.data?.summary.lastAt ?? ''}`;
  useEffect(() => {
    if (!view.data) return;
    let live = true;
    client.getThreadCache({ threadId }).then(
      (data) => live && setCache({ key, data, error: null }),
      (e: unknown) => live && setCache({ key, data: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, threadId, key, !!view.data]);
  return { ...view, cache: cache?.key === key ? cache : (cache ?? null) };
}

export function ThreadPane({ threadId, onClose, onOpen, onThread, onEdited, readOnly = false }: Props) {
  const client = useClient();
  const { data: view, error, reload, cache } = useThread(threadId);
  const [editError, setEditError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [mergeInto, setMergeInto] = useState('');
  const edit = (p: Promise<ThreadView>) =>
    p.then(
      (v) => {
        setEditError(null);
        onEdited?.();
        if (v.summary.threadId === threadId) void reload();
        else onThread(v.summary.threadId);
      },
      (e: unknown) => setEditError(errorMessage(e)),
    );
  const byId = new Map((cache?.data?.turns ?? []).map((d) => [d.id, d]));
  const s = view?.summary;
  return (
    <aside className="detail thread-pane" aria-label="Thread" data-testid="thread-view">
      <div className="detail-head">
        <div className="detail-title">
          <strong>Thread #{threadId}</strong>
          {s && (
            <span className="path" title={s.source}>
              {s.turns} turns · {s.model || 'no model'} · grouped by {s.source}
              {s.parentThreadId !== null ? ` ← #${s.parentThreadId}` : ''}
            </span>
          )}
          <button className="link" onClick={onClose} title="Close (Esc)" aria-label="Close thread">
            ✕
          </button>
        </div>
      </div>
      <div className="detail-body">
        {error && <div className="error-box">{error}</div>}
        {!view && !error && <span className="faint">Loading…</span>}
        {view && s && (
          <>
            <dl className="thread-figures" data-testid="thread-summary">
              <div>
                <dt>Tokens in / out</dt>
                <dd>
                  {formatInt(s.inputTokens)} / {formatInt(s.outputTokens)}
                </dd>
              </div>
              <div>
                <dt>Cost</dt>
                <dd>
                  {formatCost(s.cost)}
                  {s.costUnknown > 0 && <span className="faint"> (+{s.costUnknown} unpriced)</span>}
                </dd>
              </div>
              <div>
                <dt>Cache hit rate</dt>
                <dd>{formatPercent(s.cacheHitRate)}</dd>
              </div>
              <div>
                <dt>Duration</dt>
                <dd>{formatMs(s.durationMs)}</dd>
              </div>
            </dl>
            <CacheAccount cache={cache} />
            <div className="timeline" aria-hidden>
              {view.turns.map((t) => (
                <span
                  key={t.row.id}
                  className={t.row.success ? 'turn-bar' : 'turn-bar failed'}
                  style={place(t, Date.parse(s.firstAt), Math.max(1, s.durationMs))}
                  title={`turn ${t.row.turn}`}
                />
              ))}
            </div>
            <div className="turns-box">
              <table className="turns">
                <thead>
                  <tr>
                    <th>Turn</th>
                    <th className="num" title="From the previous turn's end to this turn's start">
                      Gap
                    </th>
                    <th className="num" title="Input / output tokens">
                      Tokens
                    </th>
                    <th className="num" title="Input tokens read from the prompt cache">
                      Cached
                    </th>
                    <th className="num" title="Input tokens written to the prompt cache">
                      Written
                    </th>
                    <th className="num">Cost</th>
                    <th title="The prompt cache read against the previous turn">Cache</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {view.turns.map((t) => {
                    const d = byId.get(t.row.id);
                    const shown = open === t.row.id && d;
                    return (
                      <Fragment key={t.row.id}>
                        <tr data-turn={t.row.turn} className={t.row.success ? undefined : 'failed'}>
                          <td title={`#${t.row.id} at ${formatTime(t.row.timestamp)}, grouped by ${t.source}`}>
                            <button className="link" onClick={() => onOpen(t.row.id)}>
                              {t.row.turn}
                            </button>
                            {t.segment > 1 && <span className="faint"> · seg {t.segment}</span>}
                          </td>
                          <td className="num">{t.gapMs === null ? '—' : formatMs(t.gapMs)}</td>
                          <td className="num">
                            {formatInt(t.row.inputTokens)} / {formatInt(t.row.outputTokens)}
                          </td>
                          <td className="num">{formatTokens(t.row.cacheReadTokens)}</td>
                          <td className="num">{formatTokens(t.row.cacheWriteTokens)}</td>
                          <td className="num">{formatCost(t.row.cost)}</td>
                          <td>
                            <Verdict
                              d={d}
                              first={t === view.turns[0]}
                              onToggle={() => setOpen(shown ? null : t.row.id)}
                            />
                          </td>
                          <td>
                            {t !== view.turns[0] && !readOnly && (
                              <button
                                className="small split"
                                title="Split here: this turn starts a thread of its own"
                                aria-label="Split here"
                                onClick={() => void edit(client.editThread({ kind: 'split', requestId: t.row.id }))}
                              >
                                ✂
                              </button>
                            )}
                          </td>
                        </tr>
                        {shown && (
                          <tr className="turn-cache">
                            <td colSpan={8}>
                              <CacheCard c={d} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {!readOnly && (
              <form
                className="merge"
                onSubmit={(e) => {
                  e.preventDefault();
                  const into = Number(mergeInto);
                  if (!Number.isInteger(into) || into < 1)
                    return setEditError('Give the id of the thread to merge into.');
                  void edit(client.editThread({ kind: 'merge', threadId, intoId: into }));
                }}
              >
                <label>
                  Merge into thread #
                  <input
                    value={mergeInto}
                    onChange={(e) => setMergeInto(e.target.value)}
                    size={8}
                    aria-label="Thread id"
                  />
                </label>
                <button type="submit">Merge</button>
                {editError && <span className="error">{editError}</span>}
              </form>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

const SHORT = { hit: 'hit', partial: 'partial', miss: 'miss', unknown: '?' } as const;

function Verdict({ d, first, onToggle }: { d: CacheDiagnosis | undefined; first: boolean; onToggle: () => void }) {
  if (first)
    return (
      <span className="faint" title="The first turn has no previous turn to read its cache against">
        —
      </span>
    );
  if (!d) return <span className="faint">…</span>;
  const cls = d.verdict === 'hit' ? 'op-added' : d.verdict === 'unknown' ? '' : 'op-removed';
  return (
    <button
      className={`badge verdict ${cls}`}
      onClick={onToggle}
      title={`${VERDICT[d.verdict]}: ${d.reasons[0]?.message ?? 'show the cache read against the previous turn'}`}
      data-testid="turn-verdict"
    >
      {SHORT[d.verdict]}
    </button>
  );
}

const Figure = ({ n }: { n: number }) => <strong>{formatTokens(n)}</strong>;

function CacheAccount({ cache }: { cache: { data: ThreadCache | null; error: string | null } | null }) {
  if (!cache) return <div className="faint cache-account">Reading the prompt cache of every turn…</div>;
  if (!cache.data) return <div className="error-box">{cache.error}</div>;
  const { summary: c, fromTurn } = cache.data;
  return (
    <div className="cache-account" data-testid="cache-summary">
      <div className="section-title">Prompt cache{fromTurn > 1 ? ` (turns ${fromTurn} on)` : ''}</div>
      <p>
        <Figure n={c.written} /> tokens written to the cache, <Figure n={c.read} /> read back.{' '}
        {c.missedTokens > 0 ? (
          <>
            Misses sent <strong>{formatTokens(c.missedTokens)}</strong> tokens at full price that the cache could have
            served: <strong>{c.missCost === null ? 'unpriced' : formatCost(c.missCost)}</strong> more than hits
          </>
        ) : (
          'No turn missed a prefix the cache should have held'
        )}
        {c.savedByHits !== null && c.savedByHits > 0 && <>; hits saved {formatCost(c.savedByHits)} over full price</>}.
      </p>
    </div>
  );
}
