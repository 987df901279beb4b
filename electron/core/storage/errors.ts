export type StorageErrorCode =
  | 'not_a_database' // the file exists but SQLite can't read it as a database
  | 'foreign_database' // a SQLite database, but not one of ours
  | 'newer_schema' // written by a newer build: refuse rather than guess
  | 'older_schema' // an older log that can only be upgraded by opening it for writing
  | 'migration_changed' // an applied migration's text differs from this build's
  | 'bad_migration' // a migration file in this build is malformed or failed to apply
  | 'schema_mismatch' // tables, views, indexes or triggers this build's migrations don't create
  | 'timeout' // a query on a file opened for browsing overran its time budget
  | 'io'; // could not create or open the file

/** A storage failure that names the file and says what to do; never a bare SqliteError. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}

/** SQLite result codes after which a retry may succeed: the condition is outside the data. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/;

export function isTransientSqliteError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT.test(code);
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
