import { createHash } from 'node:crypto';
import { APPLICATION_ID, type Db } from './database';
import { StorageError, errorMessage } from './errors';

export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
}

interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const NAME = /^(\d{4})_[a-z0-9_-]+\.sql$/;

/** Line endings are normalised so a checkout with CRLF conversion doesn't look like an edited migration. */
export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

function parse(files: readonly MigrationFile[], file: string): Migration[] {
  const seen = new Set<number>();
  return files
    .map((f) => {
      const m = NAME.exec(f.name);
      if (!m)
        throw new StorageError('bad_migration', file, `migration file name ${f.name} does not match NNNN_name.sql`);
      const version = Number(m[1]);
      if (seen.has(version)) throw new StorageError('bad_migration', file, `two migrations share version ${version}`);
      seen.add(version);
      return { version, name: f.name, sql: f.sql, checksum: checksum(f.sql) };
    })
    .sort((a, b) => a.version - b.version);
}

interface Applied {
  version: number;
  name: string;
  checksum: string;
}

function readApplied(db: Db): Applied[] | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) return null;
  return db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as Applied[];
}

/**
 * The migrations this build would still apply to `db`, after refusing anything it can't vouch for:
 * a database that isn't ours, one from a newer build, or one whose applied migrations were edited
 * since. `fresh: 'allowed'` accepts an empty file (it is about to become a log); a reader passes
 * 'refused', since an empty file is no log to browse.
 */
export function pendingMigrations(
  db: Db,
  file: string,
  files: readonly MigrationFile[],
  fresh: 'allowed' | 'refused',
): Migration[] {
  const migrations = parse(files, file);
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tableCount = (
    db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as {
      n: number;
    }
  ).n;
  const isFresh = appId === 0 && tableCount === 0;
  if (appId !== APPLICATION_ID && !(isFresh && fresh === 'allowed')) {
    throw new StorageError(
      'foreign_database',
      file,
      'is a SQLite database, but not an LLM Request Inspector log (or is empty); it was left untouched',
    );
  }
  const applied = readApplied(db) ?? [];
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations.at(-1)?.version ?? 0;
  for (const a of applied) {
    const m = known.get(a.version);
    if (!m) {
      throw new StorageError(
        'newer_schema',
        file,
        `was written by a newer version of LLM Request Inspector (schema ` +
          `${Math.max(...applied.map((x) => x.version))}; this ` +
          `build knows up to ${newest}). Update the app to open it.`,
      );
    }
    if (m.checksum !== a.checksum) {
      throw new StorageError(
        'migration_changed',
        file,
        `migration ${a.name} was applied with different text than this ` +
          `build's ${m.name}; refusing to guess which schema the file has`,
      );
    }
  }
  const done = new Set(applied.map((a) => a.version));
  return migrations.filter((m) => !done.has(m.version));
}

/**
 * Brings the database up to this build's schema, each migration in its own transaction, after
 * pendingMigrations' refusals. Never rewrites a refused file. Returns the schema version now in force.
 */
export function migrate(db: Db, file: string, files: readonly MigrationFile[]): number {
  for (const m of pendingMigrations(db, file, files, 'allowed')) {
    const apply = db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        m.checksum,
        new Date().toISOString(),
      );
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      apply();
    } catch (e) {
      throw new StorageError(
        'bad_migration',
        file,
        `migration ${m.name} failed and was rolled back: ${errorMessage(e)}`,
        {
          cause: e,
        },
      );
    }
  }
  return parse(files, file).at(-1)?.version ?? 0;
}
