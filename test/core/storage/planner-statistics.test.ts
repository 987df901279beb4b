// The planner's statistics, kept by the writer (storage/statistics.ts): a log past ANALYZE_MIN_ROWS gets
// them, churn as large as what they counted refreshes them, and with them a model prefix most rows share is
// paged in the list's own order while a rare one still seeks the model index.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStoreOptions } from '../../../electron/core/storage';
import { timePageSql } from '../../../electron/core/storage/queries';
import { ANALYZE_MIN_ROWS } from '../../../electron/core/storage/statistics';
import { makeRecord, tempDir } from '../../helpers/records';

let file: string;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  file = join(t.dir, 'log.sqlite');
});
afterEach(() => cleanup());

/** Logs `rows` requests through a store and closes it (the writer's last batch, and any ANALYZE after it, done). */
async function log(rows: number, options: LogStoreOptions = {}, model: (i: number) => string = () => 'gpt-4o-mini') {
  const store = await openLogStore(file, options);
  for (let i = 0; i < rows; i++) {
    const m = model(i);
    store.enqueue(makeRecord({ model: m, provider: m.startsWith('claude') ? 'anthropic' : 'openai' }));
  }
  await store.flush();
  await store.close();
}

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The rows the statistics of `requests` counted; 0 without any. */
const analysed = () =>
  withDb((db) => {
    if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get()) return 0;
    const stats = db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'requests'").pluck().all() as string[];
    return Math.max(0, ...stats.map((s) => Number.parseInt(s, 10)));
  });

/** How SQLite runs the list's first page for `query`, with its values written into the statement. */
function planOf(db: Database.Database, query: string): string {
  const { sql, params } = timePageSql('r.id', { query }, null);
  let i = 0;
  const literal = sql.replace(/\?/g, () => {
    const v = [...params, 200][i++];
    return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v);
  });
  const steps = db.prepare(`EXPLAIN QUERY PLAN ${literal}`).all() as { detail: string }[];
  return steps.map((s) => s.detail).join('; ');
}

describe('planner statistics', () => {
  it('a log past the threshold gets them, and a prefix most rows share pages in time order', async () => {
    // Mostly Claude, a fifth GPT, one request in 500 Gemini.
    const model = (i: number) => (i % 500 === 7 ? 'gemini-2.5-pro' : i % 5 === 0 ? 'gpt-4o' : 'claude-sonnet-4-5');
    await log(ANALYZE_MIN_ROWS + 2_000, {}, model);
    // Analysed once the threshold was reached, at the end of a batch; the 2 000 after it are too few to redo it.
    expect(analysed()).toBeGreaterThanOrEqual(ANALYZE_MIN_ROWS);
    expect(analysed()).toBeLessThan(ANALYZE_MIN_ROWS + 2_000);
    withDb((db) => {
      // Most rows match: walk the time order until a page is full, no sort of every match.
      expect(planOf(db, 'model:claude*')).not.toContain('TEMP B-TREE');
      // Few rows match: the model index, then a sort of those few.
      expect(planOf(db, 'model:gemini*')).toContain('requests_model');
      // Without the statistics SQLite takes the model index and sorts every Claude row.
      db.exec('DROP TABLE sqlite_stat1; DROP TABLE sqlite_stat4;');
    });
    withDb((db) => expect(planOf(db, 'model:claude*')).toContain('TEMP B-TREE'));
  }, 60_000);

  it('a log that reaches a writer already large is analysed as it opens, with no new rows', async () => {
    await log(300, { writer: { analyzeMinRows: 1_000 } });
    expect(analysed()).toBe(0);
    const store = await openLogStore(file, { writer: { analyzeMinRows: 100 } });
    try {
      await expect.poll(analysed, { timeout: 10_000 }).toBe(300);
    } finally {
      await store.close();
    }
  });

  it('a small log gets none', async () => {
    await log(500);
    expect(analysed()).toBe(0);
  });

  it('churn as large as what they counted refreshes them: rows added, and rows deleted', async () => {
    const options = { writer: { analyzeMinRows: 100 } };
    await log(150, options);
    expect(analysed()).toBe(150);
    // 100 rows of churn against 150 counted: not yet.
    await log(100, options);
    expect(analysed()).toBe(150);
    // A writer thread does not know the churn of the one before it: 160 more in one go.
    await log(160, options);
    expect(analysed()).toBe(410);
    const store = await openLogStore(file, options);
    expect(await store.clearLogs(null)).toBe(410);
    await store.close();
    // Deleting every row is churn too: the statistics now say the log is empty.
    expect(analysed()).toBe(0);
  });
});
