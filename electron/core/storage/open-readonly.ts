// Opening another log database (an export, a colleague's file) for browsing beside the live one.
// Read-only twice over: the connection is opened SQLITE_OPEN_READONLY and set query_only, and no
// migration ever runs, so the file is never changed. Anything this build can't read exactly as
// it is — not a database, not one of ours, a different or newer schema — is refused with the
// same StorageError codes as the live log.
import migrations from 'virtual:migrations';
import { APPLICATION_ID, openConnection, type Db } from './database';
import { StorageError } from './errors';
import { checksum, type MigrationFile } from './migrate';
import { createQueries } from './queries';
import { StatsReader } from './reader';
import type { LogStore } from './log-store';
import { statSync } from 'node:fs';

/** The read side of a LogStore, over a file nobody writes through us. */
export type LogReader = Pick<LogStore, 'path' | 'listRequests' | 'getRequest' | 'getStats' | 'getTokenRatios' | 'databaseSize'> & {
  close(): void;
};

/** Throws unless `db` has exactly the schema `files` define (same versions, same text). */
export function checkSchema(db: Db, file: string, files: readonly MigrationFile[] = migrations): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    throw new StorageError('foreign_database', file, 'is not an LLM Request Inspector log (or is empty); it was left untouched');
  }
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = hasTable
    ? (db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as { version: number; name: string; checksum: string }[])
    : [];
  const known = new Map(files.map((f) => [Number(f.name.slice(0, 4)), { name: f.name, checksum: checksum(f.sql) }]));
  const newest = Math.max(0, ...known.keys());
  for (const a of applied) {
    const m = known.get(a.version);
    if (!m) {
      throw new StorageError('newer_schema', file, `was written by a newer version of LLM Request Inspector (schema ${a.version}; this build knows up to ${newest}). Update the app to open it.`);
    }
    if (m.checksum !== a.checksum) {
      throw new StorageError('migration_changed', file, `has a different schema than this build (migration ${a.name} differs); refusing to guess how to read it`);
    }
  }
  if (applied.length !== known.size) {
    const have = Math.max(0, ...applied.map((a) => a.version));
    // An older file can't be upgraded here without writing to it; opening it once as the live
    // log (or exporting it from a current build) brings it up to date.
    throw new StorageError('older_schema', file, `has an older schema (${have}) than this build (${newest}) and can't be upgraded read-only. Open it once as the live log to upgrade it.`);
  }
}

export function openReadOnlyLog(path: string, options: { nativeBinding?: string; migrations?: readonly MigrationFile[] } = {}): LogReader {
  const db = openConnection(path, { readonly: true, nativeBinding: options.nativeBinding });
  try {
    checkSchema(db, path, options.migrations);
    db.pragma('query_only = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  const queries = createQueries(db);
  const stats = new StatsReader(path, { nativeBinding: options.nativeBinding, readonly: true });
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return {
    path,
    listRequests: (filter, cursor, limit) => queries.listRequests(filter, cursor, limit),
    getRequest: (id) => queries.getRequest(id),
    getStats: (filter, groupBy) => stats.getStats(filter, groupBy),
    getTokenRatios: () => queries.getTokenRatios(),
    databaseSize: () => size(path) + size(`${path}-wal`),
    close: () => {
      void stats.close();
      db.close();
    },
  };
}
