import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore, type RequestRow, type WriterStatus } from '../../../electron/core/storage';
import type { Worker } from 'node:worker_threads';
import { LogWriter } from '../../../electron/core/storage/writer';
import { makeRecord, tempDir } from '../../helpers/records';

let dir: string;
let cleanup: () => void;
let store: LogStore | null = null;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await store?.close();
  store = null;
  cleanup();
});

const count = (file: string, sql = 'SELECT count(*) FROM requests') => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

function nextStatus(s: LogStore, pred: (st: WriterStatus) => boolean): Promise<WriterStatus> {
  return new Promise((resolve) => {
    const off = s.on('status', (st) => {
      if (pred(st)) {
        off();
        resolve(st);
      }
    });
  });
}

describe('log writer', () => {
  it('lands 10 000 records from 20 concurrent producers exactly once, publishing each commit', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
    const published: RequestRow[] = [];
    store.on('committed', (rows) => published.push(...rows));
    const producer = async (p: number) => {
      for (let i = 0; i < 500; i++) {
        store!.enqueue(makeRecord({ correlationId: `p${p}-${i}` }));
        if (i % 7 === p % 7) await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, p) => producer(p)));
    await store.flush();
    expect(count(file)).toBe(10_000);
    expect(count(file, 'SELECT count(DISTINCT correlation_id) FROM requests')).toBe(10_000);
    expect(count(file, 'SELECT count(*) FROM exchanges')).toBe(10_000);
    expect(published).toHaveLength(10_000);
    expect(new Set(published.map((r) => r.id)).size).toBe(10_000);
    const sample = published[4321]!;
    expect(store.getRequest(sample.id)?.correlationId).toBe(sample.correlationId);
    const status = store.writerStatus();
    expect(status).toMatchObject({ queued: 0, committed: 10_000, dropped: 0, failed: 0, state: 'ok' });
  });

  it('close() writes everything still queued and leaves no WAL behind', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
    for (let i = 0; i < 5000; i++) store.enqueue(makeRecord());
    await store.close();
    store = null;
    expect(count(file)).toBe(5000);
    const { statSync } = await import('node:fs');
    expect(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  });

  it('survives a database locked past its timeout, reports it, and lands the rows once the lock clears', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file, { writer: { busyTimeoutMs: 20, retryDelayMs: 10, maxRetryDelayMs: 40 } });
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE'); // holds the write lock, as another process could
    const failing = nextStatus(store, (s) => s.state === 'retrying');
    for (let i = 0; i < 100; i++) store.enqueue(makeRecord());
    const st = await failing;
    expect(st.lastError).toMatch(/SQLITE_BUSY|locked/);
    expect(st.queued).toBe(100);
    expect(store.listRequests({}, null, 10).rows).toHaveLength(0);
    blocker.exec('ROLLBACK');
    blocker.close();
    await store.flush();
    expect(count(file)).toBe(100);
    expect(store.writerStatus()).toMatchObject({ state: 'ok', lastError: null, queued: 0, committed: 100 });
    expect(store.writerStatus().failed).toBeGreaterThan(0);
  });

  it('when the queue is full, counts and reports the records it drops', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file, {
      writer: { busyTimeoutMs: 20, retryDelayMs: 10, maxRetryDelayMs: 40, maxQueuedRecords: 10 },
    });
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 15; i++) store.enqueue(makeRecord());
    expect(store.writerStatus()).toMatchObject({ queued: 10, dropped: 5 });
    expect(store.writerStatus().lastError).toMatch(/queue full/);
    blocker.exec('ROLLBACK');
    blocker.close();
    await store.flush();
    expect(count(file)).toBe(10);
    expect(store.writerStatus()).toMatchObject({ committed: 10, dropped: 5 });
  });

  it('sheds bodies, not rows, when queued bodies exceed the byte bound', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file, { writer: { maxQueuedBytes: 1000 } });
    const big = 'x'.repeat(800);
    const base = makeRecord().exchange;
    store.enqueue(makeRecord({ correlationId: 'first', exchange: { ...base, requestBody: big } }));
    store.enqueue(makeRecord({ correlationId: 'second', exchange: { ...base, requestBody: big } }));
    await store.flush();
    const rows = store.listRequests({}, null, 10).rows;
    const byCorr = new Map(rows.map((r) => [r.correlationId, store!.getRequest(r.id)!]));
    expect(byCorr.get('first')!.exchange).toMatchObject({ requestBody: big, bodiesDropped: false });
    expect(byCorr.get('second')!.exchange).toMatchObject({ requestBody: null, bodiesDropped: true });
    expect(store.writerStatus().bodiesShed).toBe(1);
  });

  it('counts the byte bound in the UTF-8 of the bodies, not their length', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file, { writer: { maxQueuedBytes: 3000 } });
    // 600 characters, 1 800 bytes: two fit the bound by length (1 200), not by what the queue holds (3 600).
    const cjk = '語'.repeat(600);
    const base = makeRecord().exchange;
    store.enqueue(makeRecord({ correlationId: 'first', exchange: { ...base, responseBody: cjk } }));
    store.enqueue(makeRecord({ correlationId: 'second', exchange: { ...base, responseBody: cjk } }));
    store.enqueue(makeRecord({ correlationId: 'third', exchange: { ...base, responseBody: 'ascii' } }));
    await store.flush();
    const rows = store.listRequests({}, null, 10).rows;
    const byCorr = new Map(rows.map((r) => [r.correlationId, store!.getRequest(r.id)!]));
    expect(byCorr.get('first')!.exchange).toMatchObject({ responseBody: cjk, bodiesDropped: false });
    expect(byCorr.get('second')!.exchange).toMatchObject({ responseBody: null, bodiesDropped: true });
    expect(byCorr.get('third')!.exchange).toMatchObject({ responseBody: 'ascii', bodiesDropped: false });
    expect(store.writerStatus().bodiesShed).toBe(1);
  });

  it('a record that can never be stored is counted and reported; the rest of its batch lands', async () => {
    const file = join(dir, 'log.sqlite');
    store = await openLogStore(file);
    store.enqueue(makeRecord({ correlationId: 'good-1' }));
    store.enqueue(makeRecord({ correlationId: 'bad', timestamp: null as unknown as string }));
    store.enqueue(makeRecord({ correlationId: 'good-2' }));
    await store.flush();
    expect(
      store
        .listRequests({}, null, 10)
        .rows.map((r) => r.correlationId)
        .sort(),
    ).toEqual(['good-1', 'good-2']);
    expect(store.writerStatus()).toMatchObject({ committed: 2, dropped: 1, queued: 0 });
    expect(store.writerStatus().lastError).toMatch(/could not be stored.*NOT NULL/);
  });

  it(
    'extreme numbers never cost a row: implausible counts, costs and times are stored as NULL, and ' +
      'ratios and stats stay finite',
    async () => {
      const file = join(dir, 'log.sqlite');
      store = await openLogStore(file);
      store.enqueue(
        makeRecord({
          correlationId: 'huge',
          model: 'm',
          inputTokens: 12,
          outputTokens: 1e200,
          cost: Infinity,
          providerCost: NaN,
          latencyMs: NaN,
        }),
      );
      store.enqueue(
        makeRecord({
          correlationId: 'odd',
          model: 'm',
          inputTokens: -5,
          outputTokens: 2.5,
          cacheReadTokens: 1e9,
          reasoningTokens: Number.MAX_VALUE,
          cost: -1e308,
        }),
      );
      store.enqueue(makeRecord({ correlationId: 'fine', model: 'm', inputTokens: 10, outputTokens: 20, cost: 0.5 }));
      const published: RequestRow[] = [];
      store.on('committed', (rows) => published.push(...rows));
      await store.flush();
      const rows = store.listRequests({}, null, 10).rows;
      expect(rows.map((r) => r.correlationId).sort()).toEqual(['fine', 'huge', 'odd']);
      const huge = rows.find((r) => r.correlationId === 'huge')!;
      expect(huge).toMatchObject({
        inputTokens: 12,
        outputTokens: null,
        cost: null,
        providerCost: null,
        latencyMs: null,
      });
      expect(rows.find((r) => r.correlationId === 'odd')).toMatchObject({
        inputTokens: null,
        outputTokens: null,
        cacheReadTokens: null,
        reasoningTokens: null,
        cost: null,
      });
      // What the UI is told equals what was stored.
      expect(published.find((r) => r.correlationId === 'huge')).toMatchObject({ outputTokens: null, cost: null });
      expect(store.getTokenRatios()).toMatchObject([{ model: 'm', sampleCount: 1, avgRatio: 2 }]);
      const stats = await store.getStats({}, null);
      expect(Number.isFinite(stats.total.cost ?? 0)).toBe(true);
      expect(store.writerStatus()).toMatchObject({ committed: 3, dropped: 0 });
    },
  );

  describe('when the writer thread stops on its own', () => {
    const threadOf = (w: LogWriter) => (w as unknown as { worker: Worker }).worker;
    const writerOn = async (options: ConstructorParameters<typeof LogWriter>[1]) => {
      const file = join(dir, 'log.sqlite');
      await (await openLogStore(file)).close();
      return { file, writer: new LogWriter(file, options) };
    };

    it('starts a new one: later records land, and what the old one held is counted, never waited on', async () => {
      const { file, writer } = await writerOn({ restartDelayMs: 20 });
      const published: string[] = [];
      writer.on('committed', (rows) => published.push(...rows.map((r) => r.correlationId)));
      for (let i = 0; i < 5; i++) writer.enqueue(makeRecord({ correlationId: `before-${i}` }));
      await writer.flush();
      await threadOf(writer).terminate();
      expect(writer.status()).toMatchObject({ state: 'restarting' });
      expect(writer.status().lastError).toMatch(/writer thread exited \(code 1\); starting it again in 0 s/);
      // Queued while there is no thread, then written by the next one.
      for (let i = 0; i < 5; i++) writer.enqueue(makeRecord({ correlationId: `after-${i}` }));
      await writer.flush();
      expect(count(file)).toBe(10);
      expect(writer.status()).toMatchObject({ state: 'ok', committed: 10, dropped: 0, queued: 0 });
      // Each published row is the record it was (the rows waiting meanwhile were not taken for lost ones).
      expect(published).toEqual([
        ...[0, 1, 2, 3, 4].map((i) => `before-${i}`),
        ...[0, 1, 2, 3, 4].map((i) => `after-${i}`),
      ]);

      // Stopped with a batch posted and not known to be committed: counted as dropped (a row twice
      // would be worse), and flush() settles instead of waiting for a thread that is gone.
      for (let i = 0; i < 3; i++) writer.enqueue(makeRecord({ correlationId: `held-${i}` }));
      const flushed = writer.flush();
      await threadOf(writer).terminate();
      await flushed;
      const st = writer.status();
      expect(st.committed + st.dropped).toBe(13);
      expect(st.queued).toBe(0);
      expect(count(file)).toBeGreaterThanOrEqual(st.committed);
      writer.enqueue(makeRecord({ correlationId: 'last' }));
      await writer.flush();
      expect(count(file, "SELECT count(*) FROM requests WHERE correlation_id = 'last'")).toBe(1);
      await writer.close();
      expect(writer.status().state).toBe('closed');
    });

    it('closes between threads at once, counting what waited for the next one', async () => {
      const { file, writer } = await writerOn({ restartDelayMs: 60_000 });
      await threadOf(writer).terminate();
      writer.enqueue(makeRecord());
      writer.enqueue(makeRecord());
      await expect(writer.rebuildTokenRatios()).rejects.toThrow(/restarting/);
      const flushed = writer.flush();
      await writer.close();
      await flushed;
      expect(writer.status()).toMatchObject({ state: 'closed', dropped: 2, queued: 0 });
      expect(count(file)).toBe(0);
    });
  });

  it('counts records enqueued after close as dropped instead of losing them silently', async () => {
    const file = join(dir, 'log.sqlite');
    const s = await openLogStore(file);
    await s.close();
    s.enqueue(makeRecord());
    expect(s.writerStatus()).toMatchObject({ dropped: 1, state: 'closed' });
  });
});
