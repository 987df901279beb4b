import { useCallback, useState, type KeyboardEvent, type PointerEvent } from 'react';

// The handle between the request list and the detail pane: drag it, or focus it and use ←/→.
// The width is the detail pane's, kept in localStorage so the layout survives a reload, and
// clamped so neither side gets too narrow to read.

const STORAGE_KEY = 'inspector.detailWidth';
const MIN_DETAIL = 340;
/** The compact list's columns (time, request, model, status, cost, latency) at their minimum widths. */
const MIN_LIST = 690;

export function loadDetailWidth(): number | null {
  try {
    const v = Number(localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(v) && v >= MIN_DETAIL ? v : null;
  } catch {
    return null;
  }
}

function saveDetailWidth(w: number): void {
  try {
    localStorage.setItem(STORAGE_KEY, String(Math.round(w)));
  } catch {
    // storage disabled: the width lasts for this session only
  }
}

/** The detail pane's width for a pointer at `x` in a split box spanning `left`..`right`. */
export function clampDetailWidth(right: number, left: number, x: number): number {
  return Math.max(MIN_DETAIL, Math.min(right - x, right - left - MIN_LIST));
}

export function Splitter({ width, onChange }: { width: number | null; onChange: (w: number) => void }) {
  const [dragging, setDragging] = useState(false);
  const box = (el: HTMLElement) => el.parentElement!.getBoundingClientRect();
  const onPointerDown = useCallback((e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragging(true);
  }, []);
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    const r = box(e.currentTarget);
    onChange(clampDetailWidth(r.right, r.left, e.clientX));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    setDragging(false);
    const r = box(e.currentTarget);
    saveDetailWidth(clampDetailWidth(r.right, r.left, e.clientX));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    e.stopPropagation();
    const r = box(e.currentTarget);
    const current =
      width ?? (e.currentTarget.nextElementSibling as HTMLElement | null)?.getBoundingClientRect().width ?? MIN_DETAIL;
    const next = clampDetailWidth(r.right, r.left, r.right - current + (e.key === 'ArrowLeft' ? -20 : 20));
    onChange(next);
    saveDetailWidth(next);
  };
  return (
    <div
      className={dragging ? 'splitter dragging' : 'splitter'}
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the detail pane"
      aria-valuenow={width === null ? undefined : Math.round(width)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
