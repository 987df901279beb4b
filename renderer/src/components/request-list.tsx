import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import type { ListItem, ListModel } from '../model/list-model';
import { parseKey, type ItemKey } from '../model/list-keys';
import { flushSync } from 'react-dom';
import { ColumnMenu } from './column-menu';
import { MAX_SCROLL_PX, scrollScale } from '../model/scroll-scale';
import type { ListSort } from '../../../electron/core/contract/model';
import { columnsFor, nextSort, type Column } from './columns';

export const ROW_HEIGHT = 24;
const BLOCK = 8;
const OVERSCAN = 1;
/** Rows a capped list's row box spans before it moves (see MAX_SCROLL_PX). */
const BOX_SPAN = 4096;

interface Props {
  model: ListModel;
  selectedKey: ItemKey | null;
  onSelect: (key: ItemKey | null, open: boolean) => void;
  /** Ctrl/⌘-click on a row: compare it with the selected one. */
  onCompare?: (key: ItemKey) => void;
  /** Fewer columns, for when the detail pane takes half the width. */
  compact: boolean;
  visibleColumns: string[];
  onColumnsChange: (ids: string[]) => void;
  sort: ListSort;
  onSortChange: (sort: ListSort) => void;
}

export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

/**
 * The virtualized request list. Rows only ever arrive above the snapshot (in flight / committed
 * since it was taken), so when the user is reading older rows we keep the row they look at in
 * place by shifting scrollTop by the number of rows inserted above it, and count them for the
 * "N new" pill instead of moving the content under their eyes.
 */
export const RequestList = memo(function RequestList({
  model,
  selectedKey,
  onSelect,
  onCompare,
  compact,
  visibleColumns,
  onColumnsChange,
  sort,
  onSortChange,
}: Props) {
  const { columns, template } = useMemo(() => columnsFor(compact, visibleColumns), [compact, visibleColumns]);
  // Live batches render as a transition: React renders the rows in slices of a few milliseconds
  // between other tasks instead of one task, so the browser's own style, layout and paint of the
  // new rows is the only long piece left (traced at 200 requests/s: 10-50 ms of React per batch, in
  // the same task as 40-60 ms of layout and paint). The list reads everything from the model in
  // this one function, so rows rendered in later slices still show one consistent version.
  // Scrolling stays synchronous (the virtualizer flushes it). A page arriving renders in the next
  // animation frame, whole (sliced, the first rows were painted a frame or two later), after that
  // frame's scroll event: rendered in a task of its own, between two frames of a scrollbar drag, it
  // drew rows the next scroll event moved away from, whose layout that event's read of scrollTop
  // then forced (traced: 15-18 ms of layout for 1 200 objects nobody saw, in most long tasks).
  const [version, setVersion] = useState(model.version);
  useEffect(() => {
    setVersion(model.version);
    let frame = 0;
    const onFrame = () => {
      frame = 0;
      flushSync(() => setVersion(model.version));
    };
    const unsubscribe = model.subscribe(() => {
      if (model.lastChangeLive) startTransition(() => setVersion(model.version));
      else frame ||= requestAnimationFrame(onFrame);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [model]);
  const scrollRef = useRef<HTMLDivElement>(null);
  /**
   * The row at the top of the viewport: a row of the snapshot by its index there (which never
   * changes, loaded or not), a live row (in flight, or committed since) by its key.
   */
  const anchor = useRef<{ key: ItemKey; index: number } | { base: number; index: number } | null>(null);
  /** The list's scrollTop as of the last scroll event (or our own write). */
  const scrollTop = useRef(0);
  /**
   * The content offset (px from the first row) at the top of the viewport: what the user looks at.
   * The same as scrollTop below MAX_SCROLL_PX; past it, the scrollTop showing it changes with the
   * row count (the scrollbar maps the whole list), so the view keeps this and moves the scrollbar.
   */
  const shown = useRef(0);
  const rerender = useReducer((n: number) => n + 1, 0)[1];
  const [newCount, setNewCount] = useState(0);
  /** Rows inserted above the anchor since the user left the top. */
  const inserted = useRef(0);
  const count = model.count;

  // The virtualizer lays out blocks of BLOCK rows, not rows: it re-walks every index whenever the
  // count changes, and with a million rows and live traffic (the count changes every frame) a walk
  // per row was a 100-300 ms long task. Rows have one fixed height, so a row's position is plain
  // arithmetic inside its block.
  // Past MAX_SCROLL_PX the scrollbar is capped and maps to row offsets (see scroll-scale.ts); the
  // virtualizer then only tracks the scroller (its size, its scroll events), rows come from the map.
  const scaled = count * ROW_HEIGHT > MAX_SCROLL_PX;
  const blocks = Math.ceil((scaled ? MAX_SCROLL_PX / ROW_HEIGHT : count) / BLOCK);
  const virtualizer = useVirtualizer({
    count: blocks,
    getScrollElement: useCallback(() => scrollRef.current, []),
    estimateSize: useCallback(() => BLOCK * ROW_HEIGHT, []),
    overscan: OVERSCAN,
  });
  const vblocks = virtualizer.getVirtualItems();
  const viewport = virtualizer.scrollRect?.height ?? 0;
  const scale = scrollScale(count * ROW_HEIGHT, viewport);
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  const contentTop = shown.current;
  const live = model.liveCount;
  let first: number;
  let last: number;
  /** The index of the row the rows' box sits at, and the box's position in the scroller. */
  let boxIndex: number;
  let boxTop: number;
  if (!scaled) {
    first = (vblocks[0]?.index ?? 0) * BLOCK;
    last = Math.min(count, ((vblocks[vblocks.length - 1]?.index ?? 0) + 1) * BLOCK) - 1;
    boxIndex = live;
    boxTop = live * ROW_HEIGHT;
  } else {
    first = Math.max(0, Math.floor(contentTop / ROW_HEIGHT) - BLOCK);
    last = Math.min(count - 1, Math.floor((contentTop + viewport) / ROW_HEIGHT) + BLOCK);
    // The box sits within a few thousand rows of the ones drawn (small offsets, exact in floats) at
    // a place that moves with the live rows, like the snapshot's first row above.
    boxIndex = live + BOX_SPAN * Math.floor((first - live) / BOX_SPAN);
    boxTop = Math.round(scale.toScroll(contentTop) + boxIndex * ROW_HEIGHT - contentTop);
  }

  useEffect(() => {
    model.ensureRange(first, last + 1);
  }, [model, first, last, version]);

  // Keep the anchored row where it was when rows are inserted above it, and (past MAX_SCROLL_PX)
  // the scrollbar where it shows that row when the row count changes the scale. The scroll position
  // comes from the scroll handler, not from the element: reading scrollTop here, right after React
  // wrote the DOM, forced a synchronous layout of the whole list on every live batch (traced: 38 ms).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const a = anchor.current;
    if (a && shown.current > 0) {
      let key = 'key' in a ? a.key : null;
      const parsed = key === null ? null : parseKey(key);
      if (parsed?.kind === 'inflight') key = model.committedKeyFor(parsed.correlationId) ?? key;
      const index = key === null ? (a as { base: number }).base + model.liveCount : model.indexOf(key);
      if (index >= 0 && index !== a.index) {
        const shift = index - a.index;
        shown.current += shift * ROW_HEIGHT;
        anchor.current = key === null ? { ...a, index } : { key, index };
        // Net, not just the increases: an in-flight row can leave in one batch and come back as its
        // committed row in the next (-1 then +1), which is no new row at all.
        inserted.current += shift;
        setNewCount(Math.max(0, inserted.current));
      }
    }
    const sc = scaleRef.current;
    const want = Math.round(sc.toScroll(shown.current));
    if (Math.abs(want - scrollTop.current) < 1) return;
    scrollTop.current = want;
    el.scrollTop = want;
    // Past the cap the rows were placed for the old scrollbar position: place them again now.
    if (sc.height !== model.count * ROW_HEIGHT) rerender();
  }, [model, version, viewport]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    // Read here, in the event, where layout is clean (the frame's DOM writes come after).
    const top = el.scrollTop;
    // Our own write echoing back (rounded to a pixel) leaves the content offset as we set it.
    if (Math.abs(top - scrollTop.current) >= 1 || top <= 0) shown.current = scaleRef.current.toContent(top);
    scrollTop.current = top;
    if (top <= 0) {
      anchor.current = null;
      inserted.current = 0;
      setNewCount(0);
      return;
    }
    // A capped scrollbar moves rows by more than it moves: they are placed from the scroll position.
    if (scaleRef.current.height !== model.count * ROW_HEIGHT) flushSync(rerender);
    const index = Math.floor(shown.current / ROW_HEIGHT);
    const live = model.liveCount;
    // A row not loaded yet is a snapshot row too: anchored by its index, it stays put while its
    // page is read and rows arrive meanwhile (by key, the view used to let those push it down).
    const item = index < live ? model.item(index) : null;
    anchor.current =
      index >= model.count
        ? null
        : item === null || item.kind === 'loading'
          ? { base: index - live, index }
          : { key: item.key, index };
  }, [model]);

  const selectedIndex = selectedKey ? model.indexOf(selectedKey) : -1;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      // j/k as in mail readers and pagers, beside the arrows.
      const down = e.key === 'ArrowDown' || e.key === 'j';
      const up = e.key === 'ArrowUp' || e.key === 'k';
      if (!down && !up && e.key !== 'Enter') return;
      if (document.querySelector('.dialog')) return;
      e.preventDefault();
      if (e.key === 'Enter') {
        if (selectedKey) onSelect(selectedKey, true);
        return;
      }
      const base = selectedIndex < 0 ? (down ? -1 : 0) : selectedIndex;
      const next = Math.max(0, Math.min(model.count - 1, base + (down ? 1 : -1)));
      const item = model.item(next);
      if (item.kind === 'loading') return;
      onSelect(item.key, false);
      const el = scrollRef.current;
      if (!el) return;
      const top = next * ROW_HEIGHT;
      let to: number | null = null;
      if (top < shown.current) to = top;
      else if (top + ROW_HEIGHT > shown.current + el.clientHeight) to = top + ROW_HEIGHT - el.clientHeight;
      if (to === null) return;
      // The content offset exactly, the scrollbar as near as a pixel of it allows (the scroll
      // event that follows keeps the former and places the rows).
      shown.current = to;
      scrollTop.current = Math.round(scaleRef.current.toScroll(to));
      el.scrollTop = scrollTop.current;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [model, selectedKey, selectedIndex, onSelect]);

  // Rows are placed relative to the first row of the snapshot, in a zero-height box that sits
  // there: when live rows arrive on top, the box moves and the rows already shown keep their style
  // (a base row's offset is its snapshot index, a committed row's its distance above it), so a batch
  // restyles and lays out the new rows only. Placed by display index, every visible row moved on
  // every batch (traced: 1 200-1 600 of 1 800 layout objects dirty, 50-100 ms long tasks).
  // (Past MAX_SCROLL_PX the box sits at the first row drawn instead, near the scroll position.)
  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const it = model.item(i);
    rows.push(
      <Row
        key={it.key}
        item={it}
        top={(i - boxIndex) * ROW_HEIGHT}
        columns={columns}
        selected={it.key === selectedKey}
        onSelect={onSelect}
        onCompare={onCompare}
        error={model.error}
      />,
    );
  }

  return (
    <div className="list">
      <div className="list-head" style={{ gridTemplateColumns: template }} role="row">
        {columns.map((c) => {
          const active = sort.column === c.sort;
          return (
            <div
              key={c.id}
              className={c.num ? 'num' : undefined}
              role="columnheader"
              aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {/* The arrow is drawn by CSS from data-dir, and aria-sort says the same to assistive tech,
                  so the header's text and the button's name stay the column's title. */}
              <button
                className="sort"
                data-dir={active ? sort.dir : undefined}
                aria-label={c.title}
                title={`Sort by ${c.title}`}
                onClick={() => {
                  scrollRef.current?.scrollTo({ top: 0 });
                  onSortChange(nextSort(sort, c.sort));
                }}
              >
                {c.title}
              </button>
            </div>
          );
        })}
        <ColumnMenu visible={visibleColumns} onChange={onColumnsChange} />
      </div>
      {model.unplaced > 0 && (
        <button
          className="pill"
          onClick={() => {
            scrollRef.current?.scrollTo({ top: 0 });
            model.resort();
          }}
        >
          {model.unplaced} new — re-sort
        </button>
      )}
      {newCount > 0 && (
        <button
          className="pill"
          onClick={() => {
            scrollRef.current?.scrollTo({ top: 0 });
            inserted.current = 0;
            setNewCount(0);
          }}
        >
          ↑ {newCount} new
        </button>
      )}
      <div
        className="list-body"
        ref={scrollRef}
        onScroll={onScroll}
        role="grid"
        aria-rowcount={count}
        tabIndex={-1}
        data-testid="request-list"
      >
        <div className="list-spacer" style={{ height: scale.height }}>
          <div className="list-rows" style={{ top: boxTop, '--cols': template } as CSSProperties}>
            {rows}
          </div>
        </div>
      </div>
    </div>
  );
});

interface RowProps {
  item: ListItem;
  /** Offset from the snapshot's first row: unchanged when live rows are inserted above. */
  top: number;
  columns: Column[];
  selected: boolean;
  onSelect: (key: ItemKey, open: boolean) => void;
  onCompare?: (key: ItemKey) => void;
  error: string | null;
}

/** One row; memoized, so a page arriving or a live batch re-renders only the rows that changed. */
const Row = memo(
  function Row({ item: it, top, columns, selected, onSelect, onCompare, error }: RowProps) {
    if (it.kind === 'loading') {
      return (
        <div className="list-row skeleton" style={{ top }} role="row">
          <div className="cell">{error ? <span className="err">{error}</span> : 'loading…'}</div>
        </div>
      );
    }
    const isErr = it.kind === 'row' && !it.row.success;
    const cls = `list-row${it.kind === 'inflight' ? ' inflight' : ''}${isErr ? ' error' : ''}`;
    return (
      <div
        className={cls}
        style={{ top }}
        role="row"
        aria-selected={selected}
        data-key={it.key}
        onMouseDown={(e) => (onCompare && (e.ctrlKey || e.metaKey) ? onCompare(it.key) : onSelect(it.key, true))}
      >
        <Cells item={it} columns={columns} />
      </div>
    );
  },
  (a, b) =>
    a.top === b.top &&
    a.selected === b.selected &&
    a.columns === b.columns &&
    a.error === b.error &&
    a.onSelect === b.onSelect &&
    a.onCompare === b.onCompare &&
    sameItem(a.item, b.item),
);

function sameItem(a: ListItem, b: ListItem): boolean {
  if (a.kind !== b.kind || a.key !== b.key) return false;
  return a.kind === 'loading' || a.row === (b as typeof a).row;
}

/**
 * The cells, memoized apart from the row's position and selection: those change the row element's
 * attributes only, not its twelve formatted cells.
 */
const Cells = memo(
  function Cells({ item: it, columns }: { item: Exclude<ListItem, { kind: 'loading' }>; columns: Column[] }) {
    return (
      <>
        {columns.map((c) => (
          <div
            key={c.id}
            className={`cell ${c.id}${c.num ? ' num' : ''}${c.cls ? ` ${c.cls}` : ''}`}
            title={it.kind === 'row' ? c.hint?.(it.row) : undefined}
          >
            {it.kind === 'inflight' ? c.inflight(it.row) : c.row(it.row)}
          </div>
        ))}
      </>
    );
  },
  (a, b) => a.columns === b.columns && a.item.row === b.item.row,
);
