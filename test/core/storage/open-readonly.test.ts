import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import migrations from 'virtual:migrations';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportLog } from '../../../electron/core/export';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { openReadOnlyLog } from '../../../electron/core/storage/open-readonly';
import { makeRecord, tempDir } from '../../helpers/records';

let dir: string;
let cleanup: () => void;
let store: LogStore;
let live: string;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  live = join(dir, 'live.sqlite');
  store = await openLogStore(live);
  for (let i = 0; i < 20; i++) store.enqueue(makeRecord({ model: i % 2 ? 'odd' : 'even' }));
  await store.flush();
});
afterEach(async () => {
  await store.close();
  cleanup();
});

const code = async (fn: () => Promise<{ close(): Promise<void> }>) => {
  try {
    await (await fn()).close();
    return 'opened';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('read-only viewer', () => {
  it('browses an export beside the live log, which keeps logging', async () => {
    const copy = join(dir, 'copy.sqlite');
    await exportLog({
      source: live,
      destination: copy,
      format: 'sqlite',
      filter: { model: ['odd'] },
      includeBodies: true,
      includeHeaders: true,
    });
    const before = readFileSync(copy);
    const reader = await openReadOnlyLog(copy);
    try {
      store.enqueue(makeRecord({ model: 'odd' }));
      await store.flush();
      expect((await reader.listRequests({}, null, 100)).rows).toHaveLength(10);
      expect((await reader.getStats({}, 'model')).groups.map((g) => g.key)).toEqual(['odd']);
      expect((await reader.getRequest(2))?.model).toBe('odd');
      expect((await reader.getTokenRatios())[0]?.sampleCount).toBe(10);
      expect(store.listRequests({}, null, 100).rows).toHaveLength(21);
    } finally {
      await reader.close();
    }
    expect(readFileSync(copy).equals(before)).toBe(true);
  });

  it('has no way to write: no write calls, and the file is byte-identical after browsing', async () => {
    await store.close();
    const before = readFileSync(live);
    const reader = await openReadOnlyLog(live);
    try {
      expect(Object.keys(reader).sort()).toEqual([
        'close',
        'databaseSize',
        'getDistributionRows',
        'getRequest',
        'getStats',
        'getThread',
        'getTokenDistributions',
        'getTokenRatios',
        'listPage',
        'listRequests',
        'listScan',
        'listThreads',
        'path',
        'readPath',
      ]);
      expect((await reader.listRequests({ text: 'chat' }, null, 100)).rows).toHaveLength(20);
      await reader.getStats({}, 'provider');
      expect((await reader.listScan({}, { column: 'cost', dir: 'desc' }, null, 10)).rows).toHaveLength(10);
    } finally {
      await reader.close();
    }
    expect(readFileSync(live).equals(before)).toBe(true);
    store = await openLogStore(live);
  });

  it('refuses a non-database, a foreign database, a newer schema, a changed schema and an older one', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'hello'.repeat(1000));
    expect(await code(() => openReadOnlyLog(junk))).toBe('not_a_database');

    const foreign = join(dir, 'foreign.sqlite');
    const f = new Database(foreign);
    f.exec('CREATE TABLE notes (x)');
    f.close();
    expect(await code(() => openReadOnlyLog(foreign))).toBe('foreign_database');

    expect(await code(() => openReadOnlyLog(join(dir, 'missing.sqlite')))).toBe('io');

    // The live file, judged by builds with other migrations.
    expect(await code(() => openReadOnlyLog(live, { migrations: [] }))).toBe('newer_schema');
    const changed = migrations.map((m) => ({ ...m, sql: `${m.sql}\n-- edited` }));
    expect(await code(() => openReadOnlyLog(live, { migrations: changed }))).toBe('migration_changed');
    const newer = [...migrations, { name: '9999_future.sql', sql: 'CREATE TABLE future (x);' }];
    const older = await code(() => openReadOnlyLog(live, { migrations: newer }));
    expect(older).toBe('older_schema');
    expect(await code(() => openReadOnlyLog(live))).toBe('opened');
  });
});
