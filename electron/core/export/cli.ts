// `npm run export -- --db FILE --out FILE [--format sqlite|jsonl|csv|har] [--since ISO] [--until ISO]
// [--filter TEXT] [--no-bodies] [--no-headers]`. Reads the log through its own read-only connection, so it works
// while the app or `npm run serve` keeps writing the same file (WAL readers never block the writer).
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseQuery } from '../contract/filter-query';
import { exportLog, isExportError, type ExportFormat, type ExportJob } from './index';
import { runOtlpExportCli } from './otlp/cli';

export const USAGE =
  'usage: npm run export -- --db FILE --out FILE [--format sqlite|jsonl|csv|har] [--since ISO] ' +
  '[--until ISO] [--filter TEXT] [--no-bodies] [--no-headers]';

const FORMATS = ['sqlite', 'jsonl', 'csv', 'har'] as const;
const iso = z.iso.datetime({ offset: true });

export type ParsedExportArgs = { ok: true; job: ExportJob } | { ok: false; message: string };

/** The format named by --format, else by the output's extension (.db/.sqlite -> sqlite). */
function formatOf(named: string | undefined, out: string): ExportFormat | string {
  if (named !== undefined)
    return (FORMATS as readonly string[]).includes(named)
      ? (named as ExportFormat)
      : `--format must be one of ${FORMATS.join(', ')}, got "${named}"`;
  const ext = extname(out).slice(1).toLowerCase();
  if (ext === 'db' || ext === 'sqlite' || ext === 'sqlite3') return 'sqlite';
  return (FORMATS as readonly string[]).includes(ext) ? (ext as ExportFormat) : 'sqlite';
}

export function parseExportArgs(argv: string[]): ParsedExportArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        db: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        filter: { type: 'string' },
        'no-bodies': { type: 'boolean' },
        'no-headers': { type: 'boolean' },
      },
    }));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (!values.db) return { ok: false, message: '--db FILE is required' };
  if (!values.out) return { ok: false, message: '--out FILE is required' };
  const format = formatOf(values.format, values.out);
  if (!FORMATS.includes(format as ExportFormat)) return { ok: false, message: format };
  for (const flag of ['since', 'until'] as const) {
    const v = values[flag];
    if (v !== undefined && !iso.safeParse(v).success)
      return { ok: false, message: `--${flag} must be an ISO-8601 time such as 2026-03-01T00:00:00Z, got "${v}"` };
  }
  if (values.filter !== undefined) {
    const q = parseQuery(values.filter);
    if (!q.ok) return { ok: false, message: `--filter: ${q.error.message}` };
  }
  // Timestamps are stored as UTC ISO strings with ms and compared as text: normalise the bounds the same way.
  const filter = {
    ...(values.since ? { since: new Date(values.since).toISOString() } : {}),
    ...(values.until ? { until: new Date(values.until).toISOString() } : {}),
    ...(values.filter?.trim() ? { query: values.filter } : {}),
  };
  return {
    ok: true,
    job: {
      source: resolve(values.db),
      destination: resolve(values.out),
      format: format as ExportFormat,
      filter,
      includeBodies: !values['no-bodies'],
      includeHeaders: !values['no-headers'],
    },
  };
}

export interface CliIo {
  log(line: string): void;
  error(line: string): void;
}

/** Returns the exit code: 0 done, 1 the export failed (nothing left behind), 2 bad arguments. */
export async function runExportCli(argv: string[], io: CliIo): Promise<number> {
  // OTLP sends to a receiver instead of writing a file: options of its own.
  if (argv.some((a, i) => a === '--format=otlp' || (a === '--format' && argv[i + 1] === 'otlp')))
    return runOtlpExportCli(argv, io);
  const parsed = parseExportArgs(argv);
  if (!parsed.ok) {
    io.error(`${parsed.message}\n${USAGE}`);
    return 2;
  }
  try {
    const r = await exportLog(parsed.job);
    io.log(`exported ${r.rows} requests to ${r.path} (${r.bytes} bytes, ${parsed.job.format})`);
    return 0;
  } catch (e) {
    io.error(isExportError(e) ? e.message : `export failed: ${(e as Error).message}`);
    return 1;
  }
}
