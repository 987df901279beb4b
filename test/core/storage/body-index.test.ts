// The bodies' full-text index (migration 0009, storage/body-index.ts): `body:` and the list's bodies
// search match words, prefixes and phrases through it; the writer keeps it in the row's transaction,
// retention and clear take entries out with their rows, and a log from before it gets it built when
// opened. Whatever happened, the index equals one rebuilt from the stored bodies.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import migrations from 'virtual:migrations';
import { openConnection } from '../../../electron/core/storage/database';
import { migrate } from '../../../electron/core/storage/migrate';
import {
  INSERT_EXCHANGE_SQL,
  INSERT_REQUEST_SQL,
  exchangeParams,
  requestParams,
} from '../../../electron/core/storage/rows';
import { bodyMatchQuery, createBodyIndex, indexableText } from '../../../electron/core/storage/body-index';
import { openLogStore, type LogStore, type RequestFilter } from '../../../electron/core/storage';
import type { LogRecord } from '../../../electron/core/contract/model';
import { makeRecord, tempDir } from '../../helpers/records';

const chat = (text: string) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
const answer = (text: string) => JSON.stringify({ choices: [{ message: { role: 'assistant', content: text } }] });
const IMAGE = 'iVBORw0KGgo' + 'QUJDRGVmZ2hpamtsbW5vcA'.repeat(250) + 'refundzz';

/** Each body, in the order written (ids 1, 2, …). */
const BODIES: [string | null, string | null][] = [
  [chat('I would like a refund please'), answer('Refunds take five days.')],
  [chat('What is your refund policy?'), answer('Our policy on refunds: thirty days.')],
  [chat('line one\nrefunded already'), null],
  [chat('Élan vital, written \u00e9lan'), answer('ok')],
  [chat(`see data:image/png;base64,${IMAGE} attached`), answer('a picture of a cat')],
  [null, null],
  [chat('nothing to see'), answer('"refund" said the clerk')],
];

const record = (i: number, at: number): LogRecord => {
  const r = makeRecord({
    correlationId: `b-${i}`,
    timestamp: new Date(Date.UTC(2026, 5, 1) + at * 60_000).toISOString(),
  });
  const [req, res] = BODIES[i % BODIES.length]!;
  return { ...r, exchange: { ...r.exchange, requestBody: req, responseBody: res } };
};

let store: LogStore;
let file: string;
let cleanup: () => void;
beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  file = join(dir, 'log.sqlite');
  store = await openLogStore(file);
});
afterEach(async () => {
  await store.close();
  cleanup();
});

const ids = async (filter: RequestFilter) =>
  (await store.listScan(filter, { column: 'time', dir: 'asc' }, null, 1000)).rows.map((r) => r.correlationId);
const body = (q: string) => ids({ query: q });

/** The index's rowids for each query, then the same after rebuilding it from the stored bodies. */
function expectEqualsRebuild(queries: string[]) {
  const db = openConnection(file);
  try {
    const index = createBodyIndex(db);
    const read = () => [
      db.prepare('SELECT rowid FROM body_fts ORDER BY rowid').pluck().all(),
      ...queries.map((q) =>
        db.prepare('SELECT rowid FROM body_fts WHERE body_fts MATCH ? ORDER BY rowid').pluck().all(bodyMatchQuery(q)),
      ),
    ];
    const live = read();
    db.transaction(() => index.rebuild())();
    expect(live).toEqual(read());
  } finally {
    db.close();
  }
}

describe('body: matches words through the full-text index', () => {
  beforeEach(async () => {
    BODIES.forEach((_, i) => store.enqueue(record(i, i)));
    await store.flush();
  });

  it('a word, in either body, in any case; not the middle of a longer word', async () => {
    expect(await body('body:"refund"')).toEqual(['b-0', 'b-1', 'b-6']);
    expect(await body('body:REFUND')).toEqual(['b-0', 'b-1', 'b-6']);
    expect(await body('body:"cat"')).toEqual(['b-4']);
    expect(await body('body:fund')).toEqual([]);
  });

  it('a prefix, a phrase, and a phrase ending in a prefix', async () => {
    expect(await body('body:refund*')).toEqual(['b-0', 'b-1', 'b-2', 'b-6']);
    expect(await body('body:"refund policy"')).toEqual(['b-1']);
    expect(await body('body:"policy refund"')).toEqual([]);
    expect(await body('body:"policy on ref*"')).toEqual(['b-1']);
  });

  it('JSON escapes are read as what they stand for; accents fold; images are not words', async () => {
    // "line one\nrefunded" is stored with a backslash-n: the word is still "refunded".
    expect(await body('body:refunded')).toEqual(['b-2']);
    expect(await body('body:elan')).toEqual(['b-3']);
    expect(await body('body:"élan vital"')).toEqual(['b-3']);
    expect(await body('body:refundzz')).toEqual([]);
    expect(await body('body:"attached"')).toEqual(['b-4']);
  });

  it('combines with the rest of the language; NOT keeps rows without bodies', async () => {
    expect(await body('-body:refund*')).toEqual(['b-3', 'b-4', 'b-5']);
    expect(await body('body:refund OR body:cat')).toEqual(['b-0', 'b-1', 'b-4', 'b-6']);
    expect(await body('body:"%"')).toEqual([]);
    expect(await body('-body:"%"')).toHaveLength(BODIES.length);
  });

  it('the list’s bodies search finds words in bodies beside the columns', async () => {
    expect(await ids({ text: 'refund', searchBodies: true })).toEqual(['b-0', 'b-1', 'b-6']);
    expect(await ids({ text: 'b-3', searchBodies: true })).toEqual(['b-3']);
    expect(await ids({ text: 'refund' })).toEqual([]);
  });
});

describe('kept equal to a rebuild', () => {
  const QUERIES = ['refund', 'refund*', 'cat', 'policy on', 'elan'];

  it('through writes, retention pruning and clearing', async () => {
    for (let i = 0; i < 70; i++) store.enqueue(record(i, i));
    await store.flush();
    expectEqualsRebuild(QUERIES);
    const before = (await body('body:refund*')).length;

    // Rows older than minute 35 go: their entries with them.
    expect(
      await store.prune({
        olderThan: new Date(Date.UTC(2026, 5, 1) + 35 * 60_000).toISOString(),
        maxBytes: null,
        batch: 100,
      }),
    ).toBe(35);
    expect((await body('body:refund*')).length).toBeLessThan(before);
    expect((await body('body:refund*')).every((c) => Number(c.slice(2)) >= 35)).toBe(true);
    expectEqualsRebuild(QUERIES);

    await store.clearLogs(new Date(Date.UTC(2026, 5, 1) + 60 * 60_000).toISOString());
    expect(await body('body:refund*')).toEqual(['b-62', 'b-63', 'b-64', 'b-65', 'b-69']);
    expectEqualsRebuild(QUERIES);

    await store.clearLogs(null);
    expect(await body('body:refund*')).toEqual([]);
    expectEqualsRebuild(QUERIES);
  });

  it('bodies the writer shed are not indexed (they are not stored)', async () => {
    const db = openConnection(file);
    try {
      const index = createBodyIndex(db);
      db.transaction(() => {
        const r = record(0, 0);
        const id = Number(db.prepare(INSERT_REQUEST_SQL).run(requestParams(r)).lastInsertRowid);
        db.prepare(INSERT_EXCHANGE_SQL).run(exchangeParams(id, r.exchange, true));
        index.add(id, r.exchange, true, null);
      })();
      expect(db.prepare('SELECT count(*) FROM body_fts').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expectEqualsRebuild(QUERIES);
  });
});

it('a log from before the index gets it built when opened', async () => {
  const { dir, cleanup: done } = tempDir();
  const old = join(dir, 'old.sqlite');
  const db = openConnection(old);
  migrate(
    db,
    old,
    migrations.filter((m) => !m.name.startsWith('0009')),
  );
  db.transaction(() =>
    BODIES.forEach((_, i) => {
      const r = record(i, i);
      const id = Number(db.prepare(INSERT_REQUEST_SQL).run(requestParams(r)).lastInsertRowid);
      db.prepare(INSERT_EXCHANGE_SQL).run(exchangeParams(id, r.exchange, false));
    }),
  )();
  db.close();
  const reopened = await openLogStore(old);
  try {
    const page = await reopened.listScan({ query: 'body:refund*' }, { column: 'time', dir: 'asc' }, null, 100);
    expect(page.rows.map((r) => r.correlationId)).toEqual(['b-0', 'b-1', 'b-2', 'b-6']);
  } finally {
    await reopened.close();
    done();
  }
});

it('indexableText is what the comments say', () => {
  expect(indexableText(null)).toBeNull();
  expect(indexableText('"a\\nb \\u00e9t\\u00e9 \\"c\\""')).toBe('"a b été  c "');
  expect(indexableText(`x ${'A'.repeat(5000)} y`)).toBe('x   y');
  // A short body can't hold an image worth the scan: left as it is.
  expect(indexableText(`x ${'A'.repeat(300)} y`)).toBe(`x ${'A'.repeat(300)} y`);
  expect(bodyMatchQuery('say "hi"')).toBe('"say ""hi"""');
  expect(bodyMatchQuery('refund*')).toBe('"refund"*');
  expect(bodyMatchQuery('*')).toBeNull();
});
