// How the command line prints: plain tables for people, JSON for scripts (the contract's own types,
// unchanged, so `--json` output is as stable as the contract), colour only on a terminal.
import type { RequestRow, Stats, StatsRow, TokenRatio } from '../contract/model';
import type { ThreadView } from '../contract/threads';

export interface Style {
  color: boolean;
}

const paint = (code: number) => (s: string, style: Style) => (style.color ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = paint(31);
const yellow = paint(33);
const green = paint(32);
const dim = paint(2);

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const num = (n: number | null, digits = 0) => (n == null ? '-' : n.toFixed(digits));
const money = (n: number | null) => (n == null ? '-' : `$${n < 0.01 ? n.toFixed(5) : n.toFixed(4)}`);
const ms = (n: number | null) => (n == null ? '-' : n >= 1000 ? `${(n / 1000).toFixed(2)}s` : `${Math.round(n)}ms`);

export const REQUEST_HEADER = [
  'ID',
  'TIME',
  'STATUS',
  'PROVIDER',
  'MODEL',
  'POLICY',
  'IN',
  'OUT',
  'COST',
  'LATENCY',
  'CORRELATION ID',
];

export function requestCells(r: RequestRow): string[] {
  return [
    String(r.id),
    r.timestamp.replace('T', ' ').replace('Z', ''),
    `${r.status ?? '-'}${r.streaming ? ' sse' : ''}`,
    r.provider,
    r.model || '-',
    r.policy ?? '-',
    num(r.inputTokens),
    num(r.outputTokens),
    money(r.cost),
    ms(r.latencyMs),
    r.correlationId,
  ];
}

/** One line per row for `tail`, the status coloured by class on a terminal. */
export function tailLine(r: RequestRow, style: Style): string {
  const cells = requestCells(r);
  const status = cells[2]!;
  const colored = r.success
    ? green(status, style)
    : r.status != null && r.status < 500
      ? yellow(status, style)
      : red(status, style);
  const error = r.errorMessage ? `  ${red(r.errorMessage, style)}` : '';
  return (
    `${dim(cells[1]!, style)}  ${colored}  ${cells[3]} ${cells[4]}  ` +
    `${cells[6]}→${cells[7]} tok  ${cells[8]}  ${cells[9]}  ${dim(`#${r.id} ${r.correlationId}`, style)}${error}`
  );
}

function statsCells(label: string, s: StatsRow): string[] {
  return [
    label,
    String(s.requests),
    String(s.errors),
    `${(s.errorRate * 100).toFixed(1)}%`,
    String(s.inputTokens),
    String(s.outputTokens),
    money(s.cost),
    ms(s.latencyP50),
    ms(s.latencyP95),
  ];
}

export function statsTable(stats: Stats, by: string | null): string {
  const rows = stats.groups.map((g) => statsCells(g.key ?? (by === 'policy' ? '(no policy)' : '-'), g));
  rows.push(statsCells('TOTAL', stats.total));
  return table(
    [(by ?? '').toUpperCase() || 'ALL', 'REQUESTS', 'ERRORS', 'ERR%', 'IN', 'OUT', 'COST', 'P50', 'P95'],
    rows,
  );
}

export function ratiosTable(ratios: TokenRatio[]): string {
  return table(
    ['POLICY', 'MODEL', 'SAMPLES', 'AVG OUT/IN', 'STDDEV', 'MIN', 'MAX'],
    ratios.map((r) => [
      r.policy ?? '(no policy)',
      r.model || '-',
      String(r.sampleCount),
      r.avgRatio.toFixed(3),
      r.stddevRatio == null ? '-' : r.stddevRatio.toFixed(3),
      r.minRatio.toFixed(3),
      r.maxRatio.toFixed(3),
    ]),
  );
}

export function sqlTable(columns: string[], rows: Record<string, unknown>[]): string {
  return table(
    columns,
    rows.map((r) =>
      columns.map((c) => (r[c] == null ? 'NULL' : typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c]))),
    ),
  );
}

/** A thread: its summary line, then one line per turn with its tokens, cost, cache and the gap before it. */
export function threadText(v: ThreadView): string {
  const s = v.summary;
  const hit = s.cacheHitRate === null ? '-' : `${Math.round(s.cacheHitRate * 100)}%`;
  const head = [
    `thread ${s.threadId}: ${s.turns} turns, ${s.segments} ` +
      `segment${s.segments === 1 ? '' : 's'}, grouped by ${s.source}` +
      (s.parentThreadId === null ? '' : ` (from thread ${s.parentThreadId})`),
    `  ${s.firstAt} to ${s.lastAt} (${Math.round(s.durationMs / 1000)} s), tokens in ${s.inputTokens} out ` +
      `${s.outputTokens}, cache read ${s.cacheReadTokens} write ${s.cacheWriteTokens} (hit ${hit}), ` +
      `cost $${s.cost.toFixed(6)}${s.costUnknown ? ` (+${s.costUnknown} unknown)` : ''}`,
  ];
  const rows = v.turns.map((t) => [
    String(t.row.turn ?? '-'),
    String(t.row.id),
    t.row.timestamp.replace('T', ' ').replace('Z', ''),
    t.gapMs === null ? '-' : `${(t.gapMs / 1000).toFixed(1)} s`,
    t.row.model || '-',
    num(t.row.inputTokens),
    num(t.row.outputTokens),
    num(t.row.cacheReadTokens),
    num(t.row.cacheWriteTokens),
    t.row.cost === null ? '-' : `$${t.row.cost.toFixed(6)}`,
    String(t.segment),
    t.source,
  ]);
  const header = ['TURN', 'ID', 'TIME', 'GAP', 'MODEL', 'IN', 'OUT', 'CACHE R', 'CACHE W', 'COST', 'SEG', 'SOURCE'];
  return [...head, '', table(header, rows)].join('\n');
}
