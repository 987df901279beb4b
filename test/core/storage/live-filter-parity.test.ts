// The page decides whether a pushed row belongs in the list (renderer/src/model/match-filter.ts);
// the server decides which rows a page holds (filter-sql.ts). If they disagree, a live row shows
// in a list that would not hold it after a reload, or a row the list would hold never shows up
// until one. This runs both over the same log for many filters and compares.
import { join } from 'node:path';
import fc from 'fast-check';
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

/** Some of the log's thread ids (random records are one-turn conversations, each a thread of its own). */
const threadIds = () => [...new Set(rows.map((r) => r.threadId).filter((t) => t !== null))].slice(0, 10);

const FILTERS: RequestFilter[] = [
  {},
  { text: 'chat' },
  { text: 'CHAT' },
  { text: '  messages ' },
  { text: 'anthropic' },
  { text: 'OpenAI' },
  { text: 'rate limited' },
  { text: 'c-1' },
  { text: 'gpt' },
  { model: ['gpt-4o-mini'] },
  { provider: ['anthropic', 'openai'] },
  { policy: [null] },
  { policy: ['batch', null] },
  { statusClass: [5] },
  { statusClass: [0] },
  { statusClass: [2, 4] },
  { success: false },
  { streaming: true },
  { minCost: 0.005 },
  { minLatencyMs: 1500 },
  { since: '2026-05-01T00:30:00.000Z', until: '2026-05-01T00:45:00.000Z' },
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

// The filter language (contract/filter-query.ts): the same text, compiled to SQL by the server and
// evaluated by the page, on random filters. A body term only the server can decide: the page says
// 'unknown', and then the server's answer must be among the rows the page could not rule out.
describe('filter text: the page and the server agree', () => {
  const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.0-flash', 'llama3.2', 'Élan-GPT'];
  const term = (cids: string[]) =>
    fc.oneof(
      fc.constantFrom(...threadIds(), 999_999).map((t) => `thread:${t}`),
      fc.constantFrom(...MODELS).map((m) => `model:${m}`),
      fc.constantFrom('gpt*', '*mini', 'cl*-4-5', '*', '*[*', 'gpt-4?1*').map((m) => `model:${m}`),
      fc.constantFrom('openai', 'anthropic', 'gem*', 'x').map((p) => `provider:${p}`),
      fc.constantFrom('summarize', 'classify', 'chat', '*', 'cl*').map((p) => `policy:${p}`),
      fc.constantFrom(...cids).map((c) => `id:${c}`),
      fc
        .tuple(fc.constantFrom('>', '>=', '<', '<=', ':'), fc.constantFrom(200, 400, 429, 500, 504))
        .map(([op, n]) => `status${op}${n}`),
      fc.integer({ min: 0, max: 5 }).map((c) => `status:${c}xx`),
      fc
        .tuple(fc.constantFrom('>', '<', '>='), fc.double({ min: 0, max: 0.02, noNaN: true }))
        .map(([op, n]) => `cost${op}${n}`),
      fc
        .tuple(fc.constantFrom('>', '<='), fc.integer({ min: 0, max: 4000 }), fc.constantFrom('ms', '', 's'))
        .map(([op, n, u]) => `latency${op}${u === 's' ? n / 1000 : n}${u}`),
      fc.tuple(fc.constantFrom('>', '<'), fc.integer({ min: 0, max: 800 })).map(([op, n]) => `ttfb${op}${n}ms`),
      fc
        .tuple(
          fc.constantFrom('tokens.in', 'tokens.out', 'replay_of'),
          fc.constantFrom('>', '<=', ':'),
          fc.integer({ min: 0, max: 3000 }),
        )
        .map(([f, op, n]) => `${f}${op}${n}`),
      fc.constantFrom('streaming', 'success', 'failed'),
      fc.constantFrom('rate', 'timeout', 'LIMIT', '', '%', '_').map((t) => `error:"${t}"`),
      fc.constantFrom('messages', 'choices', 'nothing-here').map((t) => `body:"${t}"`),
      fc.constantFrom('chat', 'GPT', '"c-1"', 'anthropic', 'élan', '"rate limited"', 'completions'),
      fc.integer({ min: 0, max: 59 }).map((m) => `since:2026-05-01T00:${String(m).padStart(2, '0')}`),
      fc.integer({ min: 0, max: 59 }).map((m) => `until:2026-05-01T00:${String(m).padStart(2, '0')}`),
    );
  const query = (cids: string[]) =>
    fc.letrec<{ q: string }>((tie) => ({
      q: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        term(cids),
        fc.tuple(tie('q'), fc.constantFrom(' ', ' AND ', ' OR '), tie('q')).map(([a, op, b]) => `${a}${op}${b}`),
        tie('q').map((a) => `-(${a})`),
        tie('q').map((a) => `NOT (${a})`),
        tie('q').map((a) => `(${a})`),
      ),
    })).q;

  it('on random filters and rows (seeded)', () => {
    const cids = rows.slice(0, 20).map((r) => r.correlationId);
    const seed = 20261206;
    fc.assert(
      fc.property(query(cids), (text) => {
        const server = new Set(serverIds({ query: text }));
        const client = rows.map((r) => [r.id, matchesFilter(r, { query: text })] as const);
        for (const [id, m] of client) {
          if (m === 'unknown') continue;
          if (m !== server.has(id)) throw new Error(`row ${id}: page says ${m}, server ${server.has(id)} for ${text}`);
        }
        for (const id of server)
          if (client.find(([i]) => i === id)![1] === false) throw new Error(`row ${id} ruled out by the page`);
      }),
      { seed, numRuns: 300, maxSkipsPerRun: 0 },
    );
  });

  it('the issue’s examples', () => {
    for (const text of [
      'model:gpt-4o*',
      'provider:anthropic',
      'policy:summarize',
      'status>=400',
      'status:5xx',
      'cost>0.01',
      'latency>2s',
      'ttfb>500ms',
      'tokens.in>1000',
      'streaming',
      '-streaming',
      'error:"rate limit"',
      'since:2026-05-01T00:30 until:2026-05-01T00:45',
      '-policy:* (status:4xx OR status:5xx)',
      `thread:${threadIds()[0]}`,
      `-thread:${threadIds()[0]}`,
    ]) {
      const server = serverIds({ query: text });
      expect(
        rows.filter((r) => matchesFilter(r, { query: text }) === true).map((r) => r.id),
        text,
      ).toEqual(server);
    }
    expect(serverIds({ query: 'model:gpt-4o*' }).length).toBeGreaterThan(0);
    expect(serverIds({ query: 'body:"messages"' }).length).toBe(rows.length);
  });
});
