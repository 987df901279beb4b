import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExportProgressEvent } from '../../../electron/core/contract/types';
import { isApiError } from '../../../electron/core/contract/errors';
import type { RequestFilter } from '../../../electron/core/contract/model';
import { formatBytes, formatInt } from '../lib/format';
import { errorMessage, useClient } from '../lib/hooks';
import { isEmptyFilter } from '../model/filter-hash';

export function Dialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="dialog" role="dialog" aria-label={title} aria-modal="true">
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; text: string }
  | { kind: 'failed'; text: string }
  | { kind: 'cancelled'; text: string };

/** Names one export so its progress events can be told from another window's. */
function newJobId(): string {
  return `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function ExportProgressView({ progress }: { progress: ExportProgressEvent | null }) {
  let text = 'Starting…';
  let value: number | undefined;
  if (progress?.phase === 'writing') {
    text = `${formatInt(progress.done)} of ${formatInt(progress.total)} requests written`;
    value = progress.total > 0 ? progress.done / progress.total : 1;
  } else if (progress?.phase === 'copying') {
    text = `Copying the database: ${formatInt(progress.done)} of ${formatInt(progress.total)} pages`;
    value = progress.total > 0 ? progress.done / progress.total : 1;
  } else if (progress?.phase === 'compacting') {
    // One SQLite call (DELETE + VACUUM) with no measure: an indeterminate bar.
    text = 'Leaving out what is not exported and compacting the copy…';
  }
  return (
    <div className="export-progress" data-testid="export-progress">
      <progress aria-label="Export progress" max={1} value={value} />
      <span className="muted">{text}</span>
    </div>
  );
}

/** Electron asks for the destination with a native dialog when none is given; the browser UI must name a path. */
export function ExportDialog({
  filter,
  askPath,
  onClose,
}: {
  filter: RequestFilter;
  askPath: boolean;
  onClose: () => void;
}) {
  const client = useClient();
  const [format, setFormat] = useState<'sqlite' | 'jsonl' | 'csv' | 'har'>('sqlite');
  const [scope, setScope] = useState<'all' | 'filter'>(isEmptyFilter(filter) ? 'all' : 'filter');
  const [bodies, setBodies] = useState(true);
  const [destination, setDestination] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [progress, setProgress] = useState<ExportProgressEvent | null>(null);
  const job = useRef<string | null>(null);
  useEffect(() => client.on('exportProgress', (p) => p.jobId === job.current && setProgress(p)), [client]);
  const cancel = () => {
    if (job.current) void client.cancelExport({ jobId: job.current }).catch(() => undefined);
  };
  // Closing the dialog mid-export cancels it: an export nobody watches would only surprise later.
  const close = () => {
    if (outcome.kind === 'busy') cancel();
    onClose();
  };
  const run = async () => {
    const jobId = newJobId();
    job.current = jobId;
    setProgress(null);
    setOutcome({ kind: 'busy' });
    try {
      const r = await client.exportDatabase({
        format,
        scope,
        filter: scope === 'filter' ? filter : {},
        includeBodies: bodies,
        includeHeaders: bodies,
        jobId,
        ...(askPath ? { destination } : {}),
      });
      setOutcome({
        kind: 'done',
        text: `Exported ${formatInt(r.rows)} requests (${formatBytes(r.bytes)}) to ${r.path}`,
      });
    } catch (e) {
      // A cancel is the user's choice, not a failure: say that nothing was left behind.
      if (isApiError(e) && e.code === 'cancelled') setOutcome({ kind: 'cancelled', text: e.message });
      else setOutcome({ kind: 'failed', text: errorMessage(e) });
    } finally {
      job.current = null;
    }
  };
  const busy = outcome.kind === 'busy';
  return (
    <Dialog title="Export log" onClose={close}>
      <label className="field" style={{ gridTemplateColumns: '120px 1fr' }}>
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="sqlite">SQLite database</option>
          <option value="jsonl">JSON Lines</option>
          <option value="csv">CSV</option>
          <option value="har">HAR 1.2</option>
        </select>
      </label>
      <label className="field" style={{ gridTemplateColumns: '120px 1fr' }}>
        Rows
        <select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
          <option value="all">All requests</option>
          <option value="filter" disabled={isEmptyFilter(filter)}>
            Current filter only
          </option>
        </select>
      </label>
      <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
        <input type="checkbox" checked={bodies} onChange={(e) => setBodies(e.target.checked)} /> Include headers and
        bodies
      </label>
      {askPath && (
        <label className="field" style={{ gridTemplateColumns: '120px 1fr' }}>
          Save to
          <input
            value={destination}
            onChange={(e) => setDestination(e.target.value)}
            placeholder="/absolute/path/export.sqlite"
            className="mono"
          />
        </label>
      )}
      {busy && <ExportProgressView progress={progress} />}
      {outcome.kind === 'failed' && (
        <div className="error-box" role="alert">
          Export failed: {outcome.text}
        </div>
      )}
      {outcome.kind === 'done' && (
        <div className="banner" role="status">
          {outcome.text}
        </div>
      )}
      {outcome.kind === 'cancelled' && (
        <div className="banner muted" role="status">
          {outcome.text}
        </div>
      )}
      <div className="buttons">
        {busy ? (
          <button onClick={cancel}>Cancel export</button>
        ) : (
          <button onClick={close}>{outcome.kind === 'done' ? 'Close' : 'Cancel'}</button>
        )}
        <button className="primary" onClick={() => void run()} disabled={busy || (askPath && !destination.trim())}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
    </Dialog>
  );
}

export function ClearDialog({ onClose, onCleared }: { onClose: () => void; onCleared: () => void }) {
  const client = useClient();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const run = async () => {
    setOutcome({ kind: 'busy' });
    try {
      const r = await client.clearLogs({ confirm: true });
      setOutcome({ kind: 'done', text: `Deleted ${formatInt(r.deleted)} requests.` });
      onCleared();
    } catch (e) {
      setOutcome({ kind: 'failed', text: errorMessage(e) });
    }
  };
  return (
    <Dialog title="Clear logs" onClose={onClose}>
      <p style={{ margin: 0 }}>
        Delete every logged request, with its headers and bodies? This can't be undone; export first if you may need
        them.
      </p>
      {outcome.kind === 'failed' && (
        <div className="error-box" role="alert">
          Could not clear: {outcome.text}
        </div>
      )}
      {outcome.kind === 'done' && (
        <div className="banner" role="status">
          {outcome.text}
        </div>
      )}
      <div className="buttons">
        <button onClick={onClose}>{outcome.kind === 'done' ? 'Close' : 'Cancel'}</button>
        {outcome.kind !== 'done' && (
          <button
            className="primary"
            style={{ background: 'var(--err)', borderColor: 'var(--err)' }}
            onClick={() => void run()}
            disabled={outcome.kind === 'busy'}
          >
            Delete all requests
          </button>
        )}
      </div>
    </Dialog>
  );
}
