import type { AppStatus } from '../../../electron/core/contract/types';
import { copyWithToast } from '../lib/clipboard';
import { setupLines } from '../lib/setup-lines';

export function EmptyState({ status }: { status: AppStatus | null }) {
  const lines = status ? setupLines(status) : [];
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No requests yet</h2>
      <p className="muted">
        Point your client at the proxy and every request shows up here as it happens.
        {!status?.proxy.url ? ' The proxy is not listening yet.' : status.upstreams.length === 0 ? ' No upstream is configured yet: add one in Settings.' : ''}
      </p>
      {lines.map((l) => (
        <div key={l.text}>
          <div className="faint" style={{ fontSize: 12 }}>{l.label}</div>
          <div className="copyline">
            <code>{l.text}</code>
            <button onClick={() => void copyWithToast(l.text, l.label)}>Copy</button>
          </div>
        </div>
      ))}
    </div>
  );
}
