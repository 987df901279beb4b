// The grouped list's model against a server stand-in that groups rows the way threads:list does
// (latest matching turn first, keyset pages): paging, expanding a line into its turns, and live rows
// moving their thread's line to the top with new sums, under the list's filter.
import { describe, expect, it } from 'vitest';
import type { RequestFilter, RequestRow } from '../../electron/core/contract/model';
import type { ThreadCursor, ThreadPage, ThreadSummary } from '../../electron/core/contract/threads';
import { THREAD_PAGE, ThreadListModel } from '../../renderer/src/model/thread-list-model';

function row(id: number, threadId: number, turn: number, model = 'gpt-4o-mini'): RequestRow {
  return {
    ...({} as RequestRow),
    id,
    correlationId: `c${id}`,
    timestamp: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
    method: 'POST',
    path: '/v1/chat/completions',
    model,
    provider: 'openai',
    policy: null,
    success: true,
    inputTokens: 10,
    outputTokens: 5,
    threadId,
    turn,
  };
}

function server(rows: RequestRow[]) {
  const calls: string[] = [];
  const matches = (f: RequestFilter, r: RequestRow) => !f.model || f.model.includes(r.model);
  const summaries = (f: RequestFilter): ThreadSummary[] => {
    const by = new Map<number, RequestRow[]>();
    for (const r of rows) if (matches(f, r)) by.set(r.threadId!, [...(by.get(r.threadId!) ?? []), r]);
    return [...by]
      .map(([threadId, rs]) => ({
        ...({} as ThreadSummary),
        threadId,
        turns: rs.length,
        lastAt: rs.at(-1)!.timestamp,
        inputTokens: rs.reduce((s, r) => s + r.inputTokens!, 0),
        last: rs.at(-1)!.id,
      }))
      .sort((a, b) => b.last - a.last);
  };
  return {
    calls,
    listThreads: async ({
      filter = {},
      cursor = null,
      limit = 100,
    }: {
      filter?: RequestFilter;
      cursor?: ThreadCursor | null;
      limit?: number;
    }): Promise<ThreadPage> => {
      calls.push(`threads ${cursor ? cursor.threadId : 'first'}`);
      const all = summaries(filter);
      const from = cursor ? all.findIndex((t) => t.threadId === cursor.threadId) + 1 : 0;
      const page = all.slice(from, from + limit);
      return {
        threads: page,
        nextCursor: from + limit < all.length ? { lastAt: page.at(-1)!.lastAt, threadId: page.at(-1)!.threadId } : null,
      };
    },
    listRequests: async ({ filter = {} }: { filter?: RequestFilter }) => {
      const id = Number(/thread:(\d+)/.exec(filter.query ?? '')![1]);
      calls.push(`turns ${id}`);
      return { rows: rows.filter((r) => r.threadId === id && matches(filter, r)), nextCursor: null };
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const lines = (m: ThreadListModel) => m.list.filter((i) => i.kind === 'thread').map((i) => i.key);

describe('ThreadListModel', () => {
  it('pages lines, expands a line into its turns, and moves a thread with a new turn to the top', async () => {
    // 150 threads of two turns; thread k's rows are k and 1000 + k.
    const rows: RequestRow[] = [];
    for (let k = 1; k <= 150; k++) rows.push(row(k, k, 1));
    for (let k = 1; k <= 150; k++) rows.push(row(1000 + k, k, 2));
    const s = server(rows);
    const m = new ThreadListModel(s as never);
    m.setFilter({});
    await settle();
    expect(lines(m)).toHaveLength(THREAD_PAGE);
    expect(lines(m)[0]).toBe('t150');
    expect(m.hasMore).toBe(true);
    await m.loadMore();
    expect(lines(m)).toHaveLength(150);
    expect(m.hasMore).toBe(false);

    m.toggle(3);
    await settle();
    const turns = () => m.list.filter((i) => i.kind === 'turn').map((i) => (i.kind === 'turn' ? i.row.id : 0));
    expect(turns()).toEqual([3, 1003]);

    // A new turn of thread 3 (deep in the list, expanded): its line moves up, its turns reload.
    const next = row(2000, 3, 3);
    rows.push(next);
    m.onAppended([next], false);
    await settle();
    await settle();
    expect(lines(m)).toHaveLength(150);
    expect(lines(m)[0]).toBe('t3');
    const line = m.list.find((i) => i.key === 't3');
    expect(line?.kind === 'thread' && line.thread.turns).toBe(3);
    expect(turns()).toEqual([3, 1003, 2000]);
    expect(new Set(lines(m)).size).toBe(150);
  });

  it('groups what the filter matches, and ignores live rows it does not match', async () => {
    const rows = [row(1, 1, 1, 'claude'), row(2, 2, 1), row(3, 1, 2), row(4, 2, 2, 'claude')];
    const s = server(rows);
    const m = new ThreadListModel(s as never);
    m.setFilter({ model: ['claude'] });
    await settle();
    expect(lines(m)).toEqual(['t2', 't1']);
    const line = m.list.find((i) => i.key === 't1');
    expect(line?.kind === 'thread' && line.thread.turns).toBe(1);
    const before = s.calls.length;
    const other = row(5, 1, 3);
    rows.push(other);
    m.onAppended([other], false);
    await settle();
    expect(s.calls.length).toBe(before);
  });
});
