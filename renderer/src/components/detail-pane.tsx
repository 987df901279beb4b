import { useEffect, useState, type ComponentProps, type ReactNode } from 'react';
import type { RequestDetailView } from '../../../electron/core/contract/types';
import { copyWithToast } from '../lib/clipboard';
import { toCurl } from '../lib/curl';
import { formatBytes, formatCost, formatInt, formatMs, formatTime, formatTokens, UNKNOWN } from '../lib/format';
import { errorMessage, useClient } from '../lib/hooks';
import { liveOutputTokens } from '../lib/live-tokens';
import { reassemble } from '../lib/reassemble';
import type { InflightRow } from '../model/list-model';
import { BodyView, HeadersTable } from './body-view';
import { Timeline } from './sse-timeline';

type Tab = 'overview' | 'request' | 'response' | 'stream';

export type DetailTarget = { kind: 'row'; id: number } | { kind: 'inflight'; row: InflightRow };

interface Props {
  target: DetailTarget;
  proxyUrl: string | null;
  onClose: () => void;
}

function useDetail(id: number | null) {
  const client = useClient();
  const [state, setState] = useState<{ id: number; detail: RequestDetailView | null; error: string | null } | null>(null);
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

/** Why a finished stream shows no assistant message: "unknown format" only when that is the reason. */
function noMessage(eventCount: number, text: string | null): string {
  if (eventCount === 0) return 'The stream ended before any event arrived.';
  if (text === '') return 'No assistant text in this stream.';
  return 'Not reassembled (unknown stream format).';
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

export function DetailPane({ target, proxyUrl, onClose }: Props) {
  const [tab, setTab] = useState<Tab>('overview');
  const loaded = useDetail(target.kind === 'row' ? target.id : null);
  const d = target.kind === 'row' ? loaded?.detail ?? null : null;
  const live = target.kind === 'inflight' ? target.row : null;
  const streaming = live ? live.streaming : !!d?.streaming;
  const events = live ? live.events : d?.stream?.events ?? [];
  const message = live ? live.text || reassemble(live.events) : d?.stream?.text ?? null;
  const head = live ?? d;
  const tabs: Tab[] = streaming ? ['overview', 'request', 'response', 'stream'] : ['overview', 'request', 'response'];
  const shownTab = tabs.includes(tab) ? tab : 'overview';

  if (!head) {
    return (
      <aside className="detail" aria-label="Request detail">
        <div className="detail-body">{loaded?.error ? <div className="error-box">{loaded.error}</div> : <span className="faint">Loading…</span>}</div>
      </aside>
    );
  }

  const copyCurl = () => {
    if (!d) return;
    const base = (proxyUrl ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
    void copyWithToast(toCurl(d.method, base + d.path, d.exchange.requestHeaders, d.exchange.requestBody), 'cURL command');
  };

  return (
    <aside className="detail" aria-label="Request detail" data-testid="detail">
      <div className="detail-head">
        <div className="detail-title">
          <strong>{head.method}</strong>
          <span className="path" title={head.path}>{head.path}</span>
          {live && (live.finished ? <span className="badge">finished · not logged yet</span> : <span className="badge live pulse">in flight</span>)}
          {d && <span className={d.success ? 'badge' : 'badge err'}>{d.status ?? 'no status'}</span>}
          <button className="link" onClick={onClose} title="Close (Esc)" aria-label="Close detail">
            ✕
          </button>
        </div>
        <div className="actions">
          <button onClick={copyCurl} disabled={!d} title="Copy as cURL; the API key is left as $API_KEY">
            Copy as cURL
          </button>
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
        {shownTab === 'overview' && (
          <>
            <dl className="kv">
              <Field k="Time" v={formatTime(head.timestamp)} />
              <Field k="Correlation id" v={<span className="mono">{head.correlationId}</span>} />
              <Field k="Provider" v={head.provider} />
              <Field k="Model" v={head.model || null} />
              <Field k="Policy" v={head.policy} />
              <Field k="Status" v={live ? (live.finished ? 'finished, waiting to be logged' : 'in flight') : d?.status} />
              <Field k="Streamed" v={streaming ? 'yes' : 'no'} />
              {d && (
                <>
                  <Field k="Input tokens" v={formatTokens(d.inputTokens, d.tokensEstimated) + (d.tokensEstimated ? ' (estimated)' : '')} />
                  <Field k="Output tokens" v={formatTokens(d.outputTokens, d.tokensEstimated) + (d.tokensEstimated ? ' (estimated)' : '')} />
                  <Field k="Cache read / write" v={`${formatTokens(d.cacheReadTokens)} / ${formatTokens(d.cacheWriteTokens)}`} />
                  <Field k="Reasoning tokens" v={formatTokens(d.reasoningTokens)} />
                  <Field k="Cost" v={formatCost(d.cost, d.tokensEstimated) + (d.tokensEstimated && d.cost != null ? ' (from estimated tokens)' : '')} />
                  <Field k="Provider cost" v={formatCost(d.providerCost)} />
                  <Field k="Latency" v={formatMs(d.latencyMs)} />
                  <Field k="Time to first byte" v={formatMs(d.ttfbMs)} />
                  <Field k="Stream duration" v={formatMs(d.streamDurationMs)} />
                  <Field k="Finish reason" v={d.finishReason} />
                  <Field k="Request / response" v={`${formatBytes(d.requestBytes)} / ${formatBytes(d.responseBytes)}`} />
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
            {streaming && (
              <>
                <div className="section-title">Assistant message{live ? ' (arriving)' : ''}</div>
                {message ? (
                  <div className="message" data-testid="assistant-message">
                    {message}
                  </div>
                ) : (
                  <div className="faint">{live ? 'Waiting for the first tokens…' : noMessage(events.length, message)}</div>
                )}
              </>
            )}
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
      </div>
    </aside>
  );
}

/** One side of the exchange (request or response): its headers and body, once logged. */
function ExchangeSide(props: { logged: boolean; headers: ComponentProps<typeof HeadersTable>['headers']; body: string | null; truncated: boolean; dropped: boolean }) {
  if (!props.logged) return <div className="faint">Headers and bodies are shown once the request has been logged.</div>;
  return (
    <>
      <div className="section-title">Headers</div>
      <HeadersTable headers={props.headers} />
      <BodyView label="Body" body={props.body} truncated={props.truncated} dropped={props.dropped} />
    </>
  );
}
