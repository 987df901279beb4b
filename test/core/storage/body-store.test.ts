// Request bodies with their repeated parts stored once (migration 0010, storage/body-store.ts): every
// body reads back exactly as captured, a conversation's history is stored once, a log from before
// keeps its bodies as they are, and deleting rows (retention, clear) leaves the parts' reference
// counts equal to a recount from the templates, with no part left that nothing names.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import migrations from 'virtual:migrations';
import { openConnection } from '../../../electron/core/storage/database';
import { migrate } from '../../../electron/core/storage/migrate';
import { splitBody } from '../../../electron/core/storage/body-template';
import { bodyMatchQuery, createBodyIndex } from '../../../electron/core/storage/body-index';
import {
  INSERT_EXCHANGE_SQL,
  INSERT_REQUEST_SQL,
  exchangeParams,
  requestParams,
} from '../../../electron/core/storage/rows';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import type { LogRecord } from '../../../electron/core/contract/model';
import { fuzzParams } from '../../helpers/fuzz';
import { makeRecord, tempDir } from '../../helpers/records';

const withBody = (requestBody: string | null, at: number, truncated = false): LogRecord =>
  makeRecord({
    timestamp: new Date(Date.UTC(2026, 3, 1) + at * 60_000).toISOString(),
    exchange: {
      requestHeaders: {},
      responseHeaders: null,
      requestBody,
      requestBodyTruncated: truncated,
      responseBody: '{"choices":[]}',
      responseBodyTruncated: false,
    },
  });

/** The request bodies of an n-turn agent conversation: each resends the whole history. */
export function conversation(turns: number): string[] {
  const tools = [{ type: 'function', function: { name: 'lookup', description: 'Looks things up. '.repeat(20) } }];
  const messages: unknown[] = [{ role: 'system', content: 'You are a careful agent. '.repeat(170) }];
  const bodies: string[] = [];
  for (let t = 1; t <= turns; t++) {
    messages.push({ role: 'user', content: `Step ${t}: ${'please look into the refund. '.repeat(10)}` });
    bodies.push(JSON.stringify({ model: 'gpt-4o-mini', messages, tools, stream: false }));
    messages.push({ role: 'assistant', content: `Done with step ${t}. ${'The refund went through. '.repeat(8)}` });
  }
  return bodies;
}

function sql<T>(file: string, text: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(text).all() as T[];
  } finally {
    db.close();
  }
}

/**
 * The derived state equals a recount from the templates: the references (each part once per
 * request), the parts (exactly those named), the parts' full-text entries (rowid -id, one each), and
 * the whole index equals one rebuilt from the stored bodies.
 */
function expectPartsEqualRebuild(file: string): void {
  type Ref = { request_id: number; part_id: number };
  const stored = sql<Ref>(file, 'SELECT request_id, part_id FROM body_part_refs ORDER BY request_id, part_id');
  const recount = sql<Ref>(
    file,
    `SELECT DISTINCT t.request_id, j.value AS part_id FROM body_templates t, json_each(t.template) j
      WHERE j.type = 'integer' ORDER BY t.request_id, j.value`,
  );
  expect(stored).toEqual(recount);
  const named = [...new Set(stored.map((r) => r.part_id))].sort((a, b) => a - b);
  expect(sql<{ id: number }>(file, 'SELECT id FROM body_parts ORDER BY id').map((r) => r.id)).toEqual(named);
  const db = openConnection(file);
  try {
    const read = () => [
      db.prepare('SELECT rowid FROM body_fts ORDER BY rowid').pluck().all(),
      ...['refund', 'careful agent', 'step 7', 'lookup*'].map((q) =>
        db.prepare('SELECT rowid FROM body_fts WHERE body_fts MATCH ? ORDER BY rowid').pluck().all(bodyMatchQuery(q)),
      ),
    ];
    const live = read();
    expect((live[0] as number[]).filter((id) => id < 0)).toEqual(named.map((id) => -id).reverse());
    db.transaction(() => createBodyIndex(db).rebuild())();
    expect(read()).toEqual(live);
  } finally {
    db.close();
  }
}

describe('body store', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  let store: LogStore;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
  });
  afterAll(async () => {
    await store.close();
    cleanup();
  });

  it('stores a conversation history once and reads every body back exactly', async () => {
    const bodies = conversation(30);
    const first = (await store.flush(), sql<{ n: number }>(file, 'SELECT count(*) AS n FROM requests')[0]!.n);
    bodies.forEach((b, i) => store.enqueue(withBody(b, i)));
    await store.flush();
    const ids = bodies.map((_, i) => first + 1 + i);
    for (const [i, id] of ids.entries()) expect(store.getRequest(id)?.exchange.requestBody).toBe(bodies[i]);
    // Every turn but the small first ones is a template; the parts are the distinct messages and tools.
    const { templates, whole } = sql<{ templates: number; whole: number }>(
      file,
      `SELECT count(t.request_id) AS templates, count(e.request_body) AS whole FROM exchanges e
        LEFT JOIN body_templates t USING (request_id) WHERE e.request_id > ${first}`,
    )[0]!;
    expect(templates + whole).toBe(30);
    expect(templates).toBe(30);
    const { parts } = sql<{ parts: number }>(file, 'SELECT count(*) AS parts FROM body_parts')[0]!;
    expect(parts).toBe(1 + 1 + 30 + 29); // system, the tool, 30 user messages, 29 replies
    const stored = sql<{ n: number }>(
      file,
      'SELECT (SELECT sum(length(body)) FROM body_parts) + (SELECT sum(length(template)) FROM body_templates) AS n',
    )[0]!.n;
    const whole30 = bodies.reduce((n, b) => n + b.length, 0);
    expect(stored).toBeLessThan(whole30 / 8);
    // body: finds every turn that holds the words, though they are stored (and indexed) once.
    const found = await store.listScan({ query: 'body:"Step 3: please"' }, { column: 'time', dir: 'asc' }, null, 100);
    expect(found.rows.map((r) => r.id)).toEqual(ids.slice(2));
    expectPartsEqualRebuild(file);
  });

  it('round-trips any body byte for byte, through the writer and the view', async () => {
    const ws = fc.constantFrom('', ' ', '\n', '\t', '  \r\n ');
    const message = fc.record({
      role: fc.constantFrom('user', 'assistant', 'tool'),
      content: fc.oneof(fc.string({ unit: 'grapheme', minLength: 40, maxLength: 200 }), fc.string({ minLength: 60 })),
    });
    // JSON written by hand: odd whitespace, duplicate keys, \u escapes, and messages stringified in varied ways.
    const jsonish = fc
      .tuple(fc.array(message, { minLength: 1, maxLength: 12 }), ws, ws, fc.boolean(), fc.boolean())
      .map(([msgs, a, b, dup, escape]) => {
        const items = msgs.map((m, i) => (i % 2 ? JSON.stringify(m, null, 2) : JSON.stringify(m)));
        const model = `"model"${b}:${a}"m"${dup ? ',"model":"n"' : ''}`;
        // A long system prompt first: bodies under MIN_TEMPLATED_BODY are stored whole.
        items.unshift(JSON.stringify({ role: 'system', content: 'Be exact. '.repeat(420) }));
        let text = `{${a}${model},${b}"messages":${a}[${a}${items.join(`,${b}`)}${a}]${b}}`;
        if (escape) text = text.replace(/é/g, '\\u00e9').replace(/"content":"/, '"content":"\\u00e9\\ud83d\\ude00 ');
        return text;
      });
    const body = fc.oneof(
      jsonish,
      jsonish.chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))), // cut at capture
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.string({ minLength: 4100, maxLength: 6000 }).map((s) => `{"messages":[${JSON.stringify(s)},${s}]}`),
      fc.constant(null),
    );
    let at = 1000;
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 6 }), async (bodies) => {
        const before = sql<{ n: number }>(file, 'SELECT max(id) AS n FROM requests')[0]!.n;
        bodies.forEach((b) => store.enqueue(withBody(b, at++, b !== null && !b.endsWith('}'))));
        await store.flush();
        const viewed = sql<{ request_body: string | null }>(
          file,
          `SELECT request_body FROM request_bodies WHERE request_id > ${before} ORDER BY request_id`,
        );
        // Text SQLite can't hold exactly (lone surrogates) is stored as SQLite stores it, templated or not.
        const asStored = (b: string | null) => (b === null ? null : Buffer.from(b, 'utf8').toString('utf8'));
        expect(viewed.map((r) => r.request_body)).toEqual(bodies.map(asStored));
        bodies.forEach((b, i) => expect(store.getRequest(before + 1 + i)?.exchange.requestBody).toBe(asStored(b)));
      }),
      fuzzParams(60),
    );
    // The property ran over templated bodies, not only whole ones.
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM body_templates')[0]!.n).toBeGreaterThan(100);
    expectPartsEqualRebuild(file);
  });

  it('retention and clear release the parts of the rows they delete, and nothing else', async () => {
    const base = 5000;
    conversation(12).forEach((b, i) => store.enqueue(withBody(b, base + i)));
    await store.flush();
    const last = sql<{ n: number }>(file, 'SELECT max(id) AS n FROM requests')[0]!.n;
    const kept = conversation(12).slice(-3);
    // Rows older than the last three turns go; the last three keep reading back whole.
    await store.prune({
      olderThan: new Date(Date.UTC(2026, 3, 1) + (base + 9) * 60_000).toISOString(),
      maxBytes: null,
      batch: 100_000,
    });
    expectPartsEqualRebuild(file);
    expect([last - 2, last - 1, last].map((id) => store.getRequest(id)?.exchange.requestBody)).toEqual(kept);
    await store.clearLogs(null);
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM body_parts')[0]!.n).toBe(0);
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM body_part_refs')[0]!.n).toBe(0);
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM body_templates')[0]!.n).toBe(0);
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM body_fts')[0]!.n).toBe(0);
  });
});

it('splits only what it can give back, and keeps small bodies whole', () => {
  expect(splitBody('{"messages":[]}')).toBeNull();
  const body = conversation(3)[2]!;
  const split = splitBody(body)!;
  expect(split.parts.map((p) => JSON.parse(p) as { role?: string }).map((p) => p.role ?? 'tool')).toEqual([
    'system',
    'user',
    'assistant',
    'user',
    'assistant',
    'user',
    'tool',
  ]);
  expect(splitBody(`[${body}]`)).toBeNull(); // not an object at the top
});

it('a log from before the body store keeps its bodies whole and reads them unchanged', async () => {
  const { dir, cleanup } = tempDir();
  const old = join(dir, 'old.sqlite');
  const db = openConnection(old);
  migrate(
    db,
    old,
    migrations.filter((m) => !m.name.startsWith('0010')),
  );
  const bodies = conversation(4);
  db.transaction(() =>
    bodies.forEach((b, i) => {
      const r = withBody(b, i);
      const id = Number(db.prepare(INSERT_REQUEST_SQL).run(requestParams(r)).lastInsertRowid);
      db.prepare(INSERT_EXCHANGE_SQL).run(exchangeParams(id, r.exchange, false));
    }),
  )();
  db.close();
  const reopened = await openLogStore(old);
  try {
    reopened.enqueue(withBody(bodies[3]!, 10));
    await reopened.flush();
    expect([1, 2, 3, 4, 5].map((id) => reopened.getRequest(id)?.exchange.requestBody)).toEqual([...bodies, bodies[3]]);
    // The old rows stay as they were; only the new one is a template.
    expect(sql<{ request_id: number }>(old, 'SELECT request_id FROM body_templates')).toEqual([{ request_id: 5 }]);
  } finally {
    await reopened.close();
    cleanup();
  }
});
