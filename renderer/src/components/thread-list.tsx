// The request list grouped by thread (the toggle above the list): a line per thread with turns,
// tokens, cost, cache hit rate and duration; a line expands into its turns, drawn as the list's
// ordinary rows (the same columns, selectable, opening the detail). Virtualized like the list;
// the next page of lines is asked for as the end comes into view. The keys move a cursor over
// lines and turns as in a tree: up/down (j/k), right (l) opens a thread or steps into its turns,
// left (h) closes it or steps back to its line, Enter opens a turn's detail or a line's timeline.
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
} from 'react';
import type { ThreadSummary } from '../../../electron/core/contract/threads';
import { formatCost, formatInt, formatListTime, formatMs, formatPercent, formatTime } from '../lib/format';
import { rowKey, type ItemKey } from '../model/list-keys';
import type { GroupedItem, ThreadListModel } from '../model/thread-list-model';
import { columnsFor, type Column } from './columns';
import { isTyping, ROW_HEIGHT } from './request-list';

interface Props {
  model: ThreadListModel;
  selectedKey: ItemKey | null;
  onSelect: (key: ItemKey | null, open: boolean) => void;
  /** Opens the thread view beside the list. */
  onOpenThread: (threadId: number) => void;
  openThread: number | null;
  compact: boolean;
  visibleColumns: string[];
}

interface LineCell {
  title: string;
  width: string;
  num?: boolean;
  wide?: boolean;
  cell: (t: ThreadSummary) => string;
}

const LINE: LineCell[] = [
  { title: 'Thread', width: 'minmax(150px, 2fr)', cell: (t) => `#${t.threadId} ${t.model || ''}` },
  { title: 'Turns', width: '52px', num: true, cell: (t) => String(t.turns) },
  { title: 'In', width: '76px', num: true, wide: true, cell: (t) => formatInt(t.inputTokens) },
  { title: 'Out', width: '66px', num: true, wide: true, cell: (t) => formatInt(t.outputTokens) },
  { title: 'Cost', width: '74px', num: true, cell: (t) => formatCost(t.cost) },
  { title: 'Cache hit', width: '70px', num: true, cell: (t) => formatPercent(t.cacheHitRate) },
  { title: 'Duration', width: '70px', num: true, wide: true, cell: (t) => formatMs(t.durationMs) },
  { title: 'Last turn', width: '116px', wide: true, cell: (t) => formatListTime(t.lastAt) },
  {
    title: 'Grouped by',
    width: 'minmax(80px, 1fr)',
    wide: true,
    cell: (t) =>
      t.source +
      (t.parentThreadId !== null ? ` ← #${t.parentThreadId}` : '') +
      (t.segments > 1 ? ` · ${t.segments} segments` : ''),
  },
];

export const ThreadList = memo(function ThreadList(props: Props) {
  const { model, selectedKey, onSelect, onOpenThread, openThread, compact, visibleColumns } = props;
  useSyncExternalStore(model.subscribe, () => model.version);
  const items = model.list;
  const { columns, template } = useMemo(() => columnsFor(compact, visibleColumns), [compact, visibleColumns]);
  const line = useMemo(() => LINE.filter((c) => !compact || !c.wide), [compact]);
  const lineTemplate = `18px ${line.map((c) => c.width).join(' ')} 74px`;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: useCallback(() => scrollRef.current, []),
    estimateSize: useCallback(() => ROW_HEIGHT, []),
    overscan: 10,
  });
  const virtual = virtualizer.getVirtualItems();
  // The cursor is a line or a turn; a turn under it is also the selection (the detail follows it).
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    if (selectedKey !== null) setCursor(selectedKey);
  }, [selectedKey]);
  const onLine = useCallback((key: string) => setCursor(key), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.altKey || e.ctrlKey || e.metaKey || document.querySelector('.dialog')) return;
      const step = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }[e.key];
      const side = { ArrowRight: 1, l: 1, ArrowLeft: -1, h: -1 }[e.key];
      if (step === undefined && side === undefined && e.key !== 'Enter') return;
      const list = model.list;
      if (list.length === 0) return;
      e.preventDefault();
      const at = cursor === null ? -1 : list.findIndex((i) => i.key === cursor);
      const here = at < 0 ? undefined : list[at];
      const go = (index: number) => {
        const item = list[index];
        if (item === undefined) return;
        setCursor(item.key);
        if (item.kind === 'turn') onSelect(item.key as ItemKey, false);
        virtualizer.scrollToIndex(index, { align: 'auto' });
      };
      if (step !== undefined) {
        // Notes ("loading turns…") are passed over; the first key press starts at the top.
        let next = at < 0 ? 0 : at + step;
        while (list[next]?.kind === 'note') next += step;
        if (next >= 0 && next < list.length) go(next);
        return;
      }
      if (here === undefined) return go(0);
      if (e.key === 'Enter') {
        if (here.kind === 'turn') onSelect(here.key as ItemKey, true);
        else if (here.kind === 'thread') onOpenThread(here.thread.threadId);
        return;
      }
      if (here.kind === 'thread') {
        if (side === 1 && !here.open) model.toggle(here.thread.threadId);
        else if (side === 1 && list[at + 1]?.kind === 'turn') go(at + 1);
        else if (side === -1 && here.open) model.toggle(here.thread.threadId);
      } else if (here.kind === 'turn' && side === -1) {
        go(list.findIndex((i) => i.kind === 'thread' && i.thread.threadId === here.threadId));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [model, cursor, onSelect, onOpenThread, virtualizer]);
  const lastShown = virtual.at(-1)?.index ?? -1;
  useEffect(() => {
    if (model.hasMore && lastShown >= items.length - 20) void model.loadMore();
  }, [model, lastShown, items.length]);

  return (
    <div className="list grouped" data-testid="thread-list">
      <div className="list-head" style={{ gridTemplateColumns: lineTemplate }} role="row">
        <div />
        {line.map((c) => (
          <div key={c.title} className={c.num ? 'num' : undefined} role="columnheader">
            {c.title}
          </div>
        ))}
        <div />
      </div>
      <div className="list-body" ref={scrollRef} role="grid" aria-rowcount={items.length} tabIndex={-1}>
        {model.error && <div className="error-box">{model.error}</div>}
        {model.loaded && items.length === 0 && (
          <div className="empty">
            <h2>No threads match this filter</h2>
            <p className="faint">Conversations appear here once their requests are logged.</p>
          </div>
        )}
        <div className="list-spacer" style={{ height: virtualizer.getTotalSize() }}>
          <div className="list-rows" style={{ '--cols': template } as CSSProperties}>
            {virtual.map((v) => (
              <Item
                key={items[v.index]!.key}
                item={items[v.index]!}
                top={v.start}
                columns={columns}
                lineTemplate={lineTemplate}
                line={line}
                selected={items[v.index]!.key === selectedKey}
                cursor={items[v.index]!.key === cursor}
                onLine={onLine}
                viewing={openThread}
                model={model}
                onSelect={onSelect}
                onOpenThread={onOpenThread}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
});

interface ItemProps {
  item: GroupedItem;
  top: number;
  columns: Column[];
  lineTemplate: string;
  line: LineCell[];
  selected: boolean;
  /** Where the keys are: shown as a ring, beside the selection's background. */
  cursor: boolean;
  onLine: (key: string) => void;
  viewing: number | null;
  model: ThreadListModel;
  onSelect: (key: ItemKey | null, open: boolean) => void;
  onOpenThread: (threadId: number) => void;
}

const Item = memo(function Item(p: ItemProps) {
  const it = p.item;
  if (it.kind === 'note')
    return (
      <div className="list-row turn-note" style={{ top: p.top }} role="row">
        <div className="cell faint">{it.text}</div>
      </div>
    );
  if (it.kind === 'turn') {
    const r = it.row;
    return (
      <div
        className={`list-row turn${r.success ? '' : ' error'}${p.cursor ? ' cursor' : ''}`}
        style={{ top: p.top }}
        role="row"
        aria-selected={p.selected}
        data-key={rowKey(r.id)}
        data-turn={r.turn}
        onMouseDown={() => p.onSelect(rowKey(r.id), true)}
      >
        {p.columns.map((c) => (
          <div
            key={c.id}
            className={`cell ${c.id}${c.num ? ' num' : ''}${c.cls ? ` ${c.cls}` : ''}`}
            title={c.hint?.(r)}
          >
            {c.id === 'time' ? `${r.turn ?? '·'}  ${formatListTime(r.timestamp)}` : c.row(r)}
          </div>
        ))}
      </div>
    );
  }
  const t = it.thread;
  return (
    <div
      className={`list-row thread-line${it.open ? ' open' : ''}${p.cursor ? ' cursor' : ''}`}
      style={{ top: p.top, gridTemplateColumns: p.lineTemplate }}
      role="row"
      aria-expanded={it.open}
      aria-selected={p.viewing === t.threadId}
      data-thread={t.threadId}
      title={`Thread #${t.threadId}: ${formatTime(t.firstAt)} – ${formatTime(t.lastAt)}`}
      onMouseDown={(e) => {
        p.onLine(it.key);
        if ((e.target as HTMLElement).closest('button')) return;
        p.model.toggle(t.threadId);
      }}
    >
      <div className="cell caret">{it.open ? '▾' : '▸'}</div>
      {p.line.map((c) => (
        <div key={c.title} className={`cell${c.num ? ' num' : ''}`} title={c.num ? undefined : c.cell(t)}>
          {c.cell(t)}
        </div>
      ))}
      <div className="cell">
        <button className="small" onClick={() => p.onOpenThread(t.threadId)} title="Open the thread view">
          Timeline
        </button>
      </div>
    </div>
  );
});
