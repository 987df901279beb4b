// The filter language: one grammar for the UI's filter box, the command line, the MCP tools,
// `export --filter` and the contract's `RequestFilter.query`. Pure: the parser turns text into a
// tree; storage compiles the tree to SQL (storage/query-sql.ts) and the page evaluates it on live
// rows (renderer/src/model/match-filter.ts). A test holds those two to the same answers.
//
//   query   := or
//   or      := and ('OR' and)*
//   and     := unary (['AND'] unary)*          terms side by side are ANDed
//   unary   := ('-' | 'NOT') unary | primary
//   primary := '(' or ')' | term
//   term    := field op value | flag | word | "quoted text"

export type CmpOp = '=' | '>' | '>=' | '<' | '<=';

/** Fields compared as numbers, with the unit their values are stored in. */
export const NUMERIC_FIELDS = [
  'status',
  'cost',
  'latency',
  'ttfb',
  'tokens.in',
  'tokens.out',
  /** The row a resend was sent from: `replay_of:42` its resends, `replay_of>0` every resend. */
  'replay_of',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
/** Fields matched against a value, exactly or with `*` wildcards. */
export const MATCH_FIELDS = ['model', 'provider', 'policy', 'id'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];
/** Words that stand alone as a condition. */
export const FLAGS = ['streaming', 'success', 'failed'] as const;
export type Flag = (typeof FLAGS)[number];
export const TEXT_FIELDS = ['error', 'body'] as const;
export const TIME_FIELDS = ['since', 'until'] as const;
/** Every field name the parser knows, for suggestions and error messages. */
export const FIELD_NAMES = [...MATCH_FIELDS, ...NUMERIC_FIELDS, ...TEXT_FIELDS, ...TIME_FIELDS, 'thread'] as const;

export interface Span {
  /** 0-based offset of the term's first character in the query text. */
  start: number;
  end: number;
}

export type QueryTerm = Span &
  (
    | { kind: 'match'; field: MatchField; value: string; /** the value holds `*` wildcards */ glob: boolean }
    | { kind: 'cmp'; field: NumericField; op: CmpOp; value: number }
    /** `status:5xx`: the hundreds digit of the status; 0 = no status at all. */
    | { kind: 'statusClass'; value: number }
    | { kind: 'flag'; flag: Flag }
    /** Substring, ASCII case-insensitive: of the row's text fields (`text`), its error message, or its bodies. */
    | { kind: 'contains'; field: 'text' | 'error' | 'body'; value: string }
    /** `since` is inclusive, `until` exclusive. A relative time counts back from when the query runs. */
    | { kind: 'time'; bound: 'since' | 'until'; at: { iso: string } | { agoMs: number } }
    /** `thread:123`: the requests of one thread (its id is the id of its first request). */
    | { kind: 'thread'; value: number }
  );

export type QueryNode =
  | QueryTerm
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode };

export interface QueryError {
  message: string;
  /** 1-based column the problem was found at. */
  column: number;
}

export type ParseResult = { ok: true; tree: QueryNode | null } | { ok: false; error: QueryError };

export class QuerySyntaxError extends Error {
  constructor(readonly error: QueryError) {
    super(error.message);
    this.name = 'QuerySyntaxError';
  }
}

type Token = Span & ({ t: '(' | ')' | 'not' | 'or' | 'and' } | { t: 'word'; raw: string });

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function fail(message: string, offset: number): never {
  throw new QuerySyntaxError({ message: `${message} at column ${offset + 1}`, column: offset + 1 });
}

/** Splits the text into parens, `-`, keywords and words; a word's `"…"` parts may hold spaces. */
function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, start: i, end: i + 1 });
      i++;
    } else if (c === '-' && i + 1 < src.length && !/\s/.test(src[i + 1]!)) {
      out.push({ t: 'not', start: i, end: i + 1 });
      i++;
    } else {
      const start = i;
      while (i < src.length && !/[\s()]/.test(src[i]!)) {
        if (src[i] === '"') {
          const open = i++;
          while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
          if (i >= src.length) fail('expected a closing quote for the one', open);
        }
        i++;
      }
      const raw = src.slice(start, i);
      const kw = raw === 'OR' ? 'or' : raw === 'AND' ? 'and' : raw === 'NOT' ? 'not' : null;
      out.push(kw ? { t: kw, start, end: i } : { t: 'word', raw, start, end: i });
    }
  }
  return out;
}

/** The value with its quotes removed (`\"` and `\\` inside quotes stand for themselves). */
export function unquote(raw: string): string {
  return raw.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => inner.replace(/\\(.)/g, '$1'));
}

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;

function parseNumber(field: NumericField, raw: string, at: number, termText: string): number {
  const m = NUMBER.exec(raw);
  if (!m) fail(`${termText}: expected a number`, at);
  const n = Number(m[0]);
  const unit = raw.slice(m[0].length);
  if (field === 'latency' || field === 'ttfb') {
    // Times are stored in milliseconds; a bare number is taken as milliseconds too.
    if (unit === '') return n;
    const scale = DURATION_UNITS[unit];
    if (scale === undefined || scale > DURATION_UNITS.m!)
      fail(`${termText}: expected a unit ms, s or m after the number`, at + m[0].length);
    return n * scale;
  }
  if (unit !== '') fail(`${termText}: expected a number`, at);
  if (!Number.isFinite(n)) fail(`${termText}: expected a finite number`, at);
  return n;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function parseTime(raw: string, at: number, termText: string): { iso: string } | { agoMs: number } {
  const rel = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(raw);
  if (rel) return { agoMs: Number(rel[1]) * DURATION_UNITS[rel[2]!]! };
  if (DATE.test(raw)) {
    // A date or time without a zone is UTC, as the log's timestamps are.
    const withZone = raw.length === 10 ? `${raw}T00:00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(raw) ? raw : `${raw}Z`;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (Number.isFinite(ms)) return { iso: new Date(ms).toISOString() };
  }
  return fail(`${termText}: expected a duration like 1h or a date like 2026-12-01`, at);
}

function parseTerm(tok: Extract<Token, { t: 'word' }>): QueryTerm {
  const { raw, start, end } = tok;
  const span = { start, end };
  if (raw.startsWith('"')) return { kind: 'contains', field: 'text', value: unquote(raw), ...span };
  const m = /^([a-z_][a-z_.]*)(>=|<=|>|<|=|:)/i.exec(raw);
  if (!m) {
    if ((FLAGS as readonly string[]).includes(raw)) return { kind: 'flag', flag: raw as Flag, ...span };
    return { kind: 'contains', field: 'text', value: unquote(raw), ...span };
  }
  const field = m[1]!.toLowerCase();
  const op = m[2]!;
  const at = start + m[0].length;
  const valueRaw = raw.slice(m[0].length);
  const value = unquote(valueRaw);
  if (!(FIELD_NAMES as readonly string[]).includes(field)) {
    fail(
      `${raw}: unknown field "${m[1]}", expected one of ${FIELD_NAMES.join(', ')} (or quote the text to search for it)`,
      start,
    );
  }
  if (valueRaw === '') fail(`${raw}: expected a value after "${op}"`, at);
  const isNumeric = (NUMERIC_FIELDS as readonly string[]).includes(field);
  if (!isNumeric && op !== ':' && op !== '=')
    fail(`${raw}: ${field} takes ":" (comparisons like ${op} are for numbers)`, at - op.length);
  if ((MATCH_FIELDS as readonly string[]).includes(field)) {
    return { kind: 'match', field: field as MatchField, value, glob: value.includes('*'), ...span };
  }
  if (field === 'error' || field === 'body') return { kind: 'contains', field, value, ...span };
  if (field === 'thread') {
    if (!/^[1-9]\d{0,15}$/.test(value)) fail(`${raw}: expected a thread id (a whole number, as in thread:123)`, at);
    return { kind: 'thread', value: Number(value), ...span };
  }
  if (field === 'since' || field === 'until')
    return { kind: 'time', bound: field, at: parseTime(value, at, raw), ...span };
  if (field === 'status' && op === ':' && /^[0-9]xx$/i.test(value)) {
    const cls = Number(value[0]);
    if (cls > 5) fail(`${raw}: expected a status class 0xx to 5xx`, at);
    return { kind: 'statusClass', value: cls, ...span };
  }
  return {
    kind: 'cmp',
    field: field as NumericField,
    op: op === ':' ? '=' : (op as CmpOp),
    value: parseNumber(field as NumericField, value, at, raw),
    ...span,
  };
}

class Parser {
  private i = 0;
  private depth = 0;
  /** The text spans of the terms ANDed at the top level (with their `-`, NOT and parentheses). */
  readonly topSpans: Span[] = [];
  /** The nodes those spans were parsed into, in the same order. */
  readonly topNodes: QueryNode[] = [];
  constructor(
    private readonly toks: Token[],
    private readonly length: number,
  ) {}

  parse(): QueryNode | null {
    if (this.toks.length === 0) return null;
    const node = this.or();
    const next = this.toks[this.i];
    if (next) fail(next.t === ')' ? 'unexpected ")", no "(" to close' : 'expected the end of the filter', next.start);
    return node;
  }

  private peek() {
    return this.toks[this.i];
  }

  private or(): QueryNode {
    const items = [this.and()];
    while (this.peek()?.t === 'or') {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): QueryNode {
    const items = [this.spanned()];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === 'or' || t.t === ')') break;
      if (t.t === 'and') this.i++;
      items.push(this.spanned());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private spanned(): QueryNode {
    const start = this.peek()?.start ?? this.length;
    const node = this.unary();
    if (this.depth === 0) {
      this.topSpans.push({ start, end: this.toks[this.i - 1]!.end });
      this.topNodes.push(node);
    }
    return node;
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (t?.t === 'not') {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    return this.primary();
  }

  private primary(): QueryNode {
    const t = this.peek();
    if (!t) return fail('expected a term', this.length);
    if (t.t === '(') {
      this.i++;
      if (this.peek()?.t === ')') fail('expected a term inside the parentheses', this.peek()!.start);
      this.depth++;
      const node = this.or();
      this.depth--;
      if (this.peek()?.t !== ')')
        fail('expected ")" to close the "(" of column ' + (t.start + 1), this.peek()?.start ?? this.length);
      this.i++;
      return node;
    }
    if (t.t === 'word') {
      this.i++;
      return parseTerm(t);
    }
    return fail(`expected a term before ${t.t === ')' ? '")"' : `"${t.t.toUpperCase()}"`}`, t.start);
  }
}

/** Parses filter text. Empty (or blank) text is a filter that keeps every row: tree null. */
export function parseQuery(text: string): ParseResult {
  try {
    return { ok: true, tree: new Parser(lex(text), text.length).parse() };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

/** Like parseQuery, throwing a QuerySyntaxError for a mistake. */
export function parseQueryOrThrow(text: string): QueryNode | null {
  const r = parseQuery(text);
  if (!r.ok) throw new QuerySyntaxError(r.error);
  return r.tree;
}

/** The ISO bound a time term stands for when the query runs at `now` (ms since the epoch). */
export function timeBound(at: { iso: string } | { agoMs: number }, now: number): string {
  return 'iso' in at ? at.iso : new Date(now - at.agoMs).toISOString();
}

export interface TopLevel {
  tree: QueryNode | null;
  /**
   * The items ANDed at the top level, each with the text it spans (its `-`, NOT, parentheses
   * included); when the whole text is an OR of several parts, that OR alone.
   */
  items: (Span & { node: QueryNode })[];
}

/** The text parsed, with its top-level items; throws a QuerySyntaxError for a mistake. */
export function parseTopLevel(text: string): TopLevel {
  const parser = new Parser(lex(text), text.length);
  const tree = parser.parse();
  if (!tree) return { tree, items: [] };
  const spans = parser.topSpans;
  if (tree.kind === 'or') return { tree, items: [{ start: spans[0]!.start, end: spans.at(-1)!.end, node: tree }] };
  return { tree, items: spans.map((s, i) => ({ ...s, node: parser.topNodes[i]! })) };
}

/**
 * The parts of the text ANDed at the top level, as the filter box shows them (chips): each with its
 * `-`, NOT or parentheses; one part when the top is an OR; none when the text does not parse.
 */
export function topLevelParts(text: string): Span[] {
  try {
    return parseTopLevel(text).items.map(({ start, end }) => ({ start, end }));
  } catch (e) {
    if (e instanceof QuerySyntaxError) return [];
    throw e;
  }
}

/**
 * The text with the top-level items at `remove` taken out and, if `term` is given, that term put in
 * the place of the first of them (or ANDed at the end when none is removed; a top-level OR is then
 * put in parentheses, or the term would join its last alternative). Everything else stays as typed:
 * the other items, the spaces between them, what quoted values hold. `term` must be one item.
 */
export function editTopLevel(text: string, top: TopLevel, remove: ReadonlySet<number>, term?: string): string {
  const { items, tree } = top;
  if (items.length === 0) return term ?? '';
  const first = items.findIndex((_, i) => remove.has(i));
  if (first < 0 && term !== undefined) {
    const last = items.at(-1)!;
    const head =
      tree?.kind === 'or'
        ? `${text.slice(0, items[0]!.start)}(${text.slice(items[0]!.start, last.end)})`
        : text.slice(0, last.end);
    return `${head} ${term}${text.slice(last.end)}`;
  }
  const kept = items.map((it, i) =>
    i === first && term !== undefined ? term : remove.has(i) ? null : text.slice(it.start, it.end),
  );
  if (kept.every((k) => k === null)) return '';
  // Between two kept items, the separator that stood before the second (spaces, maybe AND); where
  // that was nothing (`(a)b`), the one after the first, or a space.
  const sep = (i: number) => text.slice(items[i]!.end, items[i + 1]!.start);
  let out = text.slice(0, items[0]!.start);
  let prev = -1;
  kept.forEach((k, i) => {
    if (k === null) return;
    if (prev >= 0) out += sep(i - 1) || sep(prev) || ' ';
    out += k;
    prev = i;
  });
  return out + text.slice(items.at(-1)!.end);
}

/** The text without one of its parts (see topLevelParts); everything else stays as typed. */
export function removePart(text: string, part: Span): string {
  const top = parseTopLevel(text);
  const i = top.items.findIndex((it) => it.start === part.start && it.end === part.end);
  return i < 0 ? text : editTopLevel(text, top, new Set([i]));
}

/** The first and last offsets a node covers in the text it was parsed from. */
export function nodeSpan(node: QueryNode): Span {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { start: nodeSpan(node.items[0]!).start, end: nodeSpan(node.items[node.items.length - 1]!).end };
    case 'not':
      return nodeSpan(node.item);
    default:
      return { start: node.start, end: node.end };
  }
}

/** Writes a value so the parser reads it back as one value (quoted when it holds spaces, quotes or parens). */
export function quoteValue(value: string): string {
  return /^[^\s()"]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
