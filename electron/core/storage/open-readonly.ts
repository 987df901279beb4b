// Opening another log database (an export, a colleague's file) for browsing beside the live one.
// Read-only twice over: the connection is opened SQLITE_OPEN_READONLY and set query_only, and no
// migration ever runs, so the file is never changed; nothing is written beside it either (see
// readable-copy.ts). The file is untrusted: anything this build can't read exactly as it is —
// not a database, not one of ours, a different or newer schema, any schema object the migrations
// don't create — is refused with a StorageError naming the reason; its schema is never trusted
// (trusted_schema OFF, SQLite's defensive mode on); and every query runs in a reader thread with
// a time budget, so neither the proxy nor the window waits on this file.
import migrations from 'virtual:migrations';
import { logFileSize, openConnection, type Db } from './database';
import { StorageError } from './errors';
import type { LogStore } from './log-store';
import { pendingMigrations, type MigrationFile } from './migrate';
import { StatsReader } from './reader';
import { readableFile } from './readable-copy';
import { compareSchema, expectedSchema } from './schema-check';
import type { Cursor, RequestDetail, RequestPage, TokenRatio } from '../contract/model';
import type { ThreadView } from '../contract/threads';

/** Long enough for a grouped scan of a few million rows on a slow disk; short enough to be an answer. */
export const VIEWER_QUERY_BUDGET_MS = 15_000;

/** The read side of a LogStore, over a file nobody writes through us; every read is asynchronous. */
export type LogReader = Pick<
  LogStore,
  'path' | 'listScan' | 'listPage' | 'getStats' | 'databaseSize' | 'getTokenDistributions' | 'getDistributionRows'
> & {
  /** The file queries read: `path`, or a private copy of it when `path` can't be read without writing beside it. */
  readonly readPath: string;
  listRequests(...args: Parameters<LogStore['listRequests']>): Promise<RequestPage<Cursor>>;
  getRequest(id: number): Promise<RequestDetail | null>;
  getTokenRatios(): Promise<TokenRatio[]>;
  getThread(threadId: number): Promise<ThreadView | null>;
  listThreads(...args: Parameters<LogStore['listThreads']>): ReturnType<LogStore['listThreads']>;
  close(): Promise<void>;
};

export interface ReadOnlyOptions {
  migrations?: readonly MigrationFile[];
  budgetMs?: number;
  /**
   * Read the file where it is, never from a private copy: for a log that is being written (the
   * command line beside the app or `serve`), whose new rows a copy would never see. Its folder is the
   * writer's, where SQLite already keeps the WAL's side files that a reader shares.
   */
  inPlace?: boolean;
}

/** Throws unless `db` has exactly the schema `files` define (same versions, same text, same objects). */
export function checkSchema(db: Db, file: string, files: readonly MigrationFile[] = migrations): void {
  const pending = pendingMigrations(db, file, files, 'refused');
  if (pending.length > 0) {
    // An older file can't be upgraded here without writing to it; opening it once as the live
    // log (or exporting it from a current build) brings it up to date.
    throw new StorageError(
      'older_schema',
      file,
      `has an older schema than this build (missing ` +
        `${pending.map((m) => m.name).join(', ')}) and can't be ` +
        `upgraded read-only. Open it once as the live log to upgrade it.`,
    );
  }
  compareSchema(db, file, expectedSchema(files));
}

export async function openReadOnlyLog(path: string, options: ReadOnlyOptions = {}): Promise<LogReader> {
  const files = options.migrations ?? migrations;
  const readable = options.inPlace
    ? { readPath: path, copied: false, dispose: async () => {} }
    : await readableFile(path);
  try {
    const db = openConnection(readable.readPath, { readonly: true });
    try {
      // Defensive mode is better-sqlite3's default; said here, since this is where it matters.
      db.unsafeMode(false);
      db.pragma('trusted_schema = OFF');
      checkSchema(db, path, files);
    } finally {
      db.close();
    }
  } catch (e) {
    await readable.dispose();
    throw e;
  }
  const reader = new StatsReader(readable.readPath, {
    readonly: true,
    expectedSchema: expectedSchema(files),
    budgetMs: options.budgetMs ?? VIEWER_QUERY_BUDGET_MS,
  });
  return {
    path,
    readPath: readable.readPath,
    listRequests: (filter, cursor, limit, dir = 'desc') =>
      reader.listScan(filter, { column: 'time', dir }, cursor, limit, 0) as Promise<RequestPage<Cursor>>,
    listScan: (filter, sort, cursor, limit, skip = 0) => reader.listScan(filter, sort, cursor, limit, skip),
    listPage: ({ filter, sort, cursor, limit, skip }) =>
      reader.listScan(filter, sort ?? { column: 'time', dir: 'desc' }, cursor, limit, skip),
    getRequest: (id) => reader.getRequest(id),
    getStats: (filter, groupBy) => reader.getStats(filter, groupBy),
    getTokenRatios: () => reader.getTokenRatios(),
    getThread: (threadId) => reader.getThread(threadId),
    listThreads: (filter, cursor, limit) => reader.listThreads(filter, cursor, limit),
    getTokenDistributions: () => reader.getTokenDistributions(),
    getDistributionRows: () => reader.getDistributionRows(),
    databaseSize: () => logFileSize(path),
    close: async () => {
      await reader.close();
      await readable.dispose();
    },
  };
}
