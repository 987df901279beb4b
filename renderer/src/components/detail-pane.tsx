import { useEffect, useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import type { ConversationReply } from '../../../electron/core/contract/conversation';
import type { RequestDetailView } from '../../../electron/core/contract/types';
import { copyWithToast, toast } from '../lib/clipboard';
import { toCurl } from '../lib/curl';
import { formatBytes, formatCost, formatInt, formatMs, formatTime, formatTokens, UNKNOWN } from '../lib/format';
import { errorMessage, useClient } from '../lib/hooks';
import { liveOutputTokens } from '../lib/live-tokens';
import type { Bodies } from '../lib/media';
import { toPythonProgram, toTypeScript, type SnippetInput } from '../lib/snippets';
import type { InflightRow } from '../model/list-model';
import { BodyView, HeadersTable } from './body-view';
import { ConversationView, ReplyView } from './conversation-view';
import { Timeline } from './sse-timeline';
import { TurnCache } from './cache-card';

type Tab = 'conversation' | 'overview' | 'cache' | 'request' | 'response' | 'stream';

export type DetailTarget = { kind: 'row'; id: number } | { kind: 'inflight'; row: InflightRow };

interface Props {
  target: DetailTarget;
  proxyUrl: string | null;
  onClose: () => void;
  /** Compare…: the next request clicked in the list is diffed against this one. */
  onCompare?: () => void;
  /** Resend (body null) or Edit and resend (the stored body); absent on a read-only log. */
  onResend?: (id: number, editBody: string | null) => void;
  /** Opens another logged request (the one a resend was sent from). */
  onOpen?: (id: number) => void;
  /** Opens the thread view of the request's thread. */
  onOpenThread?: (threadId: number) => void;
}

function useDetail(id: number | null) {
  const client = useClient();
  const [state, setState] = useState<{ id: number; detail: RequestDetailView | null; error: string | null } | null>(
    null,
  );
  useEffect(() => {
    if (id === null) return;
    let live = true;
    client.getRequest({ id }).then(
      (detail) => live && setState({ id, detail, error: null }),
      (e: unknown) => live && setState({ id, detail: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  return state && state.id === id ? state : null;
}

function liveTokensText(reported: number | null, text: string): string {
  const t = liveOutputTokens(reported, text);
  return formatTokens(t.count, t.estimated) + (t.estimated ? ' (estimated from the text so far)' : '');
}

function Field({ k, v }: { k: string; v: ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v ?? <span className="faint">{UNKNOWN}</span>}</dd>
    </>
  );
}

export function DetailPane({ target, proxyUrl, onClose, onCompare, onResend, onOpen, onOpenThread }: Props) {
  const [tab, setTab] = useState<Tab>('conversation');
  const loaded = useDetail(target.kind === 'row' ? target.id : null);
  const d = target.kind === 'row' ? (loaded?.detail ?? null) : null;
  const live = target.kind === 'inflight' ? target.row : null;
  const streaming = live ? live.streaming : !!d?.streaming;
  const events = live ? live.events : (d?.stream?.events ?? []);
  const head = live ?? d;
  // A turn after the first of a thread has a previous turn to read its prompt cache against.
  const laterTurn = d?.threadId != null && d.turn !== null && d.turn > 1;
  const tabs: Tab[] = [
    'conversation',
    'overview',
    ...(laterTurn ? (['cache'] as const) : []),
    'request',
    'response',
    ...(streaming ? (['stream'] as const) : []),
  ];
  const shownTab = tabs.includes(tab) ? tab : 'conversation';
  const bodies = useMemo<Bodies>(
    () => ({ request: d?.exchange.requestBody ?? null, response: d?.exchange.responseBody ?? null }),
    [d],
  );

  if (!head) {
    return (
      <aside className="detail" aria-label="Request detail">
        <div className="detail-body">
          {loaded?.error ? <div className="error-box">{loaded.error}</div> : <span className="faint">Loading…</span>}
        </div>
      </aside>
    );
  }

  const base = (proxyUrl ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const copyCurl = () => {
    if (!d) return;
    void copyWithToast(
      toCurl(d.method, base + d.path, d.exchange.requestHeaders, d.exchange.requestBody),
      'cURL command',
    );
  };
  // Code needs the body as JSON; a body that is not (or was cut) can only be copied as cURL. It is
  // parsed when a copy is asked for, never on render: it may hold megabytes of base64 media.
  const codeFormat =
    d && d.conversation.ok && !d.exchange.requestBodyTruncated && d.exchange.requestBody !== null
      ? d.conversation.conversation.format
      : null;
  const snippet = (): SnippetInput | null => {
    if (!d || codeFormat === null) return null;
    try {
      return {
        format: codeFormat,
        proxyUrl: base,
        path: d.path,
        body: JSON.parse(d.exchange.requestBody ?? '') as unknown,
      };
    } catch {
      return null;
    }
  };
  const copyCode = (lang: 'Python' | 'TypeScript') => {
    const x = snippet();
    if (x) void copyWithToast(lang === 'Python' ? toPythonProgram(x) : toTypeScript(x), `${lang} code`);
    else toast('Not copied: the request body is not JSON');
  };
  const codeTitle =
    codeFormat !== null ? undefined : 'Only a request with a whole JSON body of a known format can be copied as code';

  return (
    <aside className="detail" aria-label="Request detail" data-testid="detail">
      <div className="detail-head">
        <div className="detail-title">
          <strong>{head.method}</strong>
          <span className="path" title={head.path}>
            {head.path}
          </span>
          {/* The row's model, whatever the tabs below can read (an export may hold no bodies). */}
          {head.model && (
            <span className="faint" title="Model">
              {head.model}
            </span>
          )}
          {live &&
            (live.finished ? (
              <span className="badge">finished · not logged yet</span>
            ) : (
              <span className="badge live pulse">in flight</span>
            ))}
          {d && <span className={d.success ? 'badge' : 'badge err'}>{d.status ?? 'no status'}</span>}
          <button className="link" onClick={onClose} title="Close (Esc)" aria-label="Close detail">
            ✕
          </button>
        </div>
        <div className="actions">
          <button onClick={copyCurl} disabled={!d} title="Copy as cURL; the API key is left as $API_KEY">
            Copy as cURL
          </button>
          <button
            onClick={() => copyCode('Python')}
            disabled={codeFormat === null}
            title={
              codeTitle ?? 'Python with the official SDK, pointed at the proxy; the key comes from the environment'
            }
          >
            Copy as Python
          </button>
          <button
            onClick={() => copyCode('TypeScript')}
            disabled={codeFormat === null}
            title={
              codeTitle ?? 'TypeScript with the official SDK, pointed at the proxy; the key comes from the environment'
            }
          >
            Copy as TypeScript
          </button>
          {onResend && d && (
            <>
              <button onClick={() => onResend(d.id, null)} title="Send this request again through the proxy">
                Resend
              </button>
              <button
                onClick={() => onResend(d.id, d.exchange.requestBody ?? '')}
                title="Edit the body (model, parameters, messages) and send it through the proxy"
              >
                Edit and resend…
              </button>
            </>
          )}
          {onCompare && (
            <button onClick={onCompare} title="Compare with another request: click it in the list (or Ctrl/⌘-click)">
              Compare…
            </button>
          )}
          <button onClick={() => void copyWithToast(head.correlationId, 'correlation id')} title={head.correlationId}>
            Copy correlation id
          </button>
        </div>
      </div>
      <div className="detail-tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t} role="tab" aria-selected={shownTab === t} onClick={() => setTab(t)}>
            {t === 'stream' ? `Stream (${events.length})` : t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="detail-body">
        {d && !d.success && (d.errorMessage || d.errorStatus) && (
          <div className="error-box">
            {d.errorStatus ? `${d.errorStatus}: ` : ''}
            {d.errorMessage ?? 'request failed'}
          </div>
        )}
        {shownTab === 'conversation' &&
          (live ? <LiveConversation row={live} /> : d ? <StoredConversation d={d} bodies={bodies} /> : null)}
        {shownTab === 'overview' && (
          <>
            <dl className="kv">
              <Field k="Time" v={formatTime(head.timestamp)} />
              <Field k="Correlation id" v={<span className="mono">{head.correlationId}</span>} />
              {d?.replayOf != null && (
                <Field
                  k="Resend of"
                  v={
                    <button className="link" onClick={() => onOpen?.(d.replayOf!)} data-testid="replay-of">
                      #{d.replayOf}
                    </button>
                  }
                />
              )}
              {d?.threadId != null && (
                <Field
                  k="Thread"
                  v={
                    <button
                      className="link"
                      onClick={() => onOpenThread?.(d.threadId!)}
                      disabled={!onOpenThread}
                      data-testid="open-thread"
                    >
                      #{d.threadId} · turn {d.turn}
                    </button>
                  }
                />
              )}
              <Field k="Provider" v={head.provider} />
              <Field k="Model" v={head.model || null} />
              <Field k="Policy" v={head.policy} />
              <Field
                k="Status"
                v={live ? (live.finished ? 'finished, waiting to be logged' : 'in flight') : d?.status}
              />
              <Field k="Streamed" v={streaming ? 'yes' : 'no'} />
              {d && (
                <>
                  <Field
                    k="Input tokens"
                    v={formatTokens(d.inputTokens, d.tokensEstimated) + (d.tokensEstimated ? ' (estimated)' : '')}
                  />
                  <Field
                    k="Output tokens"
                    v={formatTokens(d.outputTokens, d.tokensEstimated) + (d.tokensEstimated ? ' (estimated)' : '')}
                  />
                  <Field
                    k="Cache read / write"
                    v={`${formatTokens(d.cacheReadTokens)} / ${formatTokens(d.cacheWriteTokens)}`}
                  />
                  <Field k="Reasoning tokens" v={formatTokens(d.reasoningTokens)} />
                  <Field
                    k="Cost"
                    v={
                      formatCost(d.cost, d.tokensEstimated) +
                      (d.tokensEstimated && d.cost != null ? ' (from estimated tokens)' : '')
                    }
                  />
                  <Field k="Provider cost" v={formatCost(d.providerCost)} />
                  <Field k="Latency" v={formatMs(d.latencyMs)} />
                  <Field k="Time to first byte" v={formatMs(d.ttfbMs)} />
                  <Field k="Stream duration" v={formatMs(d.streamDurationMs)} />
                  <Field k="Finish reason" v={d.finishReason} />
                  <Field
                    k="Request / response"
                    v={`${formatBytes(d.requestBytes)} / ${formatBytes(d.responseBytes)}`}
                  />
                  <Field k="Error" v={d.errorMessage} />
                </>
              )}
              {live && (
                <>
                  <Field k="Output tokens so far" v={liveTokensText(live.outputTokens, live.text)} />
                  <Field k="Stream events so far" v={formatInt(live.eventCount)} />
                </>
              )}
            </dl>
          </>
        )}
        {shownTab === 'request' && (
          <ExchangeSide
            logged={d !== null}
            headers={d?.exchange.requestHeaders ?? null}
            body={d?.exchange.requestBody ?? null}
            truncated={d?.exchange.requestBodyTruncated ?? false}
            dropped={d?.exchange.bodiesDropped ?? false}
          />
        )}
        {shownTab === 'response' && (
          <ExchangeSide
            logged={d !== null}
            headers={d?.exchange.responseHeaders ?? null}
            body={d?.exchange.responseBody ?? null}
            truncated={d?.exchange.responseBodyTruncated ?? false}
            dropped={d?.exchange.bodiesDropped ?? false}
          />
        )}
        {shownTab === 'stream' && <Timeline events={events} />}
        {shownTab === 'cache' && d && <TurnCache id={d.id} />}
      </div>
    </aside>
  );
}

/** One side of the exchange (request or response): its headers and body, once logged. */
function ExchangeSide(props: {
  logged: boolean;
  headers: ComponentProps<typeof HeadersTable>['headers'];
  body: string | null;
  truncated: boolean;
  dropped: boolean;
}) {
  if (!props.logged) return <div className="faint">Headers and bodies are shown once the request has been logged.</div>;
  return (
    <>
      <div className="section-title">Headers</div>
      <HeadersTable headers={props.headers} />
      <BodyView label="Body" body={props.body} truncated={props.truncated} dropped={props.dropped} />
    </>
  );
}

/** A stored exchange as a conversation, or why it can't be read as one (then the raw tabs are the way in). */
function StoredConversation({ d, bodies }: { d: RequestDetailView; bodies: Bodies }) {
  if (!d.conversation.ok)
    return (
      <div className="note" data-testid="conversation-fallback">
        {d.conversation.reason} The Request and Response tabs show the bodies as they were stored.
      </div>
    );
  return <ConversationView conversation={d.conversation.conversation} bodies={bodies} />;
}

const NO_BODIES: Bodies = { request: null, response: null };

/** An in-flight stream: the request's messages show once logged; the reply grows as events arrive. */
function LiveConversation({ row }: { row: InflightRow }) {
  // Before the API's first rebuilt reply (or for a format it does not read), the proxy's text.
  const reply: ConversationReply | null =
    row.reply ?? (row.text ? { parts: [{ type: 'text', text: row.text }], finishReason: null, model: null } : null);
  return (
    <div className="conversation" data-testid="conversation">
      <div className="faint">The request’s messages show once it has been logged.</div>
      <ReplyView reply={reply} live={!row.finished} bodies={NO_BODIES} callNames={new Map()} />
    </div>
  );
}
