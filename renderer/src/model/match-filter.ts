import type { RequestFilter, RequestRow } from '../../../electron/core/contract/model';
import { parseQuery, timeBound, type QueryNode, type QueryTerm } from '../../../electron/core/contract/filter-query';

// Client-side filter matching for rows that arrive by push (committed rows, in-flight requests),
// mirroring the server's semantics so a live row never shows up in a list that wouldn't contain
// it after a reload. Returns 'unknown' when the filter needs data only the server has (bodies).

export type LiveRow = Pick<RequestRow, 'correlationId' | 'timestamp' | 'path' | 'model' | 'provider' | 'policy'> &
  Partial<
    Pick<
      RequestRow,
      | 'status'
      | 'success'
      | 'streaming'
      | 'errorMessage'
      | 'cost'
      | 'latencyMs'
      | 'ttfbMs'
      | 'inputTokens'
      | 'outputTokens'
      | 'threadId'
      | 'replayOf'
    >
  >;

type Match = boolean | 'unknown';

export function matchesFilter(row: LiveRow, f: RequestFilter, inFlight = false, now = Date.now()): Match {
  const fields = matchesFields(row, f, inFlight);
  if (fields === false || !f.query) return fields;
  const q = matchesQuery(row, f.query, inFlight, now);
  return q === false ? false : fields === 'unknown' || q === 'unknown' ? 'unknown' : true;
}

function matchesFields(row: LiveRow, f: RequestFilter, inFlight: boolean): Match {
  if (f.since && row.timestamp < f.since) return false;
  if (f.until && row.timestamp >= f.until) return false;
  if (f.model && !f.model.includes(row.model)) return false;
  if (f.provider && !f.provider.includes(row.provider)) return false;
  if (f.policy && !f.policy.includes(row.policy)) return false;
  if (f.correlationId && row.correlationId !== f.correlationId) return false;
  // An in-flight request has no outcome yet: show it unless the filter is about outcomes,
  // since it will be re-checked when it commits.
  if (inFlight) {
    if (f.statusClass || f.success !== undefined || f.minCost !== undefined || f.minLatencyMs !== undefined)
      return false;
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

// Parsing is cheap, but a burst of pushed rows meets the same filter text many times.
let parsed: { text: string; tree: QueryNode | null } = { text: '', tree: null };

/**
 * The filter text evaluated on a row, with SQL's answers (query-sql.ts): a NULL column satisfies no
 * comparison. A body term is 'unknown' (only the server has bodies), and so is whatever it decides;
 * AND, OR and NOT follow three-valued logic so a known answer is still given where one exists.
 */
export function matchesQuery(row: LiveRow, text: string, inFlight = false, now = Date.now()): Match {
  if (parsed.text !== text) {
    const r = parseQuery(text);
    // The contract refuses text that does not parse; a page that holds one anyway shows nothing new.
    if (!r.ok) return false;
    parsed = { text, tree: r.tree };
  }
  return parsed.tree ? evaluate(parsed.tree, row, inFlight, now) : true;
}

function evaluate(n: QueryNode, row: LiveRow, inFlight: boolean, now: number): Match {
  switch (n.kind) {
    case 'and': {
      let out: Match = true;
      for (const item of n.items) {
        const m = evaluate(item, row, inFlight, now);
        if (m === false) return false;
        if (m === 'unknown') out = 'unknown';
      }
      return out;
    }
    case 'or': {
      let out: Match = false;
      for (const item of n.items) {
        const m = evaluate(item, row, inFlight, now);
        if (m === true) return true;
        if (m === 'unknown') out = 'unknown';
      }
      return out;
    }
    case 'not': {
      const m = evaluate(n.item, row, inFlight, now);
      return m === 'unknown' ? m : !m;
    }
    default:
      return term(n, row, inFlight, now);
  }
}

const NUMERIC = {
  status: 'status',
  cost: 'cost',
  latency: 'latencyMs',
  ttfb: 'ttfbMs',
  'tokens.in': 'inputTokens',
  'tokens.out': 'outputTokens',
  replay_of: 'replayOf',
} as const;
const MATCHED = { model: 'model', provider: 'provider', policy: 'policy', id: 'correlationId' } as const;

/** GLOB with only `*` special: any run of characters (newlines too, as in SQLite). */
const globCache = new Map<string, RegExp>();
function globRegex(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[^]*')}$`,
      'u',
    );
    if (globCache.size > 100) globCache.clear();
    globCache.set(pattern, re);
  }
  return re;
}

function term(t: QueryTerm, row: LiveRow, inFlight: boolean, now: number): Match {
  switch (t.kind) {
    case 'match': {
      const v = row[MATCHED[t.field]];
      if (v == null) return false;
      return t.glob ? globRegex(t.value).test(v) : v === t.value;
    }
    case 'cmp': {
      // An in-flight request has no outcome yet: it is shown only where the filter is not about
      // outcomes, and re-checked when it commits (as for the fields above).
      if (inFlight) return false;
      const v = row[NUMERIC[t.field]];
      if (v == null) return false;
      switch (t.op) {
        case '=':
          return v === t.value;
        case '>':
          return v > t.value;
        case '>=':
          return v >= t.value;
        case '<':
          return v < t.value;
        case '<=':
          return v <= t.value;
      }
      return false;
    }
    case 'statusClass':
      if (inFlight) return false;
      return (row.status == null ? 0 : Math.floor(row.status / 100)) === t.value;
    case 'flag':
      if (t.flag === 'streaming') return row.streaming === undefined ? 'unknown' : row.streaming;
      if (inFlight || row.success === undefined) return false;
      return t.flag === 'success' ? row.success : !row.success;
    case 'contains': {
      if (t.field === 'body') return 'unknown';
      const needle = asciiLower(t.value);
      if (t.field === 'error') return asciiLower(row.errorMessage ?? '').includes(needle);
      const hay = [row.model, row.path, row.correlationId, row.errorMessage ?? '', row.provider, row.policy ?? ''];
      return hay.some((h) => asciiLower(h).includes(needle));
    }
    case 'time': {
      const bound = timeBound(t.at, now);
      return t.bound === 'since' ? row.timestamp >= bound : row.timestamp < bound;
    }
    case 'thread':
      // A request in flight has no thread yet: the writer assigns it when the row commits.
      return !inFlight && row.threadId != null && row.threadId === t.value;
  }
}
