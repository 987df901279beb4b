import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files';
import { StorageError, errorMessage } from './errors';

export type Db = Database.Database;

/** Identifies our files in the SQLite header, so a colleague's unrelated database is refused, not migrated. */
export const APPLICATION_ID = 0x4c4c4d49; // 'LLMI'

export interface OpenOptions {
  readonly?: boolean;
  busyTimeoutMs?: number;
  /** Bound of this connection's page cache, MiB (64 unless said: see below). */
  cacheMiB?: number;
}

/**
 * Opens a connection with the pragmas every connection needs. Does not migrate (see migrate.ts),
 * so the writer worker can open its own connection without carrying the migration files.
 */
export function openConnection(file: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly ?? false;
  let db: Db;
  try {
    // SQLite's in-memory database is no file: made private, it would be an empty file named ':memory:' in the cwd.
    if (!readonly && file !== ':memory:') {
      ensurePrivateDir(dirname(file));
      ensurePrivateFile(file, [`${file}-wal`, `${file}-shm`, `${file}-journal`]);
    }
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (e) {
    throw new StorageError('io', file, `cannot open: ${errorMessage(e)}`, { cause: e });
  }
  try {
    // better-sqlite3 opens lazily; the first read of the header is where a non-database shows itself.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses at most the last commits on power loss, never corrupts; FULL would fsync every batch.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 16): index pages stay hot for inserts and covering scans.
    db.pragma(`cache_size = -${Math.round((options.cacheMiB ?? 64) * 1024)}`);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StorageError(
        'not_a_database',
        file,
        'is not a SQLite database (or is corrupt); it was left untouched',
        {
          cause: e,
        },
      );
    }
    throw new StorageError('io', file, `cannot open: ${errorMessage(e)}`, { cause: e });
  }
  return db;
}

/** Bytes a log takes on disk: the database file plus its WAL (0 for whichever is missing). */
export function logFileSize(file: string): number {
  const size = (p: string) => statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  return size(file) + size(`${file}-wal`);
}
