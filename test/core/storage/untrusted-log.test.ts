// Issue 13, defect 4 and the read-only folder: a log opened for browsing is a file from anywhere.
// A crafted schema (a `requests` VIEW over an endless query, an extra index) is refused with the
// reason before any query of ours touches it; a query that overruns its budget is stopped with a
// clear error while the proxy keeps answering; and a log in WAL mode is read without writing
// beside it, also from a read-only folder.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createViewers, type Viewers } from '../../../electron/core/storage/viewers';
import { isApiError } from '../../../electron/core/contract/errors';
import { exportLog } from '../../../electron/core/export';
import { openLogStore } from '../../../electron/core/storage';
import { startHarness, type Harness } from '../../helpers/proxy-harness';
import { makeRecord } from '../../helpers/records';

let harness: Harness;
let viewers: Viewers;
let copy: string;
beforeEach(async () => {
  harness = await startHarness();
  for (let i = 0; i < 5; i++) harness.store.enqueue(makeRecord());
  await harness.store.flush();
  copy = join(harness.dir, 'copy.sqlite');
  await exportLog({
    source: harness.store.path,
    destination: copy,
    format: 'sqlite',
    filter: {},
    includeBodies: true,
    includeHeaders: true,
  });
  viewers = createViewers({ livePath: harness.store.path, budgetMs: 400 });
});
afterEach(async () => {
  await viewers.closeAll();
  await harness.close();
});

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isApiError(e)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

/** A copy of the export with `sql` run on it, as someone preparing a file to send would. */
function crafted(name: string, sql: string): string {
  const file = join(harness.dir, name);
  copyFileSync(copy, file);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec(sql);
  db.close();
  return file;
}

const ENDLESS = '(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c)';

describe('a crafted log', () => {
  it('a requests VIEW over an endless query is refused with the reason, and the file left as it was', async () => {
    const file = crafted(
      'view.sqlite',
      `ALTER TABLE requests RENAME TO requests_real;
      CREATE VIEW requests AS SELECT * FROM requests_real WHERE ${ENDLESS} > 0;`,
    );
    const before = readFileSync(file);
    const e = await refusal(viewers.open(file));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(
      new RegExp(
        String.raw`schema this build did not create \(an extra (table "requests_real"|view "requests"); ` +
          String.raw`an extra (table "requests_real"|view "requests")`,
      ),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(viewers.list()).toEqual([]);
  });

  it('so is an extra index, trigger or view beside an otherwise exact schema', async () => {
    for (const [name, sql, what] of [
      ['index.sqlite', 'CREATE INDEX evil ON requests (model)', 'index "evil"'],
      ['trigger.sqlite', 'CREATE TRIGGER evil AFTER INSERT ON requests BEGIN SELECT 1; END', 'trigger "evil"'],
      ['view.sqlite', `CREATE VIEW evil AS SELECT ${ENDLESS}`, 'view "evil"'],
    ] as const) {
      expect(await refusal(viewers.open(crafted(name, sql)))).toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining(`an extra ${what}`),
      });
    }
    // The untouched export opens.
    expect((await viewers.open(copy)).path).toBe(copy);
  });
});

describe('a query over its budget', () => {
  it('is stopped with a clear error while the proxy keeps answering, and the viewer works again after', async () => {
    const { id } = await viewers.open(copy);
    const reader = viewers.get(id);
    expect((await reader.listRequests({}, null, 10)).rows).toHaveLength(5);
    // Another program holds the file's write lock (an export is in rollback mode, where that keeps
    // readers out): the viewer's query waits in SQLite's busy handler, far past the budget.
    const locker = new Database(copy);
    locker.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      const stuck = reader.getStats({}, 'model').then(
        () => null,
        (err: unknown) => err,
      );
      const stuckPage = reader.listPage({ filter: {}, cursor: null, limit: 10, skip: 0 }).then(
        () => null,
        (err: unknown) => err,
      );
      const answer = await fetch(`${harness.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }] }),
      });
      expect(answer.status).toBe(200);
      const e = await stuck;
      expect(isApiError(e) && e.code).toBe('unavailable');
      expect((e as Error).message).toMatch(/took longer than 0\.4 s and was stopped/);
      // A page queued behind it (the list's own path, as db:open's page reads) is told the same.
      const page = await stuckPage;
      expect(isApiError(page) && page.message).toMatch(/was stopped/);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect((await reader.listRequests({}, null, 10)).rows).toHaveLength(5);
  });
});

/** Bind-mounts `dir` read-only (root on Linux); null where this system won't, with the reason printed. */
function readOnlyMount(dir: string, at: string): (() => void) | null {
  try {
    mkdirSync(at);
    execFileSync('mount', ['--bind', '-o', 'ro', dir, at], { stdio: 'pipe' });
    return () => execFileSync('umount', [at]);
  } catch (e) {
    console.warn(
      `read-only mount unavailable here, checking only that nothing is ` +
        `written beside the file: ${(e as Error).message.split('\n')[0]}`,
    );
    return null;
  }
}

describe('a log in WAL mode', () => {
  it('is read without writing beside it, with the rows its WAL holds, also from a read-only folder', async () => {
    // A colleague's log as they left it: WAL mode, rows still in the WAL (not yet checkpointed).
    const archive = join(harness.dir, 'archive');
    mkdirSync(archive);
    const theirs = await openLogStore(join(archive, 'theirs.sqlite'));
    for (let i = 0; i < 3; i++) theirs.enqueue(makeRecord({ model: 'theirs' }));
    await theirs.flush();
    const folder = join(harness.dir, 'shared');
    mkdirSync(folder);
    copyFileSync(join(archive, 'theirs.sqlite-wal'), join(folder, 'theirs.sqlite-wal'));
    copyFileSync(join(archive, 'theirs.sqlite'), join(folder, 'theirs.sqlite'));
    await theirs.close();
    // And one closed cleanly: WAL mode, no side files at all.
    copyFileSync(join(archive, 'theirs.sqlite'), join(folder, 'closed.sqlite'));
    writeFileSync(join(folder, 'readme.txt'), 'hi');
    const listing = readdirSync(folder).sort();

    for (const name of ['theirs.sqlite', 'closed.sqlite']) {
      const { id } = await viewers.open(join(folder, name));
      const rows = (await viewers.get(id).listRequests({}, null, 10)).rows;
      expect([name, rows.length]).toEqual([name, 3]);
      expect(readdirSync(folder).sort()).toEqual(listing);
      await viewers.close(id);
    }
    expect(readdirSync(folder).sort()).toEqual(listing);

    const unmount = readOnlyMount(folder, join(harness.dir, 'ro'));
    if (unmount) {
      try {
        const { id } = await viewers.open(join(harness.dir, 'ro', 'closed.sqlite'));
        expect((await viewers.get(id).getStats({}, 'model')).groups.map((g) => g.key)).toEqual(['theirs']);
        await viewers.close(id);
      } finally {
        unmount();
      }
    }
  });
});
