// Read-only viewers through the contract's handlers: a database opened beside the live log is read
// by passing its id as `source`, refused with the storage layer's reason when it isn't a log this
// build can read, never written, and closed with the core.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/core/api/dispatcher';
import { isApiError, type ApiError } from '../../../electron/core/contract/errors';
import { createHandlers, type CoreHandlers } from '../../../electron/core/api/handlers';
import { MAX_VIEWERS } from '../../../electron/core/storage/viewers';
import { exportLog } from '../../../electron/core/export';
import { makeRecord } from '../../helpers/records';
import { openTestCore, type TestCore } from '../api/test-core';

let core: TestCore;
let h: CoreHandlers;
let copy: string;

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isApiError(e)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

beforeEach(async () => {
  core = await openTestCore();
  h = createHandlers(core);
  for (const model of ['kept', 'kept', 'kept', 'other'])
    core.store.enqueue(makeRecord({ model, inputTokens: 100, outputTokens: 30 }));
  await core.store.flush();
  copy = join(core.dir, 'export-2026.sqlite');
  await exportLog({
    source: core.store.path,
    destination: copy,
    format: 'sqlite',
    filter: { model: ['kept'] },
    includeBodies: true,
    includeHeaders: true,
  });
  // The live log moves on after the export: the viewer must show the file, not the live rows.
  core.store.enqueue(makeRecord({ model: 'live-only' }));
  await core.store.flush();
});
afterEach(async () => {
  await core.dispose();
});

describe('db:open and reads with a source', () => {
  it('reads the opened file through every read call, while calls without a source read the live log', async () => {
    const before = readFileSync(copy);
    const opened = await h.openDatabase({ path: copy });
    expect(opened).toMatchObject({ id: expect.stringMatching(/^db\d+$/), path: copy, name: 'export-2026.sqlite' });
    expect(opened.sizeBytes).toBeGreaterThan(0);
    const source = opened.id;

    const page = await h.listRequests({ filter: {}, cursor: null, limit: 100, skip: 0, source });
    expect(page.rows.map((r) => r.model)).toEqual(['kept', 'kept', 'kept']);
    expect(
      (await h.listRequests({ filter: { model: ['kept'] }, cursor: null, limit: 2, skip: 0, source })).nextCursor,
    ).not.toBeNull();
    expect((await h.getRequest({ id: page.rows[0]!.id, source })).model).toBe('kept');
    // 'other' was left out
    expect(await rejection(h.getRequest({ id: 4, source }))).toMatchObject({ code: 'not_found' });
    expect((await h.getStats({ filter: {}, groupBy: 'model', source })).groups.map((g) => g.key)).toEqual(['kept']);
    expect(await h.getTokenRatios({ source })).toEqual([expect.objectContaining({ model: 'kept', sampleCount: 3 })]);

    expect((await h.listRequests({ filter: {}, cursor: null, limit: 100, skip: 0 })).rows).toHaveLength(5);
    expect((await h.getStats({ filter: {}, groupBy: null })).total.requests).toBe(5);
    expect(await h.listDatabases(undefined)).toEqual([opened]);
    // Browsing changed nothing in the file.
    expect(readFileSync(copy).equals(before)).toBe(true);
  });

  it('exports from the viewer, not from the live log', async () => {
    const { id } = await h.openDatabase({ path: copy });
    const out = join(core.dir, 'from-viewer.jsonl');
    const r = await h.exportDatabase({
      format: 'jsonl',
      scope: 'all',
      filter: {},
      includeBodies: false,
      includeHeaders: false,
      destination: out,
      source: id,
    });
    expect(r.rows).toBe(3);
    expect(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).model),
    ).toEqual(['kept', 'kept', 'kept']);
  });

  it('gives the same viewer for the same file, and refuses the live log itself', async () => {
    const a = await h.openDatabase({ path: copy });
    const b = await h.openDatabase({ path: join(core.dir, '.', 'export-2026.sqlite') });
    expect(b.id).toBe(a.id);
    const live = await rejection(h.openDatabase({ path: core.store.path }));
    expect(live).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('is the live log') });
  });

  it('refuses what it cannot read, with the reason, and leaves the file untouched', async () => {
    const junk = join(core.dir, 'notes.txt');
    writeFileSync(junk, 'not a database '.repeat(300));
    const notDb = await rejection(h.openDatabase({ path: junk }));
    expect(notDb).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('is not a SQLite database'),
    });
    expect(readFileSync(junk, 'utf8')).toBe('not a database '.repeat(300));

    const foreign = join(core.dir, 'foreign.sqlite');
    const f = new Database(foreign);
    f.exec('CREATE TABLE notes (x)');
    f.close();
    expect(await rejection(h.openDatabase({ path: foreign }))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not an LLM Request Inspector log'),
    });

    // A log from a newer build: one more applied migration than this build knows.
    const newer = join(core.dir, 'newer.sqlite');
    writeFileSync(newer, readFileSync(copy));
    const n = new Database(newer);
    n.prepare(
      'INSERT INTO schema_migrations (version, name, checksum, ' +
        "applied_at) VALUES (9999, '9999_future.sql', 'x', '2030-01-01')",
    ).run();
    n.close();
    expect(await rejection(h.openDatabase({ path: newer }))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('newer version'),
    });

    expect(await rejection(h.openDatabase({ path: join(core.dir, 'missing.sqlite') }))).toMatchObject({
      code: 'not_found',
    });
    expect(await rejection(h.openDatabase({ path: core.dir }))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not a file'),
    });
    // A path through a file (ENOTDIR), with the system's reason.
    expect(await rejection(h.openDatabase({ path: join(junk, 'inside.sqlite') }))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('ENOTDIR'),
    });
    expect(await rejection(h.openDatabase({ path: 'relative.sqlite' }))).toMatchObject({ code: 'invalid_input' });
    expect(await rejection(h.openDatabase({}))).toMatchObject({ code: 'invalid_input' }); // no host to ask
    expect(await h.listDatabases(undefined)).toEqual([]);
  });

  it('asks the host for the file when no path is given (Electron’s open dialog); a cancel opens nothing', async () => {
    let answer: string | null = copy;
    const withDialog = createHandlers(core, { chooseOpenPath: async () => answer });
    expect(await withDialog.openDatabase({})).toMatchObject({ path: copy, name: 'export-2026.sqlite' });
    answer = null;
    expect(await rejection(withDialog.openDatabase({}))).toMatchObject({ code: 'cancelled' });
    expect((await h.listDatabases(undefined)).map((d) => d.path)).toEqual([copy]);
  });

  it('an unknown or closed id is not_found on every call that takes one', async () => {
    const { id } = await h.openDatabase({ path: copy });
    expect(await h.closeDatabase({ id })).toBeNull();
    const calls = [
      h.listRequests({ filter: {}, cursor: null, limit: 10, skip: 0, source: id }),
      h.getRequest({ id: 1, source: id }),
      h.getStats({ filter: {}, groupBy: null, source: 'db999' }),
      h.getTokenRatios({ source: id }),
      h.exportDatabase({
        format: 'csv',
        scope: 'all',
        filter: {},
        includeBodies: true,
        includeHeaders: true,
        destination: join(core.dir, 'x.csv'),
        source: id,
      }),
      h.closeDatabase({ id }),
    ];
    for (const c of calls)
      expect(await rejection(c)).toMatchObject({
        code: 'not_found',
        message: expect.stringContaining(id === 'db999' ? 'db999' : 'is open'),
      });
    expect(await h.listDatabases(undefined)).toEqual([]);
  });

  it(
    'has no write calls: clear, rebuild and settings take ' + 'no source, so the viewer and the live log are untouched',
    async () => {
      const { id } = await h.openDatabase({ path: copy });
      const before = readFileSync(copy);
      const liveRows = (await h.listRequests({ filter: {}, cursor: null, limit: 100, skip: 0 })).rows;
      const dispatch = createDispatcher(h);
      const session = { ready() {}, close() {} };
      for (const [channel, input] of [
        ['logs:clear', { confirm: true, source: id }],
        ['ratios:rebuild', { source: id }],
        ['settings:update', { source: id }],
      ] as const) {
        expect(await dispatch(channel, input, session)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
      expect(readFileSync(copy).equals(before)).toBe(true);
      expect((await h.listRequests({ filter: {}, cursor: null, limit: 100, skip: 0 })).rows).toEqual(liveRows);
    },
  );

  it('holds at most MAX_VIEWERS open, and closing the core closes them all', async () => {
    for (let i = 0; i < MAX_VIEWERS; i++) {
      const p = join(core.dir, `copy-${i}.sqlite`);
      writeFileSync(p, readFileSync(copy));
      await h.openDatabase({ path: p });
    }
    expect(await rejection(h.openDatabase({ path: copy }))).toMatchObject({ code: 'unavailable' });
    const readers = (await h.listDatabases(undefined)).map((d) => core.viewers.get(d.id));
    await core.viewers.closeAll();
    expect(await h.listDatabases(undefined)).toEqual([]);
    // Each reader's thread is closed: reading through it now fails.
    for (const r of readers) await expect(r.listRequests({}, null, 1)).rejects.toThrow();
  });
});
