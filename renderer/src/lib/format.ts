// Display formatting for numbers the user compares down a column. Every function returns a
// string; "—" means "not known", which is different from zero (an unknown cost is never $0).

export const UNKNOWN = '—';

const intFmt = new Intl.NumberFormat('en-US');

export function formatInt(n: number | null | undefined): string {
  return n == null ? UNKNOWN : intFmt.format(Math.round(n));
}

/** Tokens, with a leading "~" when the count was estimated rather than reported. */
export function formatTokens(n: number | null | undefined, estimated = false): string {
  if (n == null) return UNKNOWN;
  return (estimated ? '~' : '') + intFmt.format(n);
}

/**
 * Dollars: enough precision for sub-cent requests, never rounded to $0.00 when non-zero; a leading
 * "~" when it was priced from estimated token counts.
 */
export function formatCost(cost: number | null | undefined, estimated = false): string {
  if (cost == null) return UNKNOWN;
  // "<$0.0001" already says "not exact", and "~<$0.0001" overflows the list's cost column.
  if (estimated) return Math.abs(cost) < 0.0001 ? formatCost(cost) : `~${formatCost(cost)}`;
  if (cost === 0) return '$0';
  const abs = Math.abs(cost);
  if (abs < 0.0001) return '<$0.0001';
  if (abs < 0.01) return `$${cost.toFixed(4)}`;
  if (abs < 100) return `$${cost.toFixed(3)}`;
  return `$${intFmt.format(Math.round(cost))}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return UNKNOWN;
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return UNKNOWN;
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatRatio(r: number | null | undefined): string {
  if (r == null || !Number.isFinite(r)) return UNKNOWN;
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

export function formatPercent(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return UNKNOWN;
  if (p === 0) return '0%';
  const pct = p * 100;
  return pct < 0.1 ? '<0.1%' : `${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds; the date is shown only when it isn't today. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/**
 * The list's time cell, short enough for its column: the time today, month-day and time to the
 * second this year, the date alone before that. The cell's title and the detail pane give it whole.
 */
export function formatListTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const full = formatTime(iso, now);
  if (full.length <= 12) return full;
  if (d.getFullYear() !== now.getFullYear()) return full.slice(0, 10);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${full.slice(11, 19)}`;
}

/** The status cell: HTTP status, or why there is none. */
export function formatStatus(status: number | null, success: boolean): string {
  if (status == null) return success ? UNKNOWN : 'aborted';
  return String(status);
}
