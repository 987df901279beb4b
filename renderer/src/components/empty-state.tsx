import type { AppStatus } from '../../../electron/core/contract/types';
import { setupLines } from '../lib/setup-lines';
import { CopyLines } from './copy-lines';

export function EmptyState({ status }: { status: AppStatus | null }) {
  const lines = status ? setupLines(status) : [];
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No requests yet</h2>
      <p className="muted">
        Point your client at the proxy and every request shows up here as it happens.
        {!status?.proxy.url
          ? ' The proxy is not listening yet.'
          : status.upstreams.length === 0
            ? ' No upstream is configured yet: add one in Settings.'
            : ''}
      </p>
      <CopyLines lines={lines} />
    </div>
  );
}
