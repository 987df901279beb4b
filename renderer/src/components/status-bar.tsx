import { memo } from 'react';
import type { AppStatus } from '../../../electron/core/contract/types';
import { copyWithToast } from '../lib/clipboard';
import { formatBytes, formatInt } from '../lib/format';
import { OtlpStatusItem } from './otlp-status';

export const StatusBar = memo(function StatusBar({
  status,
  connectionError,
}: {
  status: AppStatus | null;
  connectionError: string | null;
}) {
  if (!status) {
    return (
      <footer className="statusbar">
        {connectionError ? <span className="err">Not connected: {connectionError}</span> : 'Connecting…'}
      </footer>
    );
  }
  const { proxy, writer, upstreams, database } = status;
  // Cut off from the inspector, the last status received is all there is: shown greyed, and said
  // to be old, rather than green dots that contradict the "lost connection" banner above.
  const offline = connectionError !== null;
  const proxyOk = proxy.state === 'listening';
  const writerOk = writer.state === 'ok' && writer.dropped === 0;
  const dot = (cls: string) => `dot ${offline ? '' : cls}`;
  return (
    <footer className={offline ? 'statusbar offline' : 'statusbar'} data-testid="statusbar">
      {offline && (
        <span className="item err" title={connectionError}>
          disconnected · last known:
        </span>
      )}
      <span className="item">
        <span className={dot(proxyOk ? 'ok' : proxy.state === 'bind_failed' ? 'bad' : 'warn')} />
        {proxy.url ? (
          <button
            className="link mono"
            title="Copy proxy address"
            onClick={() => void copyWithToast(proxy.url!, 'proxy address')}
          >
            {proxy.url}
          </button>
        ) : (
          <span>proxy {proxy.state.replace('_', ' ')}</span>
        )}
      </span>
      <span className="item" title={upstreams.map((u) => `${u.name} → ${u.baseUrl}`).join('\n')}>
        {upstreams.length === 0 ? 'no upstreams' : `upstreams: ${upstreams.map((u) => u.name).join(', ')}`}
      </span>
      <span className="item" title={writer.lastError ?? 'Log writer'}>
        <span
          className={dot(
            writerOk ? 'ok' : writer.state === 'retrying' || writer.state === 'restarting' ? 'bad' : 'warn',
          )}
        />
        writer {writer.state}
        <span className="num">
          · queued {formatInt(writer.queued)} · failed {formatInt(writer.failed)} · dropped {formatInt(writer.dropped)}
        </span>
      </span>
      {status.otlp && <OtlpStatusItem otlp={status.otlp} offline={offline} />}
      <span className="spacer" />
      <span className="item mono" title={database.path}>
        {formatBytes(database.sizeBytes)} · {database.path.split(/[\\/]/).pop()}
      </span>
    </footer>
  );
});

/** Problems the user must see: the proxy can't listen, the log can't be written, the UI lost its connection. */
export function Banners({ status, connectionError }: { status: AppStatus | null; connectionError: string | null }) {
  const out: { kind: 'error' | 'warn'; text: string }[] = [];
  if (connectionError) out.push({ kind: 'error', text: `Lost connection to the inspector: ${connectionError}` });
  if (status?.proxy.state === 'bind_failed') {
    out.push({
      kind: 'error',
      text: `The proxy could not listen: ${status.proxy.error ?? 'bind failed'}. Change the port in Settings.`,
    });
  }
  if (status?.writer.state === 'retrying') {
    out.push({
      kind: 'error',
      text:
        `The log database can't be written ` +
        `(${status.writer.lastError ?? 'unknown error'}); requests are queued and retried.`,
    });
  }
  if (status?.writer.state === 'restarting') {
    out.push({
      kind: 'error',
      text: `The log writer stopped (${status.writer.lastError ?? 'unknown error'}); new requests are queued for it.`,
    });
  }
  if (status && status.writer.dropped > 0) {
    // While the writer restarts, its banner above says why; otherwise the usual reason is a full queue.
    const why = status.writer.state === 'restarting' ? '' : ' because the write queue was full';
    out.push({ kind: 'warn', text: `${formatInt(status.writer.dropped)} requests were not logged${why}.` });
  }
  return (
    <>
      {out.map((b) => (
        <div key={b.text} className={`banner ${b.kind}`} role="alert">
          {b.text}
        </div>
      ))}
    </>
  );
}
