// `export --format otlp --endpoint URL [--db FILE] [--filter TEXT] [--since ISO] [--until ISO]
// [--header 'Name: value']... [--protocol http/protobuf|http/json] [--content] [--service-name NAME]`:
// sends a log file's rows (a closed one, a colleague's snapshot, or the live log read-only) as
// spans. Nothing is written to the file: there is no outbox here, and none is needed, since span
// ids come from the rows themselves, so sending a file twice gives the receiver the same spans.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseQuery } from '../../contract/filter-query';
import { OTLP_PROTOCOLS, otlpSettingsObject, tracesUrl, type OtlpProtocol } from '../../contract/otlp-settings';
import { openConnection } from '../../storage/database';
import { errorMessage } from '../../storage/errors';
import { rowPages } from '../row-pages';
import { MAX_BATCH_SPANS } from './batch';
import { encodeSpans } from './encode';
import { buildResource, scope } from './resource';
import { backoffMs, sendBatch, type Destination } from './sender';
import { buildSpan } from './span';

export const OTLP_USAGE = [
  'usage: export --format otlp --endpoint URL [--db FILE] [--filter TEXT] [--since ISO] [--until ISO]',
  "         [--header 'Name: value']... [--protocol http/protobuf|http/json] [--content] [--service-name NAME]",
].join('\n');

/** A batch is tried this many times (with backoff) before the command gives up. */
const ATTEMPTS = 5;
const iso = z.iso.datetime({ offset: true });

interface Io {
  log(line: string): void;
  error(line: string): void;
}

interface Job {
  db: string;
  destination: Destination;
  filter: { since?: string; until?: string; query?: string };
  content: { maxChars: number } | null;
  serviceName: string;
}

function parse(argv: string[]): { ok: true; job: Job } | { ok: false; message: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        db: { type: 'string' },
        format: { type: 'string' },
        endpoint: { type: 'string' },
        protocol: { type: 'string' },
        header: { type: 'string', multiple: true },
        content: { type: 'boolean' },
        'service-name': { type: 'string' },
        filter: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
      },
    }));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (!values.db) return { ok: false, message: '--db FILE is required' };
  if (!values.endpoint) return { ok: false, message: '--endpoint URL is required' };
  const protocol = values.protocol ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol))
    return { ok: false, message: `--protocol must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${protocol}"` };
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const at = h.indexOf(':');
    if (at < 1) return { ok: false, message: `--header must be "Name: value", got a value without a name` };
    headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  }
  // The settings' own rules: a URL without credentials, header names and one-line values.
  const checked = otlpSettingsObject.safeParse({
    endpoint: values.endpoint,
    headers,
    serviceName: values['service-name'] ?? 'llm-request-inspector',
  });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    // Never echo a header's value: it is a credential.
    return {
      ok: false,
      message: `--${issue.path[0] === 'headers' ? 'header' : String(issue.path[0])}: ${issue.message}`,
    };
  }
  for (const flag of ['since', 'until'] as const) {
    const v = values[flag];
    if (v !== undefined && !iso.safeParse(v).success)
      return { ok: false, message: `--${flag} must be an ISO-8601 time such as 2026-03-01T00:00:00Z, got "${v}"` };
  }
  if (values.filter !== undefined) {
    const q = parseQuery(values.filter);
    if (!q.ok) return { ok: false, message: `--filter: ${q.error.message}` };
  }
  return {
    ok: true,
    job: {
      db: values.db,
      destination: { url: tracesUrl(values.endpoint), protocol: protocol as OtlpProtocol, headers },
      filter: {
        ...(values.since ? { since: new Date(values.since).toISOString() } : {}),
        ...(values.until ? { until: new Date(values.until).toISOString() } : {}),
        ...(values.filter?.trim() ? { query: values.filter } : {}),
      },
      content: values.content ? { maxChars: checked.data.contentMaxChars } : null,
      serviceName: checked.data.serviceName,
    },
  };
}

async function sendWithRetries(job: Job, spans: ReadableSpan[], io: Io): Promise<boolean> {
  const batch = encodeSpans(spans, job.destination.protocol);
  for (let attempt = 1; ; attempt++) {
    const result = await sendBatch(job.destination, batch);
    if (result.ok) {
      if (result.warning) io.error(`warning: ${result.warning}`);
      return true;
    }
    if (attempt === ATTEMPTS) {
      io.error(`export failed: ${result.error} (tried ${ATTEMPTS} times)`);
      return false;
    }
    const wait = backoffMs(attempt, result.retryAfterMs);
    io.error(`${result.error}; trying again in ${(wait / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function failedAfter(sent: number, io: Io): number {
  io.error(`${sent} requests were sent before that; sending the file again resends them as the same spans`);
  return 1;
}

/** Exit code: 0 every row sent, 1 the export failed part way (what was sent is said), 2 bad arguments. */
export async function runOtlpExportCli(argv: string[], io: Io): Promise<number> {
  const parsed = parse(argv);
  if (!parsed.ok) {
    io.error(`${parsed.message}\n${OTLP_USAGE}`);
    return 2;
  }
  const job = parsed.job;
  let db;
  try {
    db = openConnection(job.db, { readonly: true });
  } catch (e) {
    io.error(`export failed: ${errorMessage(e)}`);
    return 1;
  }
  const options = {
    resource: buildResource({ serviceName: job.serviceName, installId: null }),
    scope,
    servers: new Map<string, { address: string; port: number }>(),
    content: job.content,
  };
  let sent = 0;
  try {
    let spans: ReadableSpan[] = [];
    for (const page of rowPages(db, { filter: job.filter, includeBodies: true, includeHeaders: true, pageSize: 100 })) {
      for (const row of page) spans.push(buildSpan(row, options));
      if (spans.length < MAX_BATCH_SPANS) continue;
      if (!(await sendWithRetries(job, spans, io))) return failedAfter(sent, io);
      sent += spans.length;
      spans = [];
    }
    if (spans.length && !(await sendWithRetries(job, spans, io))) return failedAfter(sent, io);
    sent += spans.length;
    io.log(`exported ${sent} requests as spans to ${job.destination.url} (${job.destination.protocol})`);
    return 0;
  } catch (e) {
    io.error(`export failed after ${sent} requests: ${errorMessage(e)}`);
    return 1;
  } finally {
    db.close();
  }
}
