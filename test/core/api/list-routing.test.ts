// Which thread reads a list page: an index seek on the thread that proxies requests, anything that
// may walk the whole log (a text search, a cost bound, a policy list with NULL) in the reader
// thread, so typing in the filter box never stalls the proxy.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type CoreHandlers } from '../../../electron/core/api/handlers';
import { listRequestsInput } from '../../../electron/core/contract/schemas';
import { seeksIndex } from '../../../electron/core/storage/filter-sql';
import type { RequestFilter } from '../../../electron/core/contract/model';
import { seedRandomRows } from '../../helpers/seed-log';
import { openTestCore, type TestCore } from './test-core';

let core: TestCore;
let h: CoreHandlers;

beforeAll(async () => {
  core = await openTestCore();
  const db = new Database(core.store.path);
  db.pragma('busy_timeout = 10000');
  seedRandomRows(db, { rows: 30_000, seed: 5, stepMs: 1000 });
  db.close();
  h = createHandlers(core);
}, 60_000);
afterAll(async () => {
  await core.dispose();
});

/** Whether the event loop turned while the page was read (it can't during a read on this thread). */
async function loopTurnedDuring(filter: RequestFilter): Promise<boolean> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await h.listRequests(listRequestsInput.parse({ filter, limit: 200 }));
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
    const reader = await h.listRequests(listRequestsInput.parse({ filter, limit: 50 }));
    expect(reader.rows.length).toBe(50);
    expect(core.store.listRequests(filter, null, 50)).toEqual(reader);
  });

  it('says which filters are index seeks', () => {
    const seeks: RequestFilter[] = [{}, { since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' }, { model: ['a'] }, { provider: ['openai'] },
      { policy: [null] }, { policy: ['batch'] }, { correlationId: 'c' }, { success: false }, { statusClass: [4, 5] }, { text: '  ' }, { model: [] }, { searchBodies: true }];
    const walks: RequestFilter[] = [{ text: 'x' }, { model: ['a', 'b'] }, { policy: ['batch', null] }, { success: true }, { statusClass: [2] }, { streaming: true },
      { minCost: 1 }, { minLatencyMs: 5 }, { model: ['a'], provider: ['openai'] }, { model: ['a'], streaming: false }];
    for (const f of seeks) expect(seeksIndex(f), JSON.stringify(f)).toBe(true);
    for (const f of walks) expect(seeksIndex(f), JSON.stringify(f)).toBe(false);
  });
});
