// The log as the command line and the MCP server read it: the file opened read-only beside whoever
// writes it (the app, `serve`), through the read-only viewer the app uses for other files
// (storage/open-readonly.ts): schema checked, no migration, every query in a reader thread with a
// time budget. WAL readers never block the writer.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseQuery } from '../contract/filter-query';
import type { RequestDetail, RequestFilter, RequestRow } from '../contract/model';
import type { ThreadView } from '../contract/threads';
import { openConnection, type Db } from '../storage/database';
import { filterSql } from '../storage/filter-sql';
import { openReadOnlyLog, type LogReader } from '../storage/open-readonly';
import { ROW_SELECT, toRow } from '../storage/rows';

/** A mistake the user can fix (bad filter, missing file): exit code 2, message as is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export async function openLog(path: string): Promise<LogReader> {
  if (!existsSync(path)) throw new UsageError(`no log at ${path} (start the app or \`serve\` once, or pass --db FILE)`);
  // A log in a folder we may write to is read in place, sharing the WAL with its writer, so every
  // query sees the latest commit. Elsewhere (a read-only share, an archive) the viewer's rules hold:
  // nothing is written beside the file, a WAL log is read from a private copy.
  return openReadOnlyLog(path, { inPlace: writable(dirname(path)) });
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The filter for filter text, or a UsageError saying where the text goes wrong and what was expected. */
export function filterOf(text: string): RequestFilter {
  const r = parseQuery(text);
  if (!r.ok) throw new UsageError(`${r.error.message}\n  ${text}\n  ${' '.repeat(r.error.column - 1)}^`);
  return text.trim() ? { query: text } : {};
}

/** Up to `limit` rows, newest first. */
export async function listRows(log: LogReader, filter: RequestFilter, limit: number): Promise<RequestRow[]> {
  const rows: RequestRow[] = [];
  let cursor = null;
  while (rows.length < limit) {
    const page = await log.listRequests(filter, cursor, Math.min(1000, limit - rows.length));
    rows.push(...page.rows);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return rows;
}

/** A request by its row id (digits) or its correlation id. */
export async function findRequest(log: LogReader, id: string): Promise<RequestDetail | null> {
  if (/^\d{1,15}$/.test(id)) {
    const byRow = await log.getRequest(Number(id));
    if (byRow) return byRow;
  }
  const page = await log.listRequests({ correlationId: id }, null, 1);
  return page.rows[0] ? log.getRequest(page.rows[0].id) : null;
}

/** A thread by its id, or the thread of the request with that row id. */
export async function findThread(log: LogReader, id: number): Promise<ThreadView | null> {
  const direct = await log.getThread(id);
  if (direct) return direct;
  const row = await log.getRequest(id);
  return row?.threadId == null ? null : log.getThread(row.threadId);
}

/**
 * New rows for `tail`, in commit order (row id), on a connection of its own: a request that started
 * earlier but finished later has an older timestamp and a newer id, so ids, not times, say what is new.
 */
export class RowFollower {
  private readonly db: Db;
  private readonly select;
  constructor(
    file: string,
    private readonly filter: RequestFilter,
  ) {
    this.db = openConnection(file, { readonly: true });
    this.db.pragma('query_only = ON');
    this.select = (after: number, upTo: number) => {
      // Built per call: a relative `since:` counts back from now.
      const where = filterSql(this.filter);
      return this.db
        .prepare(`SELECT ${ROW_SELECT} FROM requests r WHERE r.id > ? AND r.id <= ? AND ${where.sql} ORDER BY r.id`)
        .all(after, upTo, ...where.params);
    };
  }

  lastId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM requests').get() as { n: number }).n;
  }

  /** Matching rows with an id in (after, upTo], oldest first. */
  between(after: number, upTo: number): RequestRow[] {
    return (this.select(after, upTo) as Parameters<typeof toRow>[0][]).map(toRow);
  }

  close(): void {
    this.db.close();
  }
}
