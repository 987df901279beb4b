// The page decides whether a pushed row belongs in the list (renderer/src/model/match-filter.ts);
// the server decides which rows a page holds (filter-sql.ts). If they disagree, a live row shows
// in a list that would not hold it after a reload, or a row the list would hold never shows up
// until one. This runs both over the same log for many filters and compares.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../renderer/src/model/match-filter';
import { openLogStore, type LogStore, type RequestFilter, type RequestRow } from '../../../electron/core/storage';
import { randomRecord, rng, tempDir } from '../../helpers/records';

let store: LogStore;
let cleanup: () => void;
let rows: RequestRow[];

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
  const rand = rng(7);
  for (let i = 0; i < 600; i++) store.enqueue(randomRecord(rand, Date.UTC(2026, 4, 1), i));
  // A non-ASCII model name, for case folding.
  store.enqueue({ ...randomRecord(rand, Date.UTC(2026, 4, 1), 600), model: 'Élan-GPT' });
  await store.flush();
  rows = [];
  for (let page = store.listRequests({}, null, 1000); ; page = store.listRequests({}, page.nextCursor, 1000)) {
    rows.push(...page.rows);
    if (!page.nextCursor) break;
  }
});
afterAll(async () => {
  await store.close();
  cleanup();
});

function serverIds(filter: RequestFilter): number[] {
  const out: number[] = [];
  for (let page = store.listRequests(filter, null, 1000); ; page = store.listRequests(filter, page.nextCursor, 1000)) {
    out.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return out;
  }
}

const FILTERS: RequestFilter[] = [
  {},
  { text: 'chat' }, { text: 'CHAT' }, { text: '  messages ' }, { text: 'anthropic' }, { text: 'OpenAI' }, { text: 'rate limited' }, { text: 'c-1' }, { text: 'gpt' },
  { model: ['gpt-4o-mini'] }, { provider: ['anthropic', 'openai'] }, { policy: [null] }, { policy: ['batch', null] },
  { statusClass: [5] }, { statusClass: [0] }, { statusClass: [2, 4] }, { success: false }, { streaming: true },
  { minCost: 0.005 }, { minLatencyMs: 1500 }, { since: '2026-05-01T00:30:00.000Z', until: '2026-05-01T00:45:00.000Z' },
  { text: 'chat', streaming: false, provider: ['openai'] },
];

describe('live rows are matched as the server would match them', () => {
  it('the log has text to find in every field the search covers', () => {
    const policies = new Set(rows.map((r) => r.policy));
    expect(policies.size).toBeGreaterThan(1);
    expect(rows.some((r) => r.errorMessage)).toBe(true);
  });

  for (const filter of FILTERS) {
    it(JSON.stringify(filter), () => {
      const client = rows.filter((r) => matchesFilter(r, filter) === true).map((r) => r.id);
      expect(client).toEqual(serverIds(filter));
    });
  }

  it('folds case as SQLite’s LIKE does: ASCII letters only', () => {
    const row = rows.find((r) => r.model === 'Élan-GPT')!;
    for (const text of ['élan-gpt', 'Élan-gpt', 'ÉLAN']) {
      const filter = { text, model: ['Élan-GPT'] };
      expect(matchesFilter(row, filter) === true, text).toBe(serverIds(filter).length === 1);
    }
  });

  it('a policy name is found by the text search too', () => {
    const policy = rows.find((r) => r.policy)!.policy!;
    const filter = { text: policy.toUpperCase() };
    expect(serverIds(filter).length).toBeGreaterThan(0);
    expect(rows.filter((r) => matchesFilter(r, filter) === true).map((r) => r.id)).toEqual(serverIds(filter));
  });
});
