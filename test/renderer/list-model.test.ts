import { describe, expect, it } from 'vitest';
import type { Cursor, RequestFilter, RequestRow } from '../../electron/core/storage/types';
import { ListModel, PAGE_SIZE } from '../../renderer/src/model/list-model';

function row(id: number, over: Partial<RequestRow> = {}): RequestRow {
  return {
    id, correlationId: `c${id}`, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, id)).toISOString(),
    method: 'POST', path: '/v1/chat/completions', model: 'gpt-4o-mini', provider: 'openai', policy: null,
    streaming: false, status: 200, success: true, errorStatus: null, errorMessage: null, inputTokens: 10,
    outputTokens: 5, cacheReadTokens: null, cacheWriteTokens: null, reasoningTokens: null, tokensEstimated: false,
    cost: null, providerCost: null, latencyMs: 12, ttfbMs: 3, streamDurationMs: null, finishReason: 'stop',
    requestBytes: 100, responseBytes: 200, ...over,
  };
}

/** An in-memory log of `n` rows served in keyset pages, newest first, like the store does. */
function fakeLog(n: number) {
  const rows = Array.from({ length: n }, (_, i) => row(n - i));
  const calls: (Cursor | null)[] = [];
  const fetch = async (_f: RequestFilter, cursor: Cursor | null, limit: number) => {
    calls.push(cursor);
    const start = cursor ? rows.findIndex((r) => r.id < cursor.id) : 0;
    const page = start < 0 ? [] : rows.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start >= 0 && start + limit < rows.length;
    return { rows: page, nextCursor: more && last ? { timestamp: last.timestamp, id: last.id } : null };
  };
  return { fetch, calls };
}

function manualFrames() {
  const queue: (() => void)[] = [];
  return { schedule: (fn: () => void) => void queue.push(fn), run: () => queue.splice(0).forEach((fn) => fn()), queue };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ListModel', () => {
  it('loads the first keyset page and walks pages in order to reach a far index', async () => {
    const log = fakeLog(PAGE_SIZE * 5 + 7);
    const m = new ListModel(log.fetch, manualFrames().schedule);
    m.setFilter({});
    await settle();
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: PAGE_SIZE * 5 + 7 } });
    m.ensureRange(PAGE_SIZE * 5, PAGE_SIZE * 5 + 7);
    for (let i = 0; i < 10; i++) await settle();
    expect(m.isComplete).toBe(true);
    expect(m.count).toBe(PAGE_SIZE * 5 + 7);
    expect(m.item(m.count - 1)).toMatchObject({ kind: 'row', row: { id: 1 } });
    // One call for the first page, then walks of up to five pages per call.
    expect(log.calls.length).toBe(2);
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

  it('batches pushed events into one update per frame and moves a finished request from in flight to committed', async () => {
    const frames = manualFrames();
    const m = new ListModel(fakeLog(3).fetch, frames.schedule);
    m.setFilter({});
    await settle();
    let notified = 0;
    m.subscribe(() => notified++);
    const started = { id: 'live', timestamp: '2026-02-01T00:00:00.000Z', method: 'POST', path: '/v1/messages', model: 'claude', provider: 'anthropic', policy: null, streaming: true };
    m.pushStarted(started);
    m.pushProgress({ id: 'live', events: 1, newEvents: [{ event: 'x', data: '1' }], outputTokens: 1, textDelta: 'Hel' });
    m.pushProgress({ id: 'live', events: 2, newEvents: [{ event: 'x', data: '2' }], outputTokens: 2, textDelta: 'lo' });
    expect(frames.queue.length).toBe(1);
    expect(notified).toBe(0);
    frames.run();
    expect(notified).toBe(1);
    expect(m.count).toBe(4);
    expect(m.item(0)).toMatchObject({ kind: 'inflight', row: { correlationId: 'live', outputTokens: 2, eventCount: 2, text: 'Hello', events: [{ data: '1' }, { data: '2' }] } });

    m.pushAppended({ rows: [row(4, { correlationId: 'live', timestamp: started.timestamp })], newestId: 4, truncated: false });
    frames.run();
    expect(m.count).toBe(4);
    expect(m.inflightCount).toBe(0);
    expect(m.item(0)).toMatchObject({ kind: 'row', row: { id: 4 } });
    expect(m.committedKeyFor('live')).toBe('r4');
    // Base indexes don't move when rows arrive on top: the view keeps its anchor by offset.
    expect(m.indexOf('r1')).toBe(3);
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
});
