// Issue 13, defect 2: an export must never be written over a log in use. The live log, an open
// viewer's file and their -wal/-shm/-journal are refused by every name they can be reached by
// (the path itself, a symlink, a symlinked folder, a hard link), through the API and the engine
// (which the CLI uses); the live log keeps its rows and keeps taking new ones.
import { linkSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isApiError } from '../../../electron/core/contract/errors';
import { createHandlers, type CoreHandlers } from '../../../electron/core/api/handlers';
import { exportLog, isExportError } from '../../../electron/core/export';
import { makeRecord, tempDir } from '../../helpers/records';
import { openTestCore, type TestCore } from '../api/test-core';

let core: TestCore;
let h: CoreHandlers;
let other: { dir: string; cleanup: () => void };
beforeEach(async () => {
  core = await openTestCore();
  h = createHandlers(core);
  other = tempDir('inspector-dest-');
  for (let i = 0; i < 3; i++) core.store.enqueue(makeRecord());
  await core.store.flush();
});
afterEach(async () => {
  await core.dispose();
  other.cleanup();
});

const base = { scope: 'all', filter: {}, includeBodies: true, includeHeaders: true } as const;

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isApiError(e) && !isExportError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

async function liveStillWorks(): Promise<void> {
  core.store.enqueue(makeRecord({ model: 'after' }));
  await core.store.flush();
  const page = await h.listRequests({ filter: {}, cursor: null, limit: 100, skip: 0 });
  expect(page.rows).toHaveLength(4);
  expect(page.rows[0]!.model).toBe('after');
}

describe('export destinations that are logs in use', () => {
  it(
    'refuses the live log, its side files and aliases ' + 'of them in every format, and the live log lives on',
    async () => {
      const live = core.store.path;
      mkdirSync(join(other.dir, 'sub'));
      symlinkSync(live, join(other.dir, 'link.sqlite'));
      symlinkSync(core.dir, join(other.dir, 'folder-link'));
      linkSync(live, join(other.dir, 'hard.sqlite'));
      const aliases = [
        live,
        `${live}-wal`,
        `${live}-shm`,
        `${live}-journal`,
        join(core.dir, 'sub-that-is-not-there', '..', 'log.sqlite'),
        join(other.dir, 'link.sqlite'),
        join(other.dir, 'folder-link', 'log.sqlite'),
        join(other.dir, 'folder-link', 'log.sqlite-wal'),
        join(other.dir, 'hard.sqlite'),
      ];
      for (const format of ['jsonl', 'sqlite', 'csv', 'har'] as const) {
        for (const destination of aliases) {
          const e = await refusal(h.exportDatabase({ ...base, format, destination }));
          expect([destination, e.code]).toEqual([destination, 'invalid_input']);
          expect(e.message).toMatch(/in use; choose another file/);
        }
      }
      // The engine refuses too (the CLI has no API in front of it).
      const e = await refusal(
        exportLog({ ...base, source: live, destination: join(other.dir, 'hard.sqlite'), format: 'jsonl' }),
      );
      expect(e.code).toBe('destination_in_use');
      await liveStillWorks();
    },
  );

  it("refuses an open viewer's file, and a viewer exporting onto the live log", async () => {
    const copy = join(other.dir, 'copy.sqlite');
    await h.exportDatabase({ ...base, format: 'sqlite', destination: copy });
    const before = readFileSync(copy);
    const { id } = await h.openDatabase({ path: copy });
    expect(await refusal(h.exportDatabase({ ...base, format: 'jsonl', destination: copy }))).toMatchObject({
      code: 'invalid_input',
    });
    expect(await refusal(h.exportDatabase({ ...base, format: 'jsonl', destination: copy, source: id }))).toMatchObject({
      code: 'invalid_input',
    });
    expect(
      await refusal(h.exportDatabase({ ...base, format: 'csv', destination: core.store.path, source: id })),
    ).toMatchObject({ code: 'invalid_input' });
    expect(readFileSync(copy).equals(before)).toBe(true);
    // Once closed, the file is an ordinary destination again.
    await h.closeDatabase({ id });
    expect((await h.exportDatabase({ ...base, format: 'sqlite', destination: copy })).rows).toBe(3);
    await liveStillWorks();
  });

  it('in the desktop app paths come only from its dialogs: a path in the call is forbidden', async () => {
    const chosen = join(other.dir, 'chosen.jsonl');
    const desktop = createHandlers(core, { chooseSavePath: async () => chosen, chooseOpenPath: async () => null });
    expect(
      await refusal(desktop.exportDatabase({ ...base, format: 'jsonl', destination: join(other.dir, 'typed.jsonl') })),
    ).toMatchObject({ code: 'forbidden' });
    expect(await refusal(desktop.openDatabase({ path: chosen }))).toMatchObject({ code: 'forbidden' });
    expect((await desktop.exportDatabase({ ...base, format: 'jsonl' })).path).toBe(chosen);
    // What the dialog returns is checked like any other path.
    const onLive = createHandlers(core, { chooseSavePath: async () => core.store.path });
    expect(await refusal(onLive.exportDatabase({ ...base, format: 'jsonl' }))).toMatchObject({ code: 'invalid_input' });
    await liveStillWorks();
  });
});

describe('db:open of the live log', () => {
  it('is refused by a hard link too, not only by its path', async () => {
    const hard = join(other.dir, 'hard.sqlite');
    linkSync(core.store.path, hard);
    expect(await refusal(h.openDatabase({ path: hard }))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('live log'),
    });
  });
});
