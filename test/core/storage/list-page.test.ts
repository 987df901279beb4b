// Which thread reads a list page: an index seek on the thread that proxies requests, anything that
// may walk the whole log (a text search, a cost bound, a policy list with NULL) in the reader
// thread, so typing in the filter box never stalls the proxy.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listRequestsInput } from '../../../electron/core/contract/schemas';
import { seeksIndex } from '../../../electron/core/storage/filter-sql';
import type { RequestFilter } from '../../../electron/core/contract/model';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { tempDir } from '../../helpers/records';
import { seedRandomRows } from '../../helpers/seed-log';

let temp: ReturnType<typeof tempDir>;
let store: LogStore;

beforeAll(async () => {
  temp = tempDir('inspector-list-page-');
  store = await openLogStore(join(temp.dir, 'log.sqlite'));
  const db = new Database(store.path);
  db.pragma('busy_timeout = 10000');
  seedRandomRows(db, { rows: 30_000, seed: 5, stepMs: 1000 });
  db.close();
}, 60_000);
afterAll(async () => {
  await store.close();
  temp.cleanup();
});

/** The page the API's listRequests asks the store for, defaults applied by the contract's schema. */
const page = (input: object) => {
  const { source: _source, ...query } = listRequestsInput.parse(input);
  return store.listPage(query);
};

/** Whether the event loop turned while the page was read (it can't during a read on this thread). */
async function loopTurnedDuring(filter: RequestFilter): Promise<boolean> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await page({ filter, limit: 200 });
  } finally {
    clearInterval(timer);
  }
  return ticks > 0;
}

describe('list pages and the proxy thread', () => {
  it('a text search with no match (a walk of all 30 000 rows) is read in the reader thread', async () => {
    expect(await loopTurnedDuring({ text: 'no-such-text-anywhere' })).toBe(true);
    expect(await loopTurnedDuring({ text: 'no-such-text-anywhere', searchBodies: true })).toBe(true);
    expect(await loopTurnedDuring({ minCost: 1e9 })).toBe(true);
  });

  it('an index seek stays on this thread (the check above can tell them apart)', async () => {
    expect(await loopTurnedDuring({})).toBe(false);
    expect(await loopTurnedDuring({ model: ['gpt-4o-mini'] })).toBe(false);
  });

  it('both threads read the same rows', async () => {
    const filter: RequestFilter = { text: 'chat' };
    const reader = await page({ filter, limit: 50 });
    expect(reader.rows.length).toBe(50);
    expect(store.listRequests(filter, null, 50)).toEqual(reader);
  });

  it('says which filters are index seeks', () => {
    const seeks: RequestFilter[] = [
      {},
      { since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' },
      { model: ['a'] },
      { provider: ['openai'] },
      { policy: [null] },
      { policy: ['batch'] },
      { correlationId: 'c' },
      { success: false },
      { statusClass: [4, 5] },
      { text: '  ' },
      { model: [] },
      { searchBodies: true },
    ];
    const walks: RequestFilter[] = [
      { text: 'x' },
      { model: ['a', 'b'] },
      { policy: ['batch', null] },
      { success: true },
      { statusClass: [2] },
      { streaming: true },
      { minCost: 1 },
      { minLatencyMs: 5 },
      { model: ['a'], provider: ['openai'] },
      { model: ['a'], streaming: false },
    ];
    for (const f of seeks) expect(seeksIndex(f), JSON.stringify(f)).toBe(true);
    for (const f of walks) expect(seeksIndex(f), JSON.stringify(f)).toBe(false);
  });
});
