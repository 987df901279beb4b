import type { RequestFilter, RequestRow } from '../../../electron/core/contract/model';

// Client-side filter matching for rows that arrive by push (committed rows, in-flight requests),
// mirroring the server's semantics so a live row never shows up in a list that wouldn't contain
// it after a reload. Returns 'unknown' when the filter needs data only the server has (bodies).

export type LiveRow = Pick<RequestRow, 'correlationId' | 'timestamp' | 'path' | 'model' | 'provider' | 'policy'> &
  Partial<Pick<RequestRow, 'status' | 'success' | 'streaming' | 'errorMessage' | 'cost' | 'latencyMs'>>;

export function matchesFilter(row: LiveRow, f: RequestFilter, inFlight = false): boolean | 'unknown' {
  if (f.since && row.timestamp < f.since) return false;
  if (f.until && row.timestamp >= f.until) return false;
  if (f.model && !f.model.includes(row.model)) return false;
  if (f.provider && !f.provider.includes(row.provider)) return false;
  if (f.policy && !f.policy.includes(row.policy)) return false;
  if (f.correlationId && row.correlationId !== f.correlationId) return false;
  // An in-flight request has no outcome yet: show it unless the filter is about outcomes,
  // since it will be re-checked when it commits.
  if (inFlight) {
    if (f.statusClass || f.success !== undefined || f.minCost !== undefined || f.minLatencyMs !== undefined) return false;
    if (f.streaming !== undefined && row.streaming !== undefined && row.streaming !== f.streaming) return false;
  } else {
    const sc = row.status == null ? 0 : Math.floor(row.status / 100);
    if (f.statusClass && !f.statusClass.includes(sc as 0)) return false;
    if (f.success !== undefined && row.success !== f.success) return false;
    if (f.streaming !== undefined && row.streaming !== f.streaming) return false;
    if (f.minCost !== undefined && (row.cost == null || row.cost < f.minCost)) return false;
    if (f.minLatencyMs !== undefined && (row.latencyMs == null || row.latencyMs < f.minLatencyMs)) return false;
  }
  // The server's fields (filterSql), and its text: trimmed, and case-insensitive as SQLite's LIKE
  // is, for ASCII letters only.
  const t = f.text?.trim();
  if (t) {
    const needle = asciiLower(t);
    const hay = [row.model, row.path, row.correlationId, row.errorMessage ?? '', row.provider, row.policy ?? ''];
    if (!hay.some((h) => asciiLower(h).includes(needle))) return f.searchBodies ? 'unknown' : false;
  }
  return true;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
