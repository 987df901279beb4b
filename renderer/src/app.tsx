import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type ReactNode,
} from 'react';
import type { DatabaseSource } from '../../electron/core/contract/types';
import type { ResendResult } from '../../electron/core/contract/resend';
import type { DetailTarget } from './components/detail-pane';
import { loadColumnPrefs, saveColumnPrefs } from './components/columns';
import { ClearDialog, ExportDialog } from './components/dialogs';
import { ShortcutsOverlay } from './components/shortcuts-overlay';
import { EmptyState } from './components/empty-state';
import { FilterBar } from './components/filter-bar';
import { RequestList } from './components/request-list';
import { ReadOnlyBanner } from './components/sources';
import { Splitter, loadDetailWidth } from './components/splitter';
import { StatsStrip } from './components/stats-strip';
import { Banners, StatusBar } from './components/status-bar';
import { BudgetBanners } from './components/spend-parts';
import { useSpend } from './lib/spend';
import { takeFirstPage } from './api/first-page';
import { toast } from './lib/clipboard';
import { useClient, useHashFilter, useStats, useStatus } from './lib/hooks';
import { filterKey, isEmptyFilter } from './model/filter-hash';
import { ListModel } from './model/list-model';
import { inflightKey, parseKey, rowKey, type ItemKey } from './model/list-keys';
import { GroupToggle, useGrouping } from './components/group-toggle';

// What the first screen doesn't show loads after it: the page's script is parsed and run before
// the first row can be asked for, so every kilobyte here delays the rows.
const DetailPane = lazy(() => import('./components/detail-pane').then((m) => ({ default: m.DetailPane })));
const RatiosPage = lazy(() => import('./components/ratios-page').then((m) => ({ default: m.RatiosPage })));
const ResendDialog = lazy(() => import('./components/resend-dialog').then((m) => ({ default: m.ResendDialog })));
const DiffPane = lazy(() => import('./components/diff-view').then((m) => ({ default: m.DiffPane })));
const SettingsPage = lazy(() => import('./components/settings-page').then((m) => ({ default: m.SettingsPage })));
const EstimatePanel = lazy(() => import('./components/estimate-panel').then((m) => ({ default: m.EstimatePanel })));
const SpendPage = lazy(() => import('./components/spend-page').then((m) => ({ default: m.SpendPage })));
const ThreadPane = lazy(() => import('./components/thread-view').then((m) => ({ default: m.ThreadPane })));
const ThreadList = lazy(() => import('./components/thread-list').then((m) => ({ default: m.ThreadList })));

type Tab = 'requests' | 'ratios' | 'estimate' | 'spend' | 'settings';
const TAB_LABELS: Record<Tab, string> = {
  requests: 'Requests',
  ratios: 'Token ratios',
  estimate: 'Estimate',
  spend: 'Spend',
  settings: 'Settings',
};
type Dialog = 'export' | 'clear' | 'shortcuts' | null;

/** True inside Electron, where the host asks for file paths with native dialogs. */
const inElectron = typeof window !== 'undefined' && 'inspector' in window;

export interface AppProps {
  /** A database opened read-only; null or absent: the live log. */
  source?: DatabaseSource | null;
  /** The Live | file switcher, shown above the banners. */
  sourceBar?: ReactNode;
  onOpenDatabase?: () => void;
}

export function App({ source = null, sourceBar, onOpenDatabase }: AppProps = {}) {
  const readOnly = source !== null;
  const client = useClient();
  const [tab, setTab] = useState<Tab>('requests');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [filter, setFilter, sort, setSort] = useHashFilter();
  const key = filterKey(filter);
  const [selected, setSelected] = useState<{ key: ItemKey; open: boolean } | null>(null);
  const [connError, setConnError] = useState<string | null>(null);
  // Two requests compared (the earlier as A), and "pick the other side" after Compare… in the detail.
  const [compare, setCompare] = useState<{ a: number; b: number; resend?: ResendResult } | null>(null);
  const [pickFrom, setPickFrom] = useState<number | null>(null);
  // Resend: the dialog's request, then the request sent, followed until its row is logged.
  const [resendFor, setResendFor] = useState<{ id: number; body: string | null } | null>(null);
  const [resent, setResent] = useState<ResendResult | null>(null);
  // The list grouped by thread (a toggle kept across sessions), and the thread view beside it.
  const { grouped, setGrouped, threads } = useGrouping(client, filter, key);
  const [threadView, setThreadView] = useState<number | null>(null);
  const { status, error: statusError } = useStatus();
  // Spend and budgets are the live log's (pushed by the core); a database opened read-only has none.
  const spend = useSpend(!readOnly);
  const openSpend = useCallback(() => setTab('spend'), []);
  const filterInput = useRef<HTMLInputElement>(null);
  const [columns, setColumns] = useState(loadColumnPrefs);
  const [detailWidth, setDetailWidth] = useState(loadDetailWidth);
  const changeColumns = useCallback((ids: string[]) => {
    setColumns(ids);
    saveColumnPrefs(ids);
  }, []);

  // The first page is requested while rendering, before any child's effect sends its own queries:
  // over one connection, calls are answered in order, and the rows are what the user waits for.
  const [model] = useState(() => {
    // The live log's first page may already be on its way (asked for by main.tsx before React loaded).
    const m = new ListModel(
      (f, cursor, limit, order, skip) =>
        (cursor === null && !readOnly ? takeFirstPage(f, order, limit) : null) ??
        client.listRequests({ filter: f, cursor, limit, sort: order, skip }),
    );
    m.setQuery(filter, sort);
    return m;
  });
  // The shell reads only what it shows from the list model, so a live batch (every 100 ms under
  // traffic) re-renders the list, not the whole page: each selector's value changes rarely.
  const empty = useSyncExternalStore(model.subscribe, () => model.isComplete && model.count === 0);
  const selectedItem = selected ? parseKey(selected.key) : null;
  const selectedCid = selectedItem?.kind === 'inflight' ? selectedItem.correlationId : null;
  const committedKey = useSyncExternalStore(model.subscribe, () =>
    selectedCid === null ? null : model.committedKeyFor(selectedCid),
  );
  const inflightRow = useSyncExternalStore(model.subscribe, () =>
    selectedCid === null || !selected?.open ? null : (model.inflightRow(selectedCid) ?? null),
  );

  useEffect(() => {
    model.setQuery(filter, sort);
  }, [model, key, sort]); // filter identity changes with every hash parse; `key` is its value

  // Stats scan every matching row (seconds at a million): they wait for the first page, so the
  // rows don't share the CPU with them while the page is opening. Read as a subscription: nothing
  // else need re-render this component once the first page is in (a read-only log has no events).
  const firstPageSettled = useSyncExternalStore(model.subscribe, () => model.firstPageSettled);
  const { data: stats, error: statsError } = useStats(filter, key, firstPageSettled);
  useEffect(() => {
    if (stats) model.setTotalHint(stats.total.requests);
  }, [model, stats]);

  useEffect(() => model.connect(client), [client, model]);

  useEffect(() => {
    const offs = [
      client.on('menuCommand', (cmd) => {
        if (cmd === 'export') setDialog('export');
        else if (cmd === 'open-database') onOpenDatabase?.();
        else if (readOnly) toast('This database is open read-only: switch to Live for settings and clearing');
        else if (cmd === 'clear-logs') setDialog('clear');
        else setTab('settings');
      }),
    ];
    const offConn = client.onConnection((state) => setConnError(state === 'closed' ? 'reconnecting…' : null));
    void client.clientReady().catch(() => undefined);
    return () => {
      offs.forEach((off) => off());
      offConn();
    };
  }, [client, readOnly, onOpenDatabase]);

  // A resend opens into the diff against its original once its row is logged; until then the
  // detail follows it in flight (a stream's reply grows there).
  useEffect(() => {
    if (!resent) return;
    return client.on('requestsAppended', (p) => {
      const row = p.rows.find((r) => r.correlationId === resent.correlationId);
      if (!row) return;
      setCompare({ a: resent.replayOf, b: row.id, resend: resent });
      setResent(null);
    });
  }, [client, resent]);
  const onSent = useCallback((r: ResendResult) => {
    setResendFor(null);
    setCompare(null);
    setResent(r);
    setSelected({ key: inflightKey(r.correlationId), open: true });
  }, []);

  // Follow a selected in-flight request to its committed row.
  useEffect(() => {
    if (selected && committedKey) setSelected({ ...selected, key: committedKey });
  }, [committedKey, selected]);

  const onSelect = useCallback(
    (k: ItemKey | null, open: boolean) => {
      const item = k ? parseKey(k) : null;
      if (pickFrom !== null && item?.kind === 'row' && item.id !== pickFrom) {
        setCompare(ordered(pickFrom, item.id));
        setPickFrom(null);
      }
      setSelected((cur) => (k ? { key: k, open: open || !!cur?.open } : null));
    },
    [pickFrom],
  );
  // Ctrl/⌘-click: compare the clicked row with the selected one. Read through a ref, so the rows'
  // handler stays the same function and a new selection doesn't re-render every visible row.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const onCompare = useCallback((k: ItemKey) => {
    const item = parseKey(k);
    const cur = selectedRef.current ? parseKey(selectedRef.current.key) : null;
    if (item.kind === 'row' && cur?.kind === 'row' && cur.id !== item.id) setCompare(ordered(cur.id, item.id));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (e.key === '?' && !typing) {
        e.preventDefault();
        setDialog((d) => (d === 'shortcuts' ? null : (d ?? 'shortcuts')));
      } else if (e.key === '/' && !typing && tab === 'requests') {
        e.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      } else if (e.key === 'Escape' && !typing) {
        if (dialog) setDialog(null);
        else if (pickFrom !== null) setPickFrom(null);
        else if (compare) setCompare(null);
        else if (selected?.open) setSelected({ ...selected, open: false });
        else if (threadView !== null) setThreadView(null);
        else if (selected) setSelected(null);
        else if (!isEmptyFilter(filter)) setFilter({});
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tab, dialog, selected, filter, setFilter, pickFrom, compare, threadView]);

  let target: DetailTarget | null = null;
  if (selected?.open) {
    if (selectedItem?.kind === 'inflight') {
      if (inflightRow) target = { kind: 'inflight', row: inflightRow };
    } else if (selectedItem?.kind === 'row') {
      target = { kind: 'row', id: selectedItem.id };
    }
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">LLM Request Inspector</span>
        <nav className="tabs" role="tablist">
          {(readOnly
            ? (['requests', 'ratios', 'estimate'] as const)
            : (['requests', 'ratios', 'estimate', 'spend', 'settings'] as const)
          ).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
              {TAB_LABELS[t]}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <div className="actions">
          {onOpenDatabase && <button onClick={onOpenDatabase}>Open database…</button>}
          <button onClick={() => setDialog('shortcuts')} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
            ?
          </button>
          <button onClick={() => setDialog('export')}>Export…</button>
          {!readOnly && (
            <button className="danger" onClick={() => setDialog('clear')}>
              Clear logs…
            </button>
          )}
        </div>
      </header>
      <div>
        {sourceBar}
        {source && <ReadOnlyBanner source={source} />}
        <Banners status={status} connectionError={connError} />
        <BudgetBanners spend={spend} onOpen={tab === 'spend' ? undefined : openSpend} />
      </div>
      <main className="main">
        {tab === 'requests' && (
          <>
            <FilterBar ref={filterInput} filter={filter} onChange={setFilter} />
            <StatsStrip stats={stats} error={statsError} model={model} spend={spend} onOpenSpend={openSpend} />
            <GroupToggle grouped={grouped} onChange={setGrouped} />
            {pickFrom !== null && (
              <div className="banner info" data-testid="compare-pick">
                Click another request to compare with #{pickFrom}.{' '}
                <button className="link" onClick={() => setPickFrom(null)}>
                  Cancel
                </button>
              </div>
            )}
            <div
              className="split"
              style={detailWidth === null ? undefined : ({ '--detail-w': `${detailWidth}px` } as CSSProperties)}
            >
              {empty && isEmptyFilter(filter) && readOnly ? (
                <div className="empty">
                  <h2>This database holds no requests</h2>
                </div>
              ) : empty && isEmptyFilter(filter) ? (
                <EmptyState status={status} />
              ) : empty ? (
                <div className="empty">
                  <h2>No requests match this filter</h2>
                  <button onClick={() => setFilter({})}>Clear filters</button>
                </div>
              ) : grouped && threads ? (
                <Suspense fallback={null}>
                  <ThreadList
                    model={threads}
                    selectedKey={selected?.key ?? null}
                    onSelect={onSelect}
                    openThread={threadView}
                    onOpenThread={(id) => {
                      setCompare(null);
                      setSelected((s) => s && { ...s, open: false });
                      setThreadView(id);
                    }}
                    compact={!!target || !!compare || threadView !== null}
                    visibleColumns={columns}
                  />
                </Suspense>
              ) : (
                <RequestList
                  model={model}
                  selectedKey={selected?.key ?? null}
                  onSelect={onSelect}
                  onCompare={onCompare}
                  compact={!!target || !!compare || threadView !== null}
                  visibleColumns={columns}
                  onColumnsChange={changeColumns}
                  sort={sort}
                  onSortChange={setSort}
                />
              )}
              {(target || compare || threadView !== null) && <Splitter width={detailWidth} onChange={setDetailWidth} />}
              {compare && (
                <Suspense fallback={null}>
                  <DiffPane
                    key={`${compare.a}:${compare.b}`}
                    a={compare.a}
                    b={compare.b}
                    banner={compare.resend && <ResendBanner r={compare.resend} />}
                    onClose={() => setCompare(null)}
                    onSwap={() => setCompare({ a: compare.b, b: compare.a })}
                    onOpen={(id) => {
                      setCompare(null);
                      setSelected({ key: rowKey(id), open: true });
                    }}
                  />
                </Suspense>
              )}
              {target && !compare && (
                <Suspense fallback={null}>
                  <DetailPane
                    key={selected?.key}
                    target={target}
                    proxyUrl={status?.proxy.url ?? null}
                    onCompare={target.kind === 'row' ? () => setPickFrom((target as { id: number }).id) : undefined}
                    onResend={readOnly ? undefined : (id, body) => setResendFor({ id, body })}
                    onOpen={(id) => setSelected({ key: rowKey(id), open: true })}
                    onOpenThread={(id) => {
                      setSelected(selected && { ...selected, open: false });
                      setThreadView(id);
                    }}
                    onClose={() => setSelected(selected && { ...selected, open: false })}
                  />
                </Suspense>
              )}
              {threadView !== null && !target && !compare && (
                <Suspense fallback={null}>
                  <ThreadPane
                    key={threadView}
                    threadId={threadView}
                    onClose={() => setThreadView(null)}
                    onOpen={(id) => setSelected({ key: rowKey(id), open: true })}
                    onThread={setThreadView}
                    onEdited={() => threads?.reload()}
                    readOnly={readOnly}
                  />
                </Suspense>
              )}
            </div>
          </>
        )}
        <Suspense fallback={null}>
          {tab === 'ratios' && <RatiosPage readOnly={readOnly} />}
          {tab === 'estimate' && <EstimatePanel />}
          {tab === 'spend' && !readOnly && <SpendPage spend={spend} />}
          {tab === 'settings' && !readOnly && <SettingsPage />}
        </Suspense>
      </main>
      <StatusBar status={status} connectionError={connError ?? statusError} />
      {dialog === 'shortcuts' && <ShortcutsOverlay onClose={() => setDialog(null)} />}
      {resendFor && (
        <Suspense fallback={null}>
          <ResendDialog
            id={resendFor.id}
            editBody={resendFor.body}
            onSent={onSent}
            onClose={() => setResendFor(null)}
          />
        </Suspense>
      )}
      {dialog === 'export' && <ExportDialog filter={filter} askPath={!inElectron} onClose={() => setDialog(null)} />}
      {dialog === 'clear' && !readOnly && (
        <ClearDialog onClose={() => setDialog(null)} onCleared={() => model.setFilter(filter, true)} />
      )}
    </div>
  );
}

/** The earlier request (lower id) is A. */
const ordered = (x: number, y: number) => (x < y ? { a: x, b: y } : { a: y, b: x });

/** Above a resend's diff: what it left out and where its key came from. */
function ResendBanner({ r }: { r: ResendResult }) {
  const key = { settings: "the upstream's key from settings", pasted: 'the key pasted for this send', none: 'no key' }[
    r.key
  ];
  return (
    <div className="note resend-note" data-testid="resend-banner">
      Resent #{r.replayOf} through the proxy with {key}.{' '}
      {r.leftOut.length > 0 ? `Not replayed (redacted at capture): ${r.leftOut.join(', ')}.` : 'Every header replayed.'}
    </div>
  );
}
