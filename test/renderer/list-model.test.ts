import { describe, expect, it } from 'vitest';
import type { ListCursor, ListSort, RequestFilter, RequestRow } from '../../electron/core/contract/model';
import { DEFAULT_SORT, ListModel, PAGE_SIZE } from '../../renderer/src/model/list-model';

function row(id: number, over: Partial<RequestRow> = {}): RequestRow {
  return {
    id,
    correlationId: `c${id}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, id)).toISOString(),
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    provider: 'openai',
    policy: null,
    streaming: false,
    status: 200,
    success: true,
    errorStatus: null,
    errorMessage: null,
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    tokensEstimated: false,
    cost: null,
    providerCost: null,
    latencyMs: 12,
    ttfbMs: 3,
    streamDurationMs: null,
    threadId: null,
    turn: null,
    finishReason: 'stop',
    requestBytes: 100,
    responseBytes: 200,
    replayOf: null,
    ...over,
  };
}

/** An in-memory log of `n` rows served in keyset pages in the asked order, like the store does. */
function fakeLog(n: number, make: (id: number) => RequestRow = (id) => row(id)) {
  const rows = Array.from({ length: n }, (_, i) => make(n - i));
  const calls: { cursor: ListCursor | null; sort: ListSort; skip: number }[] = [];
  const fetch = async (_f: RequestFilter, cursor: ListCursor | null, limit: number, sort: ListSort, skip: number) => {
    calls.push({ cursor, sort, skip });
    // Cost order, NULLs last, for the sorted tests; time order (newest first) otherwise.
    const ordered =
      sort.column === 'cost'
        ? [...rows].sort(
            (a, b) =>
              (a.cost === null ? 1 : 0) - (b.cost === null ? 1 : 0) ||
              (sort.dir === 'asc' ? 1 : -1) * ((a.cost ?? 0) - (b.cost ?? 0) || a.id - b.id),
          )
        : rows;
    const start = (cursor ? ordered.findIndex((r) => r.id === cursor.id) + 1 : 0) + skip;
    const page = ordered.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start + limit < ordered.length;
    const next =
      sort.column === 'cost'
        ? { value: last?.cost ?? null, id: last?.id ?? 0 }
        : { timestamp: last?.timestamp ?? '', id: last?.id ?? 0 };
    // A far page carries the rows after its cursor, counted by the server in the same read.
    const remaining = skip > 0 ? { remaining: ordered.length - (start - skip) } : {};
    return { rows: page, nextCursor: more && last ? next : null, ...remaining };
  };
  return { fetch, calls };
}

function manualFrames() {
  const queue: (() => void)[] = [];
  return { schedule: (fn: () => void) => void queue.push(fn), run: () => queue.splice(0).forEach((fn) => fn()), queue };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ListModel', () => {
  it(
    'loads the first keyset page, then reaches a far ' + 'page in one call by skipping from the nearest cursor',
    async () => {
      const n = PAGE_SIZE * 50 + 7;
      const log = fakeLog(n);
      const m = new ListModel(log.fetch, manualFrames().schedule);
      m.setFilter({});
      m.setTotalHint(n);
      // Nothing is skipped from the top of the log (page 0's null cursor): rows committed since
      // the snapshot are there. The far page waits for page 0's cursor.
      m.ensureRange(PAGE_SIZE * 50, n);
      expect(log.calls).toEqual([{ cursor: null, sort: DEFAULT_SORT, skip: 0 }]);
      for (let i = 0; i < 5; i++) await settle();
      expect(log.calls.map((c) => c.skip)).toEqual([0, PAGE_SIZE * 49]);
      expect(m.isComplete).toBe(true);
      expect(m.count).toBe(n);
      expect(m.item(n - 1)).toMatchObject({ kind: 'row', row: { id: 1 } });
      expect(m.item(PAGE_SIZE * 50)).toMatchObject({ kind: 'row', row: { id: n - PAGE_SIZE * 50 } });

      // Scrolling up from there: each page above is a skip from the nearest cursor before it.
      m.ensureRange(PAGE_SIZE * 30, PAGE_SIZE * 30 + 40);
      for (let i = 0; i < 5; i++) await settle();
      m.ensureRange(PAGE_SIZE * 49 - 10, PAGE_SIZE * 49 + 10);
      for (let i = 0; i < 5; i++) await settle();
      expect(log.calls.slice(2).map((c) => c.skip)).toEqual([PAGE_SIZE * 29, PAGE_SIZE * 17, 0]);
      for (const i of [PAGE_SIZE * 30, PAGE_SIZE * 30 + 39, PAGE_SIZE * 49 - 10, PAGE_SIZE * 49 + 9]) {
        expect(m.item(i)).toMatchObject({ kind: 'row', row: { id: n - i } });
      }
    },
  );

  it('takes its exact length from a far page, whatever the stats total said', async () => {
    for (const hint of [PAGE_SIZE * 90, PAGE_SIZE * 30]) {
      const n = PAGE_SIZE * 60 + 13;
      const log = fakeLog(n);
      const m = new ListModel(log.fetch, manualFrames().schedule);
      m.setFilter({});
      m.setTotalHint(hint);
      await settle();
      // The middle of the list as the hint places it: one far read, and the scrollbar is exact.
      m.ensureRange(Math.floor(hint / 2), Math.floor(hint / 2) + 40);
      for (let i = 0; i < 5; i++) await settle();
      expect(log.calls.map((c) => c.skip)).toEqual([0, (Math.floor(hint / 2 / PAGE_SIZE) - 1) * PAGE_SIZE]);
      expect(m.count).toBe(n);
      expect(m.isComplete).toBe(false);
      // The bottom (two pages: the last holds 13 rows): the oldest rows, one far read and its neighbour.
      m.ensureRange(n - 40, n);
      for (let i = 0; i < 5; i++) await settle();
      expect(log.calls).toHaveLength(4);
      expect(m.item(n - 40)).toMatchObject({ kind: 'row', row: { id: 40 } });
      expect(m.item(n - 1)).toMatchObject({ kind: 'row', row: { id: 1 } });
      expect(m.count).toBe(n);
    }
  });

  it('keeps the stats total across a re-sort of the same filter, not across another filter', async () => {
    const n = PAGE_SIZE * 60 + 13;
    const log = fakeLog(n);
    const m = new ListModel(log.fetch, manualFrames().schedule);
    m.setFilter({});
    m.setTotalHint(n);
    await settle();
    expect(m.count).toBe(n);
    // Sorted by cost: the same rows, so the scrollbar keeps its length before any stats answer.
    m.setQuery({}, { column: 'cost', dir: 'desc' });
    await settle();
    expect(m.count).toBe(n);
    // Another filter counts other rows: its length is the pages read until its own total comes.
    m.setQuery({ model: ['gpt-4o'] }, { column: 'cost', dir: 'desc' });
    await settle();
    expect(m.count).toBeLessThan(n);
  });

  it('reads the next page while the view is still half a page from it', async () => {
    const log = fakeLog(PAGE_SIZE * 4);
    const m = new ListModel(log.fetch, manualFrames().schedule);
    m.setFilter({});
    await settle();
    m.ensureRange(PAGE_SIZE / 2 - 40, PAGE_SIZE / 2 - 10);
    await settle();
    expect(log.calls).toHaveLength(1);
    m.ensureRange(PAGE_SIZE / 2 + 10, PAGE_SIZE / 2 + 40);
    await settle();
    expect(log.calls.map((c) => c.cursor)).toEqual([
      null,
      { timestamp: row(PAGE_SIZE * 3 + 1).timestamp, id: PAGE_SIZE * 3 + 1 },
    ]);
    expect(m.item(PAGE_SIZE)).toMatchObject({ kind: 'row', row: { id: PAGE_SIZE * 3 } });
  });

  it('after a failed read, reads again on a timer that backs off, not once per render', async () => {
    const log = fakeLog(PAGE_SIZE * 2);
    let down = true;
    const delays: number[] = [];
    const m = new ListModel(
      async (...args) => {
        // Failing a task later, like a server's answer (failing at once, the old loop never yielded).
        await settle();
        if (down) throw new Error('connection lost');
        return log.fetch(...args);
      },
      manualFrames().schedule,
      (failures) => (delays.push(failures), 0),
    );
    let calls = 0;
    m.subscribe(() => {
      calls++;
      // A view asks for its rows on every change, as RequestList does.
      m.ensureRange(0, 30);
    });
    m.setFilter({});
    for (let i = 0; i < 12; i++) await settle();
    expect(m.error).toBe('connection lost');
    expect(m.item(0)).toMatchObject({ kind: 'loading' });
    // One read per failure, each after the timer (delay 0 here), which backs off with the count.
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(delays).toEqual(delays.map((_, i) => i + 1));
    expect(calls).toBeLessThanOrEqual(delays.length + 2);
    down = false;
    for (let i = 0; i < 12; i++) await settle();
    expect(m.error).toBeNull();
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: PAGE_SIZE * 2 } });
  });

  it('a body search places live rows the server says match, asking only about rows since the batch', async () => {
    const frames = manualFrames();
    const bodies = new Map([
      [1, 'refund'],
      [2, 'x'],
      [3, 'a refund please'],
      [4, 'no'],
      [5, 'REFUND me'],
      [6, 'nothing'],
    ]);
    let log: RequestRow[] = [row(3), row(2), row(1)];
    const calls: RequestFilter[] = [];
    // The server: newest first, `since` honoured, the text looked for in bodies (case-insensitive).
    const fetch = async (f: RequestFilter, cursor: ListCursor | null, limit: number) => {
      calls.push(f);
      const matching = log.filter(
        (r) => (!f.since || r.timestamp >= f.since) && bodies.get(r.id)!.toLowerCase().includes(f.text!.toLowerCase()),
      );
      const start = cursor ? matching.findIndex((r) => r.id === cursor.id) + 1 : 0;
      const page = matching.slice(start, start + limit);
      const last = page[page.length - 1];
      return {
        rows: page,
        nextCursor: start + limit < matching.length && last ? { timestamp: last.timestamp, id: last.id } : null,
      };
    };
    const m = new ListModel(fetch, frames.schedule);
    const filter = { text: 'refund', searchBodies: true };
    m.setFilter(filter);
    await settle();
    expect([m.item(0), m.item(1)].map((it) => it.key)).toEqual(['r3', 'r1']);
    log = [row(6), row(5), row(4), ...log];
    m.pushAppended({ rows: [row(4), row(5), row(6)], newestId: 6, truncated: false });
    frames.run();
    for (let i = 0; i < 3; i++) await settle();
    expect(m.count).toBe(3);
    expect([0, 1, 2].map((i) => m.item(i).key)).toEqual(['r5', 'r3', 'r1']);
    // One question, about the rows since the batch's oldest; the list was not read again.
    expect(calls).toEqual([filter, { ...filter, since: row(4).timestamp }]);
  });

  it('keeps the exact count when the last page is evicted', async () => {
    const n = PAGE_SIZE * 60 + 7;
    const m = new ListModel(fakeLog(n).fetch, manualFrames().schedule);
    m.setFilter({});
    m.setTotalHint(n);
    await settle();
    m.ensureRange(n - 30, n);
    for (let i = 0; i < 3; i++) await settle();
    expect(m.isComplete).toBe(true);
    expect(m.count).toBe(n);
    // Reading down from the top and back up, long enough for the last page to be evicted.
    for (const p of [...Array.from({ length: 45 }, (_, i) => i + 1), ...Array.from({ length: 45 }, (_, i) => 45 - i)]) {
      m.ensureRange(p * PAGE_SIZE, p * PAGE_SIZE + 30);
      for (let i = 0; i < 3; i++) await settle();
    }
    expect(m.item(n - 1)).toMatchObject({ kind: 'loading' });
    expect(m.count).toBe(n);
  });

  it('marks an in-flight request finished until its row is logged', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(0).fetch, frames.schedule);
    m.setFilter({});
    await settle();
    m.pushStarted({
      id: 'c7',
      timestamp: row(7).timestamp,
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'gpt-4o-mini',
      provider: 'openai',
      policy: null,
      streaming: false,
    });
    frames.run();
    expect(m.item(0)).toMatchObject({ kind: 'inflight', row: { correlationId: 'c7', finished: false } });
    m.pushFinished({ id: 'c7' });
    m.pushFinished({ id: 'unknown' });
    frames.run();
    expect(m.count).toBe(1);
    expect(m.item(0)).toMatchObject({ kind: 'inflight', row: { correlationId: 'c7', finished: true } });
    m.pushAppended({ rows: [row(7)], newestId: 7, truncated: false });
    frames.run();
    expect(m.count).toBe(1);
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: 7 } });
  });

  it('sends one far read at a time, for wherever the view is when the last one returns', async () => {
    const n = PAGE_SIZE * 60;
    const log = fakeLog(n);
    const gates: (() => void)[] = [];
    const m = new ListModel(async (...args) => {
      if (args[4] > 0) await new Promise<void>((resolve) => gates.push(resolve));
      return log.fetch(...args);
    }, manualFrames().schedule);
    m.setFilter({});
    m.setTotalHint(n);
    await settle();
    // A drag down the scrollbar: three positions while the first far read is on its way.
    for (const p of [20, 40, 30]) m.ensureRange(PAGE_SIZE * p, PAGE_SIZE * p + 40);
    expect(gates).toHaveLength(1);
    gates.shift()!();
    for (let i = 0; i < 3; i++) await settle();
    expect(gates).toHaveLength(1);
    gates.shift()!();
    for (let i = 0; i < 3; i++) await settle();
    // Page 20 (asked first, from page 1's cursor), then page 30 (where the view is, from page
    // 21's), never page 40.
    expect(log.calls.map((c) => c.skip)).toEqual([0, PAGE_SIZE * 19, PAGE_SIZE * 9]);
    expect(m.item(PAGE_SIZE * 30 + 5)).toMatchObject({ kind: 'row', row: { id: n - PAGE_SIZE * 30 - 5 } });
  });

  it('a total higher than the log (rows pruned since) shrinks to the real end when the view goes there', async () => {
    const n = PAGE_SIZE * 10 + 7;
    const log = fakeLog(n);
    const m = new ListModel(log.fetch, manualFrames().schedule);
    m.setFilter({});
    m.setTotalHint(n + PAGE_SIZE * 3);
    await settle();
    // The view keeps showing the list's bottom as the count changes, like a user at the end.
    for (let round = 0; round < 8 && !m.isComplete; round++) {
      m.ensureRange(m.count - 30, m.count);
      for (let i = 0; i < 3; i++) await settle();
    }
    expect(m.isComplete).toBe(true);
    expect(m.count).toBe(n);
    expect(m.item(n - 1)).toMatchObject({ kind: 'row', row: { id: 1 } });
  });

  it('sizes the list from the server total before the last page is known', async () => {
    const m = new ListModel(fakeLog(PAGE_SIZE * 3).fetch, manualFrames().schedule);
    m.setFilter({});
    await settle();
    expect(m.count).toBe(PAGE_SIZE + 1);
    m.setTotalHint(1_000_000);
    expect(m.count).toBe(1_000_000);
    expect(m.item(999_999)).toMatchObject({ kind: 'loading' });
  });

  it(
    'batches pushed events into one update per frame and ' + 'moves a finished request from in flight to committed',
    async () => {
      const frames = manualFrames();
      const m = new ListModel(fakeLog(3).fetch, frames.schedule);
      m.setFilter({});
      await settle();
      let notified = 0;
      m.subscribe(() => notified++);
      const started = {
        id: 'live',
        timestamp: '2026-02-01T00:00:00.000Z',
        method: 'POST',
        path: '/v1/messages',
        model: 'claude',
        provider: 'anthropic',
        policy: null,
        streaming: true,
      };
      m.pushStarted(started);
      m.pushProgress({
        id: 'live',
        events: 1,
        newEvents: [{ event: 'x', data: '1' }],
        outputTokens: 1,
        textDelta: 'Hel',
      });
      m.pushProgress({
        id: 'live',
        events: 2,
        newEvents: [{ event: 'x', data: '2' }],
        outputTokens: 2,
        textDelta: 'lo',
      });
      expect(frames.queue.length).toBe(1);
      expect(notified).toBe(0);
      frames.run();
      expect(notified).toBe(1);
      expect(m.count).toBe(4);
      expect(m.item(0)).toMatchObject({
        kind: 'inflight',
        row: {
          correlationId: 'live',
          outputTokens: 2,
          eventCount: 2,
          text: 'Hello',
          events: [{ data: '1' }, { data: '2' }],
        },
      });

      m.pushAppended({
        rows: [row(4, { correlationId: 'live', timestamp: started.timestamp })],
        newestId: 4,
        truncated: false,
      });
      frames.run();
      expect(m.count).toBe(4);
      expect(m.inflightCount).toBe(0);
      expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: 4 } });
      expect(m.committedKeyFor('live')).toBe('r4');
      // Base indexes don't move when rows arrive on top: the view keeps its anchor by offset.
      expect(m.indexOf('r1')).toBe(3);
      // The view places rows relative to the snapshot's first row, which live rows push down.
      expect(m.liveCount).toBe(1);
      expect(m.lastChangeLive).toBe(true);
    },
  );

  it(
    'listens to its own events: rows and requests ' + 'pushed, a cut batch or a reconnection reads the list again',
    async () => {
      const frames = manualFrames();
      const log = fakeLog(3);
      let onRead = () => {};
      const nextRead = () => new Promise<void>((resolve) => (onRead = resolve));
      const m = new ListModel((...args) => (onRead(), log.fetch(...args)), frames.schedule);
      m.setFilter({});
      await settle();
      const listeners = new Map<string, (payload: never) => void>();
      let connection: (state: 'open' | 'closed') => void = () => {};
      const off = m.connect({
        on: (name, fn) => (listeners.set(name, fn as (payload: never) => void), () => void listeners.delete(name)),
        onConnection: (fn) => ((connection = fn), () => undefined),
      });
      const send = (name: string, payload: unknown) => listeners.get(name)!(payload as never);
      send('requestStarted', {
        id: 'live',
        timestamp: '2026-02-01T00:00:00.000Z',
        method: 'POST',
        path: '/v1/messages',
        model: 'claude',
        provider: 'anthropic',
        policy: null,
        streaming: true,
      });
      frames.run();
      expect(m.item(0)).toMatchObject({ kind: 'inflight', key: 'flive' });
      const reads = log.calls.length;
      // The first open is not a reconnection: the first page in flight stays.
      connection('open');
      expect(log.calls.length).toBe(reads);
      let read = nextRead();
      send('requestsAppended', { rows: [], newestId: 4, truncated: true });
      await read;
      expect(log.calls.length).toBe(reads + 1);
      read = nextRead();
      const lostAt = Date.now();
      connection('closed');
      connection('open');
      await read;
      expect(log.calls.length).toBe(reads + 2);
      // Reloads are at most a second apart: this one waited for the interval.
      expect(Date.now() - lostAt).toBeGreaterThan(900);
      off();
      expect(listeners.size).toBe(0);
    },
  );

  it('tells a live batch from a page arriving, so the view can render batches at low priority', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(PAGE_SIZE * 2).fetch, frames.schedule);
    const seen: boolean[] = [];
    m.subscribe(() => seen.push(m.lastChangeLive));
    m.setFilter({});
    await settle();
    m.pushAppended({ rows: [row(PAGE_SIZE * 2 + 1)], newestId: PAGE_SIZE * 2 + 1, truncated: false });
    frames.run();
    m.ensureRange(PAGE_SIZE, PAGE_SIZE + 10);
    await settle();
    // new snapshot, first page, live batch, second page
    expect(seen).toEqual([false, false, true, false]);
    expect(m.liveCount).toBe(1);
  });

  it('keeps pushed rows that the filter excludes out of the list', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(0).fetch, frames.schedule);
    m.setFilter({ provider: ['anthropic'] });
    await settle();
    m.pushAppended({ rows: [row(10), row(11, { provider: 'anthropic' })], newestId: 11, truncated: false });
    frames.run();
    expect(m.count).toBe(1);
    expect(m.item(0)).toMatchObject({ row: { id: 11 } });
  });

  it('bounds memory by evicting pages far from the viewport', async () => {
    const m = new ListModel(fakeLog(PAGE_SIZE * 60).fetch, manualFrames().schedule);
    m.setFilter({});
    for (let p = 0; p < 60; p += 1) {
      m.ensureRange(p * PAGE_SIZE, p * PAGE_SIZE + 50);
      for (let i = 0; i < 3; i++) await settle();
    }
    expect(m.item(PAGE_SIZE * 59 + 10)).toMatchObject({ kind: 'row' });
    expect(m.item(0)).toMatchObject({ kind: 'loading' });
  });

  it('sorted by a column, pages on with value cursors and counts live rows instead of placing them', async () => {
    const frames = manualFrames();
    const log = fakeLog(PAGE_SIZE * 3, (id) => row(id, { cost: id % 7 === 0 ? null : (id % 50) / 1000 }));
    const m = new ListModel(log.fetch, frames.schedule);
    m.setQuery({}, { column: 'cost', dir: 'desc' });
    await settle();
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { cost: 0.049 } });
    m.ensureRange(PAGE_SIZE * 3 - 5, PAGE_SIZE * 3);
    for (let i = 0; i < 5; i++) await settle();
    expect(m.isComplete).toBe(true);
    expect(m.item(m.count - 1)).toMatchObject({ kind: 'row', row: { cost: null } });
    // The walk went on from a { value, id } cursor built like the server's.
    expect(log.calls[1]!.cursor).toEqual({
      value: (m.item(PAGE_SIZE - 1) as { row: RequestRow }).row.cost,
      id: (m.item(PAGE_SIZE - 1) as { row: RequestRow }).row.id,
    });
    expect(log.calls.every((c) => c.sort.column === 'cost')).toBe(true);

    const before = m.count;
    const first = m.item(0).key;
    m.pushStarted({
      id: 'live',
      timestamp: '2026-02-01T00:00:00.000Z',
      method: 'POST',
      path: '/v1/messages',
      model: 'claude',
      provider: 'anthropic',
      policy: null,
      streaming: true,
    });
    m.pushAppended({ rows: [row(9001, { cost: 1 }), row(9002, { cost: null })], newestId: 9002, truncated: false });
    frames.run();
    expect(m.count).toBe(before);
    expect(m.inflightCount).toBe(0);
    expect(m.item(0).key).toBe(first);
    expect(m.unplaced).toBe(2);
    // Re-sorting takes a new snapshot and forgets the count.
    m.setQuery({}, { column: 'cost', dir: 'desc' }, true);
    expect(m.unplaced).toBe(0);
  });

  it('going back to newest first shows live rows again', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(3).fetch, frames.schedule);
    m.setQuery({}, { column: 'cost', dir: 'asc' });
    await settle();
    m.setQuery({}, { column: 'time', dir: 'desc' });
    await settle();
    m.pushAppended({ rows: [row(4)], newestId: 4, truncated: false });
    frames.run();
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: 4 } });
    expect(m.unplaced).toBe(0);
  });

  it('shows a row once when its commit is announced after a page that already holds it', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(3).fetch, frames.schedule);
    m.setFilter({});
    await settle();
    // Row 3 was committed before the first page was read; its event comes after.
    m.pushAppended({ rows: [row(3)], newestId: 3, truncated: false });
    frames.run();
    expect(m.count).toBe(3);
    expect([0, 1, 2].map((i) => m.item(i).key)).toEqual(['r3', 'r2', 'r1']);
  });

  it('keeps the first page whole when its newest rows were announced before it arrived', async () => {
    const n = PAGE_SIZE * 2;
    const log = fakeLog(n);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const frames = manualFrames();
    const m = new ListModel(async (...args) => (await gate, log.fetch(...args)), frames.schedule);
    m.setFilter({});
    // The two newest rows commit (and are announced) while the first page's query is on its way,
    // and that page holds them: they belong to it, not above it.
    m.pushAppended({ rows: [row(n), row(n - 1)], newestId: n, truncated: false });
    frames.run();
    release();
    await settle();
    m.ensureRange(0, n);
    for (let i = 0; i < 5; i++) await settle();
    expect(m.count).toBe(n);
    const ids = Array.from({ length: n }, (_, i) => m.item(i));
    expect(ids.filter((it) => it.kind !== 'row')).toEqual([]);
    expect(ids.map((it) => it.key)).toEqual(Array.from({ length: n }, (_, i) => `r${n - i}`));
  });
});
