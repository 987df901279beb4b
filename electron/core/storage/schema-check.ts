// A log opened for browsing is a file from anywhere: its schema is SQL we would run. A `requests`
// that is a VIEW over an endless recursive query, a trigger, an extra index on an expression —
// each passes a check of application_id and the migrations table, and runs the moment a page is
// read. So a file is browsed only when its whole schema (sqlite_schema: type, name, table, SQL) is
// exactly what this build's migrations create; every query we run then reads our own tables
// through our own indexes, and ends.
import Database from 'better-sqlite3';
import type { Db } from './database';
import { StorageError } from './errors';
import { migrate, type MigrationFile } from './migrate';

export interface SchemaEntry {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * Tables SQLite itself may add to a log that is ours: ANALYZE statistics (PRAGMA optimize writes
 * them). Only their name is trusted, never SQL: they hold numbers the planner reads.
 */
const SQLITE_STAT = /^sqlite_stat[1-4]$/;

/** Whitespace is not meaning: SQLite keeps the text as written, and line endings vary by checkout. */
function normalise(sql: string | null): string | null {
  return sql === null ? null : sql.replace(/\s+/g, ' ').trim();
}

export function readSchema(db: Db): SchemaEntry[] {
  const rows = db
    .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name')
    .all() as SchemaEntry[];
  return rows.map((r) => ({ ...r, sql: normalise(r.sql) }));
}

const cache = new WeakMap<readonly MigrationFile[], SchemaEntry[]>();

/** The schema `files` create, from running them into an empty in-memory database. */
export function expectedSchema(files: readonly MigrationFile[]): SchemaEntry[] {
  let schema = cache.get(files);
  if (!schema) {
    const db = new Database(':memory:');
    try {
      migrate(db, ':memory:', files);
      schema = readSchema(db);
    } finally {
      db.close();
    }
    cache.set(files, schema);
  }
  return schema;
}

const key = (e: SchemaEntry) => `${e.type} ${e.name}`;

/**
 * Throws StorageError schema_mismatch, naming the differences (extra objects first), unless `db`'s schema is
 * `expected`.
 */
export function compareSchema(db: Db, file: string, expected: readonly SchemaEntry[]): void {
  const actual = readSchema(db).filter((e) => !(e.type === 'table' && SQLITE_STAT.test(e.name)));
  const want = new Map(expected.map((e) => [key(e), e]));
  const extra: string[] = [];
  const changed: string[] = [];
  for (const e of actual) {
    const w = want.get(key(e));
    if (!w) extra.push(`an extra ${e.type} "${e.name}"`);
    else if (w.tbl_name !== e.tbl_name || w.sql !== e.sql) changed.push(`${e.type} "${e.name}" is defined differently`);
    want.delete(key(e));
  }
  const missing = [...want.values()].map((e) => `no ${e.type} "${e.name}"`);
  const problems = [...extra, ...changed, ...missing];
  if (problems.length === 0) return;
  const shown = problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
  throw new StorageError(
    'schema_mismatch',
    file,
    `has a schema this build did not create (${shown}); it was not opened, and left untouched.`,
  );
}
