// Opening another log database (an export, a colleague's file) for browsing beside the live one.
// Read-only twice over: the connection is opened SQLITE_OPEN_READONLY and set query_only, and no
// migration ever runs, so the file is never changed. Anything this build can't read exactly as
// it is — not a database, not one of ours, a different or newer schema — is refused with the
// same StorageError codes as the live log.
import migrations from 'virtual:migrations';
import { logFileSize, openConnection, type Db } from './database';
import { StorageError } from './errors';
import { pendingMigrations, type MigrationFile } from './migrate';
import { createQueries } from './queries';
import { StatsReader } from './reader';
import type { LogStore } from './log-store';

/** The read side of a LogStore, over a file nobody writes through us. */
export type LogReader = Pick<LogStore, 'path' | 'listRequests' | 'listScan' | 'getRequest' | 'getStats' | 'getTokenRatios' | 'databaseSize'> & {
  close(): void;
};

/** Throws unless `db` has exactly the schema `files` define (same versions, same text). */
export function checkSchema(db: Db, file: string, files: readonly MigrationFile[] = migrations): void {
  const pending = pendingMigrations(db, file, files, 'refused');
  if (pending.length > 0) {
    // An older file can't be upgraded here without writing to it; opening it once as the live
    // log (or exporting it from a current build) brings it up to date.
    throw new StorageError('older_schema', file, `has an older schema than this build (missing ${pending.map((m) => m.name).join(', ')}) and can't be upgraded read-only. Open it once as the live log to upgrade it.`);
  }
}

export function openReadOnlyLog(path: string, options: { migrations?: readonly MigrationFile[] } = {}): LogReader {
  const db = openConnection(path, { readonly: true });
  try {
    checkSchema(db, path, options.migrations);
    db.pragma('query_only = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  const queries = createQueries(db);
  const stats = new StatsReader(path, { readonly: true });
  return {
    path,
    listRequests: (filter, cursor, limit, dir) => queries.listRequests(filter, cursor, limit, dir),
    listScan: (filter, sort, cursor, limit, skip = 0) => stats.listScan(filter, sort, cursor, limit, skip),
    getRequest: (id) => queries.getRequest(id),
    getStats: (filter, groupBy) => stats.getStats(filter, groupBy),
    getTokenRatios: () => queries.getTokenRatios(),
    databaseSize: () => logFileSize(path),
    close: () => {
      void stats.close();
      db.close();
    },
  };
}
