import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStorageError, openLogStore } from '../../../electron/core/storage';
import { openConnection } from '../../../electron/core/storage/database';
import { tempDir } from '../../helpers/records';
import migrations from 'virtual:migrations';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function expectRefused(file: string, code: string, pattern: RegExp) {
  const err = await openLogStore(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isStorageError(err), String(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  expect((err as Error).message).toContain(file);
  expect((err as Error).message).toMatch(pattern);
}

describe('openLogStore', () => {
  it('creates missing folders and a WAL database with the schema', async () => {
    const file = join(dir, 'a', 'b', 'log.sqlite');
    const store = await openLogStore(file);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['requests', 'exchanges', 'token_ratios', 'schema_migrations']));
    const applied = db.prepare('SELECT version, name, length(checksum) AS len FROM schema_migrations').all();
    // Every migration of the build, in order (the list grows; its start never changes).
    expect(applied).toEqual(
      migrations
        .map((m) => ({ version: Number(m.name.slice(0, 4)), name: m.name, len: 64 }))
        .sort((a, b) => a.version - b.version),
    );
    expect(applied.slice(0, 2)).toEqual([
      { version: 1, name: '0001_init.sql', len: 64 },
      { version: 2, name: '0002_stats_rollup.sql', len: 64 },
    ]);
    db.close();
  });

  it('reopens an existing log without reapplying migrations and keeps its rows', async () => {
    const file = join(dir, 'log.sqlite');
    const first = await openLogStore(file);
    first.enqueue((await import('../../helpers/records')).makeRecord({ correlationId: 'kept' }));
    await first.close();
    const second = await openLogStore(file);
    expect(second.listRequests({}, null, 10).rows.map((r) => r.correlationId)).toEqual(['kept']);
    await second.close();
  });

  it('refuses a log whose applied migration text has changed', async () => {
    const file = join(dir, 'log.sqlite');
    await (await openLogStore(file)).close();
    const db = new Database(file);
    db.prepare("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1").run();
    db.close();
    await expectRefused(file, 'migration_changed', /0001_init\.sql.*different text/);
  });

  it('refuses a log written by a newer schema, leaving it untouched', async () => {
    const file = join(dir, 'log.sqlite');
    await (await openLogStore(file)).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x', '2030-01-01')").run();
    db.close();
    await expectRefused(file, 'newer_schema', /newer version.*schema 9999/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length + 1);
    after.close();
  });

  it('refuses a file that is not a database, and does not rewrite it', async () => {
    const file = join(dir, 'notes.txt');
    const text = 'these are my notes, not a database\n'.repeat(200);
    writeFileSync(file, text);
    await expectRefused(file, 'not_a_database', /not a SQLite database/);
    expect((await import('node:fs')).readFileSync(file, 'utf8')).toBe(text);
  });

  it("refuses someone else's SQLite database", async () => {
    const file = join(dir, 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    await expectRefused(file, 'foreign_database', /not an LLM Request Inspector log/);
  });
});

describe('openConnection', () => {
  it('bounds the page cache at 64 MiB unless told otherwise', async () => {
    const file = join(dir, 'cache.sqlite');
    await (await openLogStore(file)).close();
    const plain = openConnection(file);
    const small = openConnection(file, { cacheMiB: 16 });
    expect(plain.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(small.pragma('cache_size', { simple: true })).toBe(-16384);
    plain.close();
    small.close();
  });
});
