// The filter language's tree (contract/filter-query.ts) as a WHERE clause on `requests`. Values are
// always bound. Every term compiles to an expression that is 0 or 1, never NULL: SQL's NULL would
// make `NOT term` drop a row whose column is NULL, where the page's evaluation (match-filter.ts)
// keeps it, and the two must agree (test/core/storage/live-filter-parity.test.ts).
import { timeBound, type NumericField, type QueryNode, type QueryTerm } from '../contract/filter-query';
import { bodyMatchQuery, bodyMatchSql } from './body-index';

/** A WHERE clause and its bound values, built together so no value is ever spliced into SQL. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

const NUMERIC_COLUMNS: Record<NumericField, string> = {
  status: 'status',
  cost: 'cost',
  latency: 'latency_ms',
  ttfb: 'ttfb_ms',
  'tokens.in': 'input_tokens',
  'tokens.out': 'output_tokens',
  replay_of: 'replay_of',
};

const MATCH_COLUMNS = { model: 'model', provider: 'provider', policy: 'policy', id: 'correlation_id' } as const;

/** The columns a free-text word is looked for in (the same as RequestFilter.text). */
export const TEXT_COLUMNS = ['model', 'path', 'correlation_id', 'error_message', 'provider', 'policy'] as const;

const NULLABLE = new Set([
  'policy',
  'status',
  'cost',
  'latency_ms',
  'ttfb_ms',
  'input_tokens',
  'output_tokens',
  'error_message',
]);

export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A `*` pattern as a GLOB pattern: `*` stays the wildcard, GLOB's other specials (? [) are literal. */
export const toGlob = (pattern: string) => pattern.replace(/[?[]/g, (c) => `[${c}]`);

function termSql(t: QueryTerm, a: string, now: number, params: unknown[]): string {
  switch (t.kind) {
    case 'match': {
      const col = `${a}.${MATCH_COLUMNS[t.field]}`;
      params.push(t.glob ? toGlob(t.value) : t.value);
      const cond = t.glob ? `${col} GLOB ?` : `${col} = ?`;
      return NULLABLE.has(MATCH_COLUMNS[t.field]) ? `(${col} IS NOT NULL AND ${cond})` : cond;
    }
    case 'cmp': {
      const col = `${a}.${NUMERIC_COLUMNS[t.field]}`;
      params.push(t.value);
      return `(${col} IS NOT NULL AND ${col} ${t.op} ?)`;
    }
    case 'statusClass':
      // A validated digit, written as a literal like the flags below.
      return `${a}.status_class = ${Math.trunc(t.value)}`;
    case 'flag':
      return t.flag === 'streaming'
        ? `${a}.streaming = 1`
        : t.flag === 'success'
          ? `${a}.success = 1`
          : `${a}.success = 0`;
    case 'contains': {
      const pattern = `%${likeEscape(t.value)}%`;
      if (t.field === 'error') {
        params.push(pattern);
        return `ifnull(${a}.error_message, '') LIKE ? ESCAPE '\\'`;
      }
      if (t.field === 'body') {
        // Words, through the full-text index (body-index.ts); a value without a word matches nothing.
        const match = bodyMatchQuery(t.value);
        if (match === null) return '0';
        params.push(match);
        return bodyMatchSql(a);
      }
      params.push(...TEXT_COLUMNS.map(() => pattern));
      return `(${TEXT_COLUMNS.map((c) => `ifnull(${a}.${c}, '') LIKE ? ESCAPE '\\'`).join(' OR ')})`;
    }
    case 'thread':
      params.push(t.value);
      return `(${a}.thread_id IS NOT NULL AND ${a}.thread_id = ?)`;
    case 'time':
      params.push(timeBound(t.at, now));
      return t.bound === 'since' ? `${a}.timestamp >= ?` : `${a}.timestamp < ?`;
    default: {
      const never: never = t;
      throw new Error(`unknown term ${JSON.stringify(never)}`);
    }
  }
}

/** The tree as a condition on `requests` under alias `a`, at time `now` (for relative times). */
export function querySql(node: QueryNode, a: string, now: number): SqlPart {
  const params: unknown[] = [];
  const walk = (n: QueryNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.items.map(walk).join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${walk(n.item)})`;
      default:
        return termSql(n, a, now, params);
    }
  };
  return { sql: walk(node), params };
}
