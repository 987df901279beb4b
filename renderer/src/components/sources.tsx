import { useState } from 'react';
import type { DatabaseSource } from '../../../electron/core/contract/types';
import { isApiError } from '../../../electron/core/contract/errors';
import { formatBytes } from '../lib/format';
import { errorMessage, useClient } from '../lib/hooks';
import { Dialog } from './dialogs';

/** Live | each opened file: which log the screens below show. Shown once a file has been opened. */
export function SourceTabs({
  sources,
  active,
  onSelect,
  onClose,
}: {
  sources: DatabaseSource[];
  active: string | null;
  onSelect: (id: string | null) => void;
  onClose: (id: string) => void;
}) {
  if (sources.length === 0) return null;
  return (
    <nav className="sources" role="tablist" aria-label="Log databases">
      <button role="tab" aria-selected={active === null} onClick={() => onSelect(null)}>
        <span className="dot ok" /> Live
      </button>
      {sources.map((s) => (
        <span key={s.id} className="source-tab">
          <button role="tab" aria-selected={active === s.id} onClick={() => onSelect(s.id)} title={s.path}>
            {s.name} <span className="faint">(read-only)</span>
          </button>
          <button
            className="close"
            aria-label={`Close ${s.name}`}
            title="Close this database"
            onClick={() => onClose(s.id)}
          >
            ×
          </button>
        </span>
      ))}
    </nav>
  );
}

export function ReadOnlyBanner({ source }: { source: DatabaseSource }) {
  return (
    <div className="banner readonly" role="note" data-testid="readonly-banner">
      <strong>Read-only</strong>
      <span className="mono">{source.path}</span>
      <span className="faint">
        {formatBytes(source.sizeBytes)} · browsing a copy; the live proxy keeps logging under Live
      </span>
    </div>
  );
}

/**
 * Opens another log database read-only. Electron asks for the file with its native dialog; the
 * browser UI can't read local paths, so the user types or pastes one. Refusals (not a database,
 * another schema) are shown here, in the server's words.
 */
export function OpenDatabaseDialog({
  native,
  onOpened,
  onClose,
}: {
  native: boolean;
  onOpened: (s: DatabaseSource) => void;
  onClose: () => void;
}) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async (input: { path?: string }) => {
    setBusy(true);
    setError(null);
    try {
      onOpened(await client.openDatabase(input));
    } catch (e) {
      if (!(isApiError(e) && e.code === 'cancelled')) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Open log database" onClose={onClose}>
      <p className="muted" style={{ margin: 0 }}>
        Browse an export or a colleague's log beside the live one. It is opened read-only and never changed.
      </p>
      {native ? (
        <button onClick={() => void open({})} disabled={busy}>
          Choose file…
        </button>
      ) : (
        <form
          className="field"
          style={{ gridTemplateColumns: '120px 1fr' }}
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void open({ path: path.trim() });
          }}
        >
          <label htmlFor="open-db-path">File path</label>
          <input
            id="open-db-path"
            autoFocus
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/absolute/path/export.sqlite"
            className="mono"
          />
        </form>
      )}
      {error && (
        <div className="error-box" role="alert">
          Can't open it: {error}
        </div>
      )}
      <div className="buttons">
        <button onClick={onClose}>Cancel</button>
        {!native && (
          <button className="primary" onClick={() => void open({ path: path.trim() })} disabled={busy || !path.trim()}>
            {busy ? 'Opening…' : 'Open read-only'}
          </button>
        )}
      </div>
    </Dialog>
  );
}
