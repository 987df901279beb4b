import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportLog } from '../../../electron/core/export';
import { writeSnapshot } from '../../../electron/core/export/sqlite-snapshot';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, randomRecord, rng, tempDir } from '../../helpers/records';

let dir: string;
let cleanup: () => void;
let store: LogStore;
let db: string;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'log.sqlite');
  store = await openLogStore(db);
});
afterEach(async () => {
  await store.close();
  cleanup();
});

const body = 'x'.repeat(2000);
const bulky = (i: number) =>
  makeRecord({
    correlationId: `pre-${i}`,
    exchange: {
      requestHeaders: {},
      responseHeaders: null,
      requestBody: body,
      requestBodyTruncated: false,
      responseBody: body,
      responseBodyTruncated: false,
    },
  });

function withDb<T>(file: string, fn: (d: Database.Database) => T): T {
  const d = new Database(file, { readonly: true });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}

const hasSqliteCli = spawnSync('sqlite3', ['-version']).status === 0;

describe('SQLite snapshot', () => {
  it(
    'under a concurrent write load holds exactly the ' + 'rows committed up to one commit, and opens everywhere',
    async () => {
      for (let i = 0; i < 4_000; i++) store.enqueue(bulky(i));
      await store.flush();
      // Every commit's last id: a consistent snapshot ends exactly at one of them.
      const commitEnds = new Set<number>();
      let newest = 0;
      let loadRunning: () => void = () => undefined;
      const loadStarted = new Promise<void>((resolve) => (loadRunning = resolve));
      store.on('committed', (rows) => {
        newest = rows.at(-1)!.id;
        commitEnds.add(newest);
        if (newest >= 4_300) loadRunning();
      });
      newest = withDb(db, (d) => d.prepare('SELECT max(id) FROM requests').pluck().get() as number);
      commitEnds.add(newest);

      let writing = true;
      let produced = 0;
      const producer = (async () => {
        while (writing) {
          for (let i = 0; i < 50; i++) store.enqueue(bulky(100_000 + produced++));
          await new Promise((r) => setTimeout(r, 2)); // pacing: 50 records every ~2 ms, not a wait for an event
        }
      })();
      // Let the load get going before the snapshot starts.
      await loadStarted;
      const before = newest;
      const out = join(dir, 'snap.sqlite');
      const result = await exportLog({
        source: db,
        destination: out,
        format: 'sqlite',
        filter: {},
        includeBodies: true,
        includeHeaders: true,
      });
      const after = newest;
      writing = false;
      await producer;
      await store.flush();
      expect(after).toBeGreaterThan(before); // the load really ran during the snapshot

      const ids = withDb(out, (d) => d.prepare('SELECT id FROM requests ORDER BY id').pluck().all() as number[]);
      const last = ids.at(-1)!;
      expect(result.rows).toBe(ids.length);
      // A prefix of the log with no gaps (ids are never reused and nothing was deleted)...
      expect(ids.length).toBe(last);
      expect(ids[0]).toBe(1);
      // ...ending at a commit that happened between the export's start and its end.
      expect(last).toBeGreaterThanOrEqual(before);
      expect(last).toBeLessThanOrEqual(after);
      expect(commitEnds.has(last)).toBe(true);
      withDb(out, (d) => {
        expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(d.pragma('journal_mode', { simple: true })).toBe('delete');
        expect(d.prepare('SELECT count(*) FROM exchanges').pluck().get()).toBe(last);
      });
      expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);

      if (hasSqliteCli) {
        const cli = spawnSync('sqlite3', ['-readonly', out, 'PRAGMA integrity_check; SELECT count(*) FROM requests;'], {
          encoding: 'utf8',
        });
        expect(cli.status).toBe(0);
        expect(cli.stdout.trim().split('\n')).toEqual(['ok', String(last)]);
      }

      const reopened = await openLogStore(out);
      try {
        expect((await reopened.getStats({}, null)).total.requests).toBe(last);
        expect(reopened.getRequest(last)?.exchange.requestBody).toBe(body);
      } finally {
        await reopened.close();
      }
      // A few seconds (a real write load during a real backup). The longer limit is headroom on a busy
      // two-core machine; a backup that restarts without end fails the test either way.
    },
    90_000,
  );

  it('finishes when every step of the backup sees a commit that grows the log', async () => {
    // The writer commits whenever it likes; here a commit lands between every two backup steps,
    // each one growing the file, which is what a busy proxy does to a long copy. The backup must
    // still end, promptly, at one of those commits.
    const src = join(dir, 'busy.sqlite');
    const writer = new Database(src);
    try {
      writer.pragma('journal_mode = WAL');
      writer.exec('CREATE TABLE requests (id INTEGER PRIMARY KEY, b BLOB NOT NULL)');
      // 40 MiB: several steps' worth of pages.
      writer.exec(
        'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n ' +
          'WHERE i < 640) INSERT INTO requests (b) SELECT zeroblob(65536) FROM n',
      );
      const grow = writer.prepare('INSERT INTO requests (b) VALUES (zeroblob(1048576))');
      let steps = 0;
      const rows = await writeSnapshot(
        {
          source: src,
          filter: {},
          includeBodies: true,
          includeHeaders: true,
          onProgress: (p) => {
            if (p.phase !== 'copying') return;
            steps++;
            // Bounded, so a backup that would never converge fails on the count below, not on a timeout.
            if (steps <= 30) grow.run();
          },
        },
        join(dir, 'busy-copy.sqlite'),
      );
      expect(steps).toBeLessThanOrEqual(4);
      const committed = writer.prepare('SELECT count(*) FROM requests').pluck().get() as number;
      expect(rows).toBeGreaterThan(640);
      expect(rows).toBeLessThanOrEqual(committed);
    } finally {
      writer.close();
    }
  });

  it(
    'a filtered, ranged, bodiless snapshot keeps only those rows, ' +
      'blanks bodies and headers, re-learns ratios, and is vacuumed',
    async () => {
      const rand = rng(7);
      const start = Date.UTC(2026, 1, 1);
      for (let i = 0; i < 3000; i++) {
        const r = randomRecord(rand, start, i);
        store.enqueue({ ...r, exchange: { ...r.exchange, requestBody: body, responseBody: body } });
      }
      await store.flush();
      const filter = {
        model: ['gpt-4o-mini', 'gpt-4.1'],
        since: new Date(start + 600_000).toISOString(),
        until: new Date(start + 3_000_000).toISOString(),
      };
      const expected = store.listRequests(filter, null, 1000);
      const full = join(dir, 'full.sqlite');
      const part = join(dir, 'part.sqlite');
      await exportLog({
        source: db,
        destination: full,
        format: 'sqlite',
        filter: {},
        includeBodies: true,
        includeHeaders: true,
      });
      const result = await exportLog({
        source: db,
        destination: part,
        format: 'sqlite',
        filter,
        includeBodies: false,
        includeHeaders: false,
      });

      const all: number[] = [];
      for (let page = expected; ; page = store.listRequests(filter, page.nextCursor, 1000)) {
        all.push(...page.rows.map((r) => r.id));
        if (!page.nextCursor) break;
      }
      expect(all.length).toBeGreaterThan(100);
      expect(result.rows).toBe(all.length);
      withDb(part, (d) => {
        expect(d.prepare('SELECT id FROM requests ORDER BY id').pluck().all()).toEqual([...all].sort((a, b) => a - b));
        expect(
          d
            .prepare('SELECT count(*) FROM exchanges WHERE request_body IS NOT NULL OR response_body IS NOT NULL')
            .pluck()
            .get(),
        ).toBe(0);
        // Nor their words: the full-text index of the bodies is empty too.
        expect(d.prepare('SELECT count(*) FROM body_fts').pluck().get()).toBe(0);
        expect(
          d
            .prepare("SELECT count(*) FROM exchanges WHERE request_headers != '{}' OR response_headers IS NOT NULL")
            .pluck()
            .get(),
        ).toBe(0);
        expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(d.pragma('freelist_count', { simple: true })).toBe(0);
      });
      expect(statSync(part).size).toBeLessThan(statSync(full).size / 4);

      const opened = await openLogStore(part);
      try {
        // Ratios describe what the file holds, as a recomputation from its rows gives.
        const ratios = opened.getTokenRatios();
        await opened.rebuildTokenRatios();
        expect(opened.getTokenRatios().map((r) => ({ ...r, updatedAt: '' }))).toEqual(
          ratios.map((r) => ({ ...r, updatedAt: '' })),
        );
        expect(ratios.every((r) => r.model === 'gpt-4o-mini' || r.model === 'gpt-4.1')).toBe(true);
        expect(ratios.reduce((n, r) => n + r.sampleCount, 0)).toBeGreaterThan(0);
      } finally {
        await opened.close();
      }
    },
  );
});
