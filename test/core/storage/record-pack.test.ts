import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogRecord, RequestRow } from '../../../electron/core/contract/model';
import { openLogStore } from '../../../electron/core/storage';
import { openConnection } from '../../../electron/core/storage/database';
import {
  RecordPacker,
  UnpackError,
  unpackRecords,
  type PackedRecords,
} from '../../../electron/core/storage/record-pack';
import { ROW_SELECT, recordToRow, toRow } from '../../../electron/core/storage/rows';
import { spawnStorageWorker } from '../../../electron/core/storage/spawn-worker';
import { createWriteRepository } from '../../../electron/core/storage/write-repository';
import type { FromWorker, QueuedRecord, ToWorker } from '../../../electron/core/storage/writer-protocol';
import { makeRecord, rng, tempDir } from '../../helpers/records';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A chat body of about `size` characters whose messages repeat across records (the body store templates those). */
const chatBody = (turns: number, extra: string) =>
  JSON.stringify({
    model: 'gpt-4o',
    messages: Array.from({ length: turns }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: `turn ${i} ${'context '.repeat(80)}`,
    })).concat([{ role: 'user', content: extra }]),
  });

/** Records of every shape the proxy makes, and some it should not (the writer must store those as before). */
function mixedRecords(): LogRecord[] {
  const random = rng(17);
  const out: LogRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const r = makeRecord({
      correlationId: `019af0c2-1b2c-7d3e-8f40-${String(i).padStart(12, '0')}`,
      model: ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.0-flash', ''][i % 4]!,
      provider: i % 3 ? 'openai' : 'anthropic',
      policy: i % 5 === 0 ? null : `policy-${i % 3}`,
      streaming: i % 2 === 0,
      status: i % 11 === 0 ? null : i % 7 === 0 ? 500 : 200,
      success: i % 7 !== 0,
      errorStatus: i % 7 === 0 ? 500 : null,
      errorMessage: i % 7 === 0 ? `upstream failed ✗ ${i}` : null,
      inputTokens: i % 9 === 0 ? null : Math.floor(random() * 5000),
      outputTokens: i % 10 === 0 ? null : Math.floor(random() * 900),
      cacheReadTokens: i % 4 === 0 ? 12 : null,
      cacheWriteTokens: i % 6 === 0 ? 3 : null,
      reasoningTokens: i % 8 === 0 ? 40 : null,
      tokensEstimated: i % 13 === 0,
      cost: i % 10 === 0 ? null : random() / 100,
      providerCost: i % 12 === 0 ? 0.25 : null,
      latencyMs: random() * 3000,
      ttfbMs: i % 11 === 0 ? null : random() * 300,
      streamDurationMs: i % 2 === 0 ? random() * 2000 : null,
      finishReason: i % 3 === 0 ? null : 'stop',
      requestBytes: i % 14 === 0 ? null : 1000 + i,
      responseBytes: 2000 + i,
      replayOf: i % 15 === 0 ? 1 : null,
      exchange: {
        requestHeaders: {
          host: '127.0.0.1:8080',
          'content-type': 'application/json',
          authorization: 'Bearer [redacted …abcd]',
          ...(i % 4 === 0 ? { 'x-inspector-thread': `t-${i % 2}`, 'x-ünïcode': 'välue ☃' } : {}),
        },
        responseHeaders:
          i % 11 === 0 ? null : { 'content-type': 'application/json', 'set-cookie': ['a=[redacted]', 'b=[redacted]'] },
        requestBody:
          i % 16 === 0 ? null : chatBody(i % 5, i % 3 ? `plain ${'x'.repeat(i * 40)}` : `naïve 日本語 🙂 ${i}`),
        requestBodyTruncated: i % 17 === 0,
        responseBody:
          i % 16 === 0 ? null : `{"choices":[{"message":{"content":"réponse ${i} ${'y'.repeat(i * 30)}"}}]}`,
        responseBodyTruncated: i % 19 === 0,
      },
    });
    out.push(r);
  }
  // A large body, and headers with odd names and an empty value.
  out.push(
    makeRecord({
      exchange: {
        requestHeaders: { '1': 'numeric name', empty: '', 'x-many': ['', 'two'] },
        responseHeaders: {},
        requestBody: `{"messages":[{"role":"user","content":"${'long ☃ '.repeat(40_000)}"}]}`,
        requestBodyTruncated: true,
        responseBody: '',
        responseBodyTruncated: false,
      },
    }),
  );
  return out;
}

const pack = (items: QueuedRecord[]): PackedRecords => {
  const packer = new RecordPacker(256);
  for (const q of items) packer.add(q.record, q.shed);
  return packer.take()!;
};

describe('record packing (the writer protocol)', () => {
  it('gives the writer back every record as it was packed', () => {
    const items = mixedRecords().map((record, i) => ({ record, shed: i % 9 === 4 }));
    const batch = pack(items);
    expect(batch.count).toBe(items.length);
    expect(unpackRecords(batch)).toEqual(items);
  });

  it('keeps numbers exactly, undefined as null, and a non-number where a number belongs as its text', () => {
    const record = makeRecord({ latencyMs: -0, ttfbMs: 0.1 + 0.2, cost: Number.MIN_VALUE, inputTokens: 2 ** 53 - 1 });
    (record as unknown as Record<string, unknown>)['providerCost'] = undefined;
    (record as unknown as Record<string, unknown>)['status'] = '200';
    const [back] = unpackRecords(pack([{ record, shed: false }]));
    expect(Object.is(back!.record.latencyMs, -0)).toBe(true);
    expect(back!.record).toMatchObject({ ttfbMs: 0.1 + 0.2, cost: Number.MIN_VALUE, inputTokens: 2 ** 53 - 1 });
    expect(back!.record.providerCost).toBeNull();
    expect(back!.record.status).toBe('200');
  });

  it('refuses bytes that are not a batch, with the reason', () => {
    const record = makeRecord();
    const batch = pack([{ record, shed: false }]);
    expect(() => unpackRecords({ ...batch, length: batch.length - 3 })).toThrow(UnpackError);
    expect(() => unpackRecords({ ...batch, count: 2 })).toThrow(/cut short/);
    expect(() => unpackRecords({ ...batch, length: batch.bytes.byteLength + 1 })).toThrow(/beyond/);
    const bad = new Uint8Array(batch.bytes.slice(0));
    // `streaming` follows the first seven fields, each text a u32 and its UTF-8 bytes (policy: null, no bytes).
    const texts = [record.correlationId, record.timestamp, record.method, record.path, record.model, record.provider];
    bad[texts.reduce((at, t) => at + 4 + Buffer.byteLength(t), 0) + 4] = 7;
    expect(() => unpackRecords({ ...batch, bytes: bad.buffer })).toThrow(/boolean 7/);
  });

  it('the writer thread refuses a batch that does not unpack, in its place, and stores the next', async () => {
    const file = join(dir, 'log.sqlite');
    await (await openLogStore(file)).close();
    const worker = spawnStorageWorker('writer-worker', {
      file,
      maxBatch: 500,
      busyTimeoutMs: 100,
      retryDelayMs: 10,
      maxRetryDelayMs: 40,
    });
    const messages: FromWorker[] = [];
    const next = () =>
      new Promise<FromWorker>((resolve) => worker.once('message', (m: FromWorker) => resolve(m))).then((m) => {
        messages.push(m);
        return m;
      });
    try {
      expect(await next()).toEqual({ type: 'ready' });
      const good = pack([{ record: makeRecord(), shed: false }]);
      const broken = {
        ...pack([
          { record: makeRecord(), shed: false },
          { record: makeRecord(), shed: false },
        ]),
      };
      broken.length -= 5;
      const send = (batch: PackedRecords) => worker.postMessage({ type: 'records', batch } satisfies ToWorker);
      send(broken);
      const refused = await next();
      send(good);
      const stored = await next();
      expect(refused).toMatchObject({ type: 'committed', ids: [0, 0], threads: [null, null] });
      expect(refused.type === 'committed' && refused.rejected.map((r) => r.index)).toEqual([0, 1]);
      expect(refused.type === 'committed' && refused.rejected[0]!.reason).toMatch(/^unreadable batch: /);
      expect(stored).toMatchObject({ type: 'committed', ids: [1], rejected: [] });
    } finally {
      await worker.terminate();
    }
  });

  it('stores a mixed batch exactly as the records themselves stored before packing (every table)', async () => {
    const records = mixedRecords();
    // Through the writer as the proxy uses it: packed, posted, unpacked in the writer thread.
    const packedFile = join(dir, 'packed.sqlite');
    const store = await openLogStore(packedFile, { writer: { maxQueuedBytes: Number.MAX_SAFE_INTEGER } });
    const published: RequestRow[] = [];
    store.on('committed', (rows) => published.push(...rows));
    for (const r of records) store.enqueue(r);
    await store.close();
    // The record objects handed to the writer's repository directly: what the writer did with the clone.
    const directFile = join(dir, 'direct.sqlite');
    await (await openLogStore(directFile)).close();
    const db = openConnection(directFile);
    const repo = createWriteRepository(db);
    const { ids, threads } = repo.insertBatch(records.map((record) => ({ record, shed: false })));
    db.close();

    expect(published.map((r) => r.id)).toEqual(ids);
    expect(published).toEqual(
      records.map((r, i) =>
        recordToRow(r, ids[i]!, threads[i] ? { threadId: threads[i][0], turn: threads[i][1] } : undefined),
      ),
    );
    // The rows published after the commit are the rows stored (built on the main thread, never read back).
    const stored = new Database(packedFile, { readonly: true });
    const readBack = (
      stored.prepare(`SELECT ${ROW_SELECT} FROM requests r ORDER BY r.id`).all() as Record<string, unknown>[]
    ).map(toRow);
    stored.close();
    expect(published).toEqual(readBack);
    expect(dump(packedFile)).toEqual(dump(directFile));
    expect(dump(packedFile).get('requests')).toHaveLength(records.length);
  });
});

/** Every table's rows in rowid order, without the columns that hold the time they were written. */
function dump(file: string): Map<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE 'body_fts_%' AND name <> 'schema_migrations' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    const out = new Map<string, unknown[]>();
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[];
      for (const row of rows) for (const c of ['updated_at', 'created_at']) delete row[c];
      out.set(t, rows);
    }
    return out;
  } finally {
    db.close();
  }
}
