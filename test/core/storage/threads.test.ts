// Threads as the writer assigns them (storage/thread-store.ts over inspect/threads/), on a real log:
// conversations sent as their clients send them, each turn resending the whole history.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import type { LogRecord } from '../../../electron/core/contract/model';
import { makeRecord, tempDir } from '../../helpers/records';

type Msg = Record<string, unknown>;

function chat(messages: Msg[], headers: Record<string, string> = {}, extra: Msg = {}): LogRecord {
  const base = makeRecord();
  return makeRecord({
    exchange: {
      ...base.exchange,
      requestHeaders: { 'content-type': 'application/json', ...headers },
      requestBody: JSON.stringify({ model: 'gpt-4o-mini', messages, tools: [{ type: 'function' }], ...extra }),
    },
  });
}

function anthropic(system: string, messages: Msg[], headers: Record<string, string> = {}): LogRecord {
  const base = makeRecord();
  return makeRecord({
    path: '/v1/messages',
    provider: 'anthropic',
    exchange: {
      ...base.exchange,
      requestHeaders: { 'content-type': 'application/json', ...headers },
      requestBody: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, system, messages }),
    },
  });
}

/** A conversation of `turns` turns with a tool call every other turn: the messages each request sends. */
function conversation(topic: string, turns: number): Msg[][] {
  const history: Msg[] = [{ role: 'system', content: 'You are terse.' }];
  const requests: Msg[][] = [];
  for (let t = 1; t <= turns; t++) {
    history.push({ role: 'user', content: `${topic} question ${t}` });
    requests.push([...history]);
    if (t % 2 === 0) {
      const call = { id: `call_${topic}_${t}`, type: 'function', function: { name: 'lookup', arguments: '{}' } };
      history.push({ role: 'assistant', content: null, tool_calls: [call] });
      history.push({ role: 'tool', tool_call_id: call.id, content: `result ${t}` });
    }
    history.push({ role: 'assistant', content: `${topic} answer ${t}` });
  }
  return requests;
}

let dir: string;
let cleanup: () => void;
let store: LogStore;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
});
afterEach(async () => {
  await store.close();
  cleanup();
});

async function send(...records: LogRecord[]): Promise<void> {
  for (const r of records) store.enqueue(r);
  await store.flush();
}

/** Every row's thread, oldest first: [id, thread, turn], and each turn's segment/source from the thread view. */
function assignment() {
  const rows = store.listRequests({}, null, 1000, 'asc').rows;
  return rows.map((r) => {
    const turn = r.threadId === null ? null : store.getThread(r.threadId)!.turns.find((t) => t.row.id === r.id)!;
    return [r.id, r.threadId, r.turn, turn?.segment, turn?.source, turn?.parentThreadId];
  });
}

describe('threads', () => {
  it('a 10-turn conversation with tool calls is one thread, turns 1 to 10, grouped by its shared prefix', async () => {
    await send(...conversation('a', 10).map((m) => chat(m)));
    const rows = store.listRequests({}, null, 100, 'asc').rows;
    const first = rows[0]!.id;
    expect(rows.map((r) => [r.threadId, r.turn])).toEqual(rows.map((_, i) => [first, i + 1]));
    const view = store.getThread(first)!;
    expect(view.summary).toMatchObject({ threadId: first, turns: 10, source: 'new', segments: 1 });
    // Turn 3 extends turn 2's five messages (system, user, tool call, tool result, answer… as sent).
    expect(view.turns.map((t) => t.source)).toEqual([
      'new',
      ...view.turns.slice(1).map((t, i) => `prefix:${view.turns[i]!.messageCount}`),
    ]);
    expect(view.turns[1]!.gapMs).not.toBeNull();
    expect(store.previousTurn(rows[4]!.id)!.id).toBe(rows[3]!.id);
    expect(store.previousTurn(first)).toBeNull();
    expect(store.listRequests({ query: `thread:${first}` }, null, 100).rows).toHaveLength(10);
  });

  it('two conversations interleaved in time are two threads', async () => {
    const a = conversation('alpha', 4);
    const b = conversation('beta', 4);
    await send(...a.flatMap((m, i) => [chat(m), chat(b[i]!)]));
    const rows = store.listRequests({}, null, 100, 'asc').rows;
    const [ta, tb] = [rows[0]!.id, rows[1]!.id];
    expect(rows.map((r) => [r.threadId, r.turn])).toEqual(
      [1, 2, 3, 4].flatMap((t) => [
        [ta, t],
        [tb, t],
      ]),
    );
    const page = await store.listThreads({}, null, 10);
    expect(page.threads.map((t) => [t.threadId, t.turns])).toEqual([
      [tb, 4],
      [ta, 4],
    ]);
  });

  it('pages the grouped list by latest matching turn, each thread once, with and without a filter', async () => {
    // Five conversations whose turns interleave unevenly: the order of threads is the order of their latest turns.
    const convs = ['a', 'b', 'c', 'd', 'e'].map((t, i) => conversation(t, 2 + i));
    const order = [0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 4, 3, 1, 4, 2, 3, 4, 4];
    const next = convs.map(() => 0);
    await send(...order.map((c) => chat(convs[c]!.at(next[c]!++)!)));
    const walkAll = async (filter: Parameters<LogStore['listThreads']>[0]) => {
      const out: [number, number][] = [];
      let cursor: Parameters<LogStore['listThreads']>[1] = null;
      do {
        const page = await store.listThreads(filter, cursor, 2);
        out.push(...page.threads.map((t): [number, number] => [t.threadId, t.turns]));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    const rows = store.listRequests({}, null, 100, 'desc').rows;
    const expected = (keep: (id: number) => boolean) => {
      const seen = new Map<number, number>();
      for (const r of rows) if (keep(r.id)) seen.set(r.threadId!, (seen.get(r.threadId!) ?? 0) + 1);
      return [...seen];
    };
    expect(await walkAll({})).toEqual(expected(() => true));
    expect((await walkAll({})).map(([, n]) => n).sort()).toEqual([2, 3, 3, 4, 6]);
    // A filter groups what it matches: the 8 oldest requests.
    const cut = rows.at(-8)!.id;
    const filtered = await walkAll({ until: rows.at(-9)!.timestamp });
    expect(filtered).toEqual(expected((id) => id <= cut));
    expect(filtered.reduce((s, [, n]) => s + n, 0)).toBe(8);
  });

  it('an edited history forks a new thread that points at its parent', async () => {
    const a = conversation('a', 4);
    await send(...a.map((m) => chat(m)));
    // The user edits the second question and sends from there again.
    const edited = [...a[1]!.slice(0, -1), { role: 'user', content: 'a question 2, put better' }];
    await send(
      chat(edited),
      chat([...edited, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }]),
    );
    const rows = store.listRequests({}, null, 100, 'asc').rows;
    const [fork, next] = rows.slice(4);
    expect([fork!.threadId, fork!.turn, next!.threadId, next!.turn]).toEqual([fork!.id, 1, fork!.id, 2]);
    const view = store.getThread(fork!.id)!;
    // The longest earlier request it extends is the parent's turn 1 (system prompt and first question).
    expect(view.summary).toMatchObject({ source: 'fork:2', parentThreadId: rows[0]!.id });
  });

  it('client session headers group by header; a shrunken history after compaction starts a new segment', async () => {
    const h = { 'x-claude-code-session-id': 'sess-1' };
    const m1 = [{ role: 'user', content: 'hi' }];
    const m2 = [...m1, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'summarize please' }];
    const compacted = [{ role: 'user', content: 'Summary of the conversation so far: hi, hello.' }];
    const other = [{ role: 'user', content: 'what is the title?' }];
    await send(
      anthropic('sys', m1, h),
      anthropic('sys', m2, h),
      // A side request with another system prompt, same session: same thread, no new segment.
      anthropic('title generator', other, h),
      anthropic('sys', compacted, h),
      anthropic('sys', [...compacted, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'go on' }], h),
      anthropic('sys', m1, { 'x-claude-code-session-id': 'sess-2' }),
    );
    const a = assignment();
    const t = a[0]![1];
    expect(a.map(([, thread, turn, segment, source]) => [thread === t, turn, segment, source])).toEqual([
      [true, 1, 1, 'header:x-claude-code-session-id'],
      [true, 2, 1, 'header:x-claude-code-session-id'],
      [true, 3, 1, 'header:x-claude-code-session-id'],
      [true, 4, 2, 'header:x-claude-code-session-id'],
      [true, 5, 2, 'header:x-claude-code-session-id'],
      [false, 1, 1, 'header:x-claude-code-session-id'],
    ]);
    expect(store.getThread(t as number)!.summary.segments).toBe(2);
  });

  it('Anthropic metadata.user_id carrying a session, and our X-Inspector-Thread header, group too', async () => {
    const userId = 'user_abc_account_0c6e-11_session_5f1e2d3c-aaaa-bbbb-cccc-000000000001';
    const withMeta = (messages: Msg[]) => {
      const r = anthropic('sys', messages);
      const body = JSON.parse(r.exchange.requestBody!) as Msg;
      return {
        ...r,
        exchange: { ...r.exchange, requestBody: JSON.stringify({ ...body, metadata: { user_id: userId } }) },
      };
    };
    await send(
      withMeta([{ role: 'user', content: 'one' }]),
      withMeta([{ role: 'user', content: 'unrelated' }]),
      chat([{ role: 'user', content: 'x' }], { 'x-inspector-thread': 'job-7' }),
      chat([{ role: 'user', content: 'y' }], { 'x-inspector-thread': 'job-7' }),
    );
    const a = assignment();
    expect(a.map(([, thread, turn, , source]) => [thread, turn, source])).toEqual([
      [a[0]![0], 1, 'metadata.user_id'],
      [a[0]![0], 2, 'metadata.user_id'],
      [a[2]![0], 1, 'header:x-inspector-thread'],
      [a[2]![0], 2, 'header:x-inspector-thread'],
    ]);
  });

  it('is the same after a restart and after a rebuild from the rows, with the user’s split and merge', async () => {
    const a = conversation('a', 6);
    const b = conversation('b', 3);
    await send(...a.slice(0, 3).map((m) => chat(m)), ...b.map((m) => chat(m)));
    await store.close();
    store = await openLogStore(join(dir, 'log.sqlite'));
    await send(...a.slice(3).map((m) => chat(m)));
    const live = assignment();
    const ta = live[0]![1] as number;
    expect(live.filter((r) => r[1] === ta).map((r) => r[2])).toEqual([1, 2, 3, 4, 5, 6]);

    await store.rebuildThreads();
    expect(assignment()).toEqual(live);

    // Split a at its 5th turn; merge b into a.
    const fifth = live.filter((r) => r[1] === ta)[4]![0] as number;
    const tb = live[3]![1] as number;
    await store.editThread({ kind: 'split', requestId: fifth });
    await store.editThread({ kind: 'merge', threadId: tb, intoId: ta });
    const edited = assignment();
    expect(edited.filter((r) => r[1] === fifth).map((r) => r[2])).toEqual([1, 2]);
    expect(edited.filter((r) => r[1] === ta).map((r) => r[0])).toEqual(
      live
        .filter((r) => r[1] === ta || r[1] === tb)
        .map((r) => r[0])
        .filter((id) => (id as number) < fifth),
    );
    expect(edited.filter((r) => r[1] === ta).map((r) => r[2])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A later turn of the split-off part follows it.
    await send(chat([...a[5]!, { role: 'assistant', content: 'a answer 6' }, { role: 'user', content: 'a 7' }]));
    const after = assignment();
    expect(after.at(-1)!.slice(1, 3)).toEqual([fifth, 3]);

    await store.rebuildThreads();
    expect(assignment()).toEqual(after);

    // The split-off part merged back into a: its turns count on from a's (not from 1 again).
    await store.editThread({ kind: 'merge', threadId: fifth, intoId: ta });
    expect(
      assignment()
        .filter((r) => r[1] === ta)
        .map((r) => r[2]),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    after.splice(0, after.length, ...assignment());
    await store.close();
    store = await openLogStore(join(dir, 'log.sqlite'));
    expect(assignment()).toEqual(after);
  });

  it('live assignment, read from memory, equals a rebuild from SQL: interleaved turns, forks, sessions', async () => {
    // The writer answers "the latest request before this one" from memory (thread-lookup-cache.ts);
    // a rebuild asks SQL for every row. Many conversations at once, sent in uneven batches, with
    // edited histories (forks) and session headers, must agree.
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const convs = Array.from({ length: 8 }, (_, c) => conversation(`t${c}`, 12));
    const next = convs.map(() => 0);
    const records: LogRecord[] = [];
    for (let k = 0; k < 90; k++) {
      const c = Math.floor(rand() * convs.length);
      if (next[c]! >= convs[c]!.length) continue;
      let messages = convs[c]![next[c]!++]!;
      // Now and then an edited history: the last user message rewritten (a fork of the thread).
      if (rand() < 0.15) messages = [...messages.slice(0, -1), { role: 'user', content: `edited ${k}` }];
      const headers: Record<string, string> = c % 3 === 0 ? { 'x-claude-code-session-id': `s${c}` } : {};
      records.push(chat(messages, headers));
    }
    const at = (i: number) => new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString();
    for (let i = 0; i < records.length;) {
      const n = 1 + Math.floor(rand() * 12);
      for (const r of records.slice(i, i + n)) store.enqueue({ ...r, timestamp: at(i++) });
      await store.flush();
    }
    const live = assignment();
    expect(new Set(live.map((r) => r[1])).size).toBeGreaterThan(4);
    expect(live.some((r) => String(r[4]).startsWith('fork'))).toBe(true);
    await store.rebuildThreads();
    expect(assignment()).toEqual(live);
  });

  it('a turn whose earlier turns were deleted starts a new thread (memory forgets deleted rows)', async () => {
    const a = conversation('gone', 4);
    const stamp = (r: LogRecord, i: number) => ({ ...r, timestamp: new Date(Date.UTC(2026, 4, 2) + i).toISOString() });
    await send(...a.slice(0, 3).map((m, i) => stamp(chat(m), i)));
    expect(assignment().map((r) => r[2])).toEqual([1, 2, 3]);
    await store.clearLogs(null);
    await send(stamp(chat(a[3]!), 10));
    const [row] = assignment();
    expect(row!.slice(1, 5)).toEqual([row![0], 1, 1, 'new']);
  });

  it('a log from before threads gets them from its rows when it is opened', async () => {
    await send(...conversation('a', 3).map((m) => chat(m)));
    const before = assignment();
    await store.close();
    // As a log migrated from an older version finds itself: no thread data, marked incomplete.
    const db = new Database(join(dir, 'log.sqlite'));
    db.exec(`UPDATE requests SET thread_id = NULL, turn = NULL; DELETE FROM request_threads;
      DELETE FROM request_messages; UPDATE derived_tables SET complete = 0 WHERE name = 'threads'`);
    db.close();
    store = await openLogStore(join(dir, 'log.sqlite'));
    expect(assignment()).toEqual(before);
  });

  it('refuses edits that make no sense, with the reason', async () => {
    await send(...conversation('a', 2).map((m) => chat(m)));
    const [r1] = store.listRequests({}, null, 10, 'asc').rows;
    await expect(store.editThread({ kind: 'split', requestId: r1!.id })).rejects.toThrow('already starts its thread');
    await expect(store.editThread({ kind: 'merge', threadId: r1!.id, intoId: r1!.id })).rejects.toThrow('itself');
    await expect(store.editThread({ kind: 'merge', threadId: 999, intoId: r1!.id })).rejects.toThrow(
      'thread 999 does not exist',
    );
  });

  it('stores each message’s hash once per request, and no thread for what is no conversation', async () => {
    const r = chat([{ role: 'user', content: 'hi' }]);
    await send(r, makeRecord({ method: 'GET', path: '/v1/models' }), {
      ...chat([{ role: 'user', content: 'cut' }]),
      exchange: { ...r.exchange, requestBody: '{"messages":[{"role":"user","content":"cu', requestBodyTruncated: true },
    });
    const [a, models, cut] = store.listRequests({}, null, 10, 'asc').rows;
    expect(store.messageHashes(a!.id).map((h) => [h.position, h.role])).toEqual([
      [-2, 'tools'],
      [0, 'user'],
    ]);
    expect([models!.threadId, cut!.threadId, store.messageHashes(models!.id)]).toEqual([null, null, []]);
  });
});
