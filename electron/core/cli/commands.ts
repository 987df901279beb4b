// The subcommands that read the log. Exit codes: 0 something found, 1 nothing found (no rows, no such
// request), 2 an error (bad arguments or filter, unreadable log). `--json` prints the contract's
// types as they are (RequestRow, RequestDetail, Stats, TokenRatio), so scripts can rely on them.
import { parseArgs } from 'node:util';
import { diffDetails, formatDiff } from './diff-report';
import type { RequestDetail, StatsGroupBy } from '../contract/model';
import { defaultDbPath } from '../paths';
import {
  REQUEST_HEADER,
  threadText,
  ratiosTable,
  requestCells,
  sqlTable,
  statsTable,
  table,
  tailLine,
  type Style,
} from './format';
import { RowFollower, UsageError, filterOf, findRequest, findThread, listRows, openLog } from './log-access';
import { runReadOnlySql } from './sql-query';
import { estimateFromLog, estimateInputOf, estimateText } from './estimate-command';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Colour (tail) only when printing to a terminal. */
  color: boolean;
  /** Ends `tail`; absent, it follows until the process is stopped. */
  signal?: AbortSignal;
}

export const EXIT = { ok: 0, none: 1, error: 2 } as const;

const COMMON = { db: { type: 'string' }, json: { type: 'boolean' }, table: { type: 'boolean' } } as const;

/**
 * Options are `--name` (and `--name value`); everything else is the filter, `-term` included: a
 * filter negates with a leading `-` (`-streaming`), which a generic parser would read as short flags.
 */
function parse<O extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: O) {
  const all: Record<string, { type: 'string' | 'boolean' }> = { ...COMMON, ...options };
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    flags.push(a);
    if (!a.includes('=') && all[a.slice(2)]?.type === 'string' && i + 1 < argv.length) flags.push(argv[++i]!);
  }
  try {
    const { values } = parseArgs({ args: flags, options: { ...COMMON, ...options }, strict: true });
    return { values, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function limitOf(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new UsageError(`--limit must be a whole number from 1 to 100000, got "${v}"`);
  return n;
}

const dbOf = (v: string | undefined) => v ?? defaultDbPath();

export async function requestsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { limit: { type: 'string' } });
  const filter = filterOf(positionals.join(' '));
  const log = await openLog(dbOf(values.db));
  try {
    const rows = await listRows(log, filter, limitOf(values.limit, 50));
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else if (rows.length) io.out(table(REQUEST_HEADER, rows.map(requestCells)));
    else io.err('no requests match');
    return rows.length ? EXIT.ok : EXIT.none;
  } finally {
    await log.close();
  }
}

function describe(d: RequestDetail, bodies: boolean): string {
  const lines = [`#${d.id} ${d.method} ${d.path}  ${d.status ?? 'no status'}${d.streaming ? ' (streamed)' : ''}`];
  for (const [k, v] of Object.entries(d)) if (k !== 'exchange' && v !== null) lines.push(`  ${k}: ${String(v)}`);
  const e = d.exchange;
  lines.push('request headers:', ...Object.entries(e.requestHeaders).map(([k, v]) => `  ${k}: ${String(v)}`));
  if (e.responseHeaders)
    lines.push('response headers:', ...Object.entries(e.responseHeaders).map(([k, v]) => `  ${k}: ${String(v)}`));
  if (bodies) {
    lines.push(`request body${e.requestBodyTruncated ? ' (truncated when captured)' : ''}:`, e.requestBody ?? '(none)');
    lines.push(
      `response body${e.responseBodyTruncated ? ' (truncated when captured)' : ''}:`,
      e.responseBody ?? '(none)',
    );
  } else lines.push('(bodies: add --bodies)');
  return lines.join('\n');
}

export async function showCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { bodies: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('show takes one ID: a row id or a correlation id');
  const log = await openLog(dbOf(values.db));
  try {
    const d = await findRequest(log, positionals[0]!);
    if (!d) {
      io.err(`no request ${positionals[0]}`);
      return EXIT.none;
    }
    if (values.json) {
      const { requestBody: _q, responseBody: _r, ...withoutBodies } = d.exchange;
      io.out(JSON.stringify(values.bodies ? d : { ...d, exchange: withoutBodies }, null, 2));
    } else io.out(describe(d, values.bodies ?? false));
    return EXIT.ok;
  } finally {
    await log.close();
  }
}

/** One thread, by its id or the id of any of its requests. */
export async function threadCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {});
  const id = positionals[0];
  if (positionals.length !== 1 || !/^\d{1,15}$/.test(id!))
    throw new UsageError('thread takes one ID: a thread id, or the row id of one of its requests');
  const log = await openLog(dbOf(values.db));
  try {
    const view = await findThread(log, Number(id));
    if (!view) {
      io.err(`no thread ${id}`);
      return EXIT.none;
    }
    io.out(values.json ? JSON.stringify(view, null, 2) : threadText(view));
    return EXIT.ok;
  } finally {
    await log.close();
  }
}

export async function statsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { by: { type: 'string' } });
  const by = values.by ?? null;
  if (by !== null && !['model', 'provider', 'policy'].includes(by))
    throw new UsageError(`--by must be model, provider or policy, got "${by}"`);
  const filter = filterOf(positionals.join(' '));
  const log = await openLog(dbOf(values.db));
  try {
    const stats = await log.getStats(filter, by as StatsGroupBy | null);
    io.out(values.json ? JSON.stringify(stats, null, 2) : statsTable(stats, by));
    return stats.total.requests ? EXIT.ok : EXIT.none;
  } finally {
    await log.close();
  }
}

export async function ratiosCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (positionals.length) throw new UsageError('ratios takes no filter');
  const log = await openLog(dbOf(values.db));
  try {
    const ratios = await log.getTokenRatios();
    io.out(values.json ? JSON.stringify(ratios, null, 2) : ratiosTable(ratios));
    return ratios.length ? EXIT.ok : EXIT.none;
  } finally {
    await log.close();
  }
}

export async function estimateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    model: { type: 'string' },
    models: { type: 'string' },
    policy: { type: 'string' },
    compare: { type: 'boolean' },
    tokens: { type: 'string' },
    body: { type: 'string' },
    path: { type: 'string' },
    format: { type: 'string' },
    request: { type: 'string' },
    'prompt-file': { type: 'string' },
  });
  const input = await estimateInputOf(values, positionals);
  const log = await openLog(dbOf(values.db));
  try {
    const r = await estimateFromLog(log, input);
    io.out(values.json ? JSON.stringify(r, null, 2) : estimateText(r));
    return r.estimates.some((e) => e.outputTokens !== null) ? EXIT.ok : EXIT.none;
  } finally {
    await log.close();
  }
}

export async function sqlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { limit: { type: 'string' } });
  if (positionals.length !== 1)
    throw new UsageError('sql takes one statement, quoted: sql "SELECT model, count(*) FROM requests GROUP BY model"');
  const log = await openLog(dbOf(values.db));
  try {
    const a = await runReadOnlySql(log.readPath, positionals[0]!, { maxRows: limitOf(values.limit, 1000) });
    if (!a.ok) throw new UsageError(a.error);
    io.out(values.json ? JSON.stringify(a.rows, null, 2) : sqlTable(a.columns, a.rows));
    if (a.truncated) io.err(`(stopped at ${a.rows.length} rows; --limit N for more)`);
    return a.rows.length ? EXIT.ok : EXIT.none;
  } finally {
    await log.close();
  }
}

/** Prints the last rows that match, then each new one as it is committed, until stopped. */
export async function tailCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { lines: { type: 'string' }, interval: { type: 'string' } });
  const filter = filterOf(positionals.join(' '));
  const style: Style = { color: io.color };
  const print = (r: Parameters<typeof tailLine>[0]) => io.out(values.json ? JSON.stringify(r) : tailLine(r, style));
  const log = await openLog(dbOf(values.db));
  try {
    const recent = await listRows(log, filter, limitOf(values.lines, 10));
    recent.reverse().forEach(print);
    const follower = new RowFollower(log.readPath, filter);
    try {
      let seen = Math.max(follower.lastId(), ...recent.map((r) => r.id));
      // Another process writes the file, so nothing tells us when it commits: ask a few times a second
      // (a primary-key range, microseconds).
      const every = limitOf(values.interval, 250);
      while (!io.signal?.aborted) {
        const top = follower.lastId();
        if (top > seen) {
          follower.between(seen, top).forEach(print);
          seen = top;
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, every);
          io.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      }
      return EXIT.ok;
    } finally {
      follower.close();
    }
  } finally {
    await log.close();
  }
}

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (positionals.length !== 2) throw new UsageError('diff takes two IDs: row ids or correlation ids, earlier first');
  const log = await openLog(dbOf(values.db));
  try {
    const [a, b] = await Promise.all(positionals.map((id) => findRequest(log, id)));
    const missing = positionals.filter((_, i) => !(i === 0 ? a : b));
    if (missing.length) {
      io.err(`no request ${missing.join(', ')}`);
      return EXIT.none;
    }
    const r = await diffDetails(a!, b!);
    if (!r.ok) throw new Error(r.error);
    io.out(values.json ? JSON.stringify(r.diff, null, 2) : formatDiff(r.diff));
    return EXIT.ok;
  } finally {
    await log.close();
  }
}
