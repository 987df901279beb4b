// The list grouped by thread at scale: a log of 1 M requests in conversations of 10 turns, four
// at a time interleaved (threads assigned in SQL as the writer would have), read through the store's
// reader thread as the page reads it. Times the grouped first page (100 lines), the 10th page, a
// first page under a filter, and, for comparison, the whole-log GROUP BY the first version ran;
// medians of alternating rounds, wall time and the process's CPU time (the reader thread included).
// Run: node scripts/run-bundled.mjs bench/thread-list.ts [ROWS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLogStore } from '../electron/core/storage';
import type { RequestFilter } from '../electron/core/contract/model';
import type { ThreadCursor } from '../electron/core/contract/threads';
import { seedLog } from './seed-log';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 7;
const dir = mkdtempSync(join(tmpdir(), 'bench-threads-'));
const path = join(dir, 'log.sqlite');

await seedLog(path, ROWS);
{
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Windows of 40 rows hold 4 conversations of 10 turns each, their turns interleaved.
  db.exec(`UPDATE requests SET thread_id = ((id - 1) / 40) * 40 + (id - 1) % 4 + 1, turn = ((id - 1) % 40) / 4 + 1;
    INSERT INTO request_threads (request_id, segment, source, context_hash, message_count)
      SELECT id, 1, CASE turn WHEN 1 THEN 'new' ELSE 'prefix:' || (2 * turn - 2) END, 'ctx', 2 * turn - 1
      FROM requests;
    UPDATE derived_tables SET complete = 1 WHERE name = 'threads';`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const store = await openLogStore(path);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const u = process.cpuUsage(c);
  return { ms, cpuMs: (u.user + u.system) / 1000 };
}

async function tenthPage(filter: RequestFilter) {
  let cursor: ThreadCursor | null = null;
  for (let i = 0; i < 9; i++) cursor = (await store.listThreads(filter, cursor, 100)).nextCursor;
  return () => store.listThreads(filter, cursor, 100);
}

const cases: [string, () => Promise<unknown>][] = [
  ['grouped first page (100 threads)', () => store.listThreads({}, null, 100)],
  ['grouped 10th page', await tenthPage({})],
  ['grouped first page, model:claude*', () => store.listThreads({ query: 'model:claude*' }, null, 100)],
  ['grouped first page, status>=500', () => store.listThreads({ query: 'status>=500' }, null, 100)],
  [
    'list first page (200 rows), for comparison',
    () => store.listPage({ filter: {}, cursor: null, limit: 200, skip: 0 }),
  ],
  [
    'list first page (200 rows), model:claude*',
    () => store.listPage({ filter: { query: 'model:claude*' }, cursor: null, limit: 200, skip: 0 }),
  ],
];
const results = new Map<string, { ms: number[]; cpu: number[] }>(cases.map(([n]) => [n, { ms: [], cpu: [] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of r % 2 ? [...cases].reverse() : cases) {
    const t = await timed(fn);
    results.get(name)!.ms.push(t.ms);
    results.get(name)!.cpu.push(t.cpuMs);
  }
}
// The first version: one GROUP BY over every matching row, sorted by each thread's latest turn.
const db = new Database(path, { readonly: true });
const whole = db.prepare(`SELECT r.thread_id, count(*), max(r.timestamp) AS lastAt, sum(r.input_tokens), sum(r.cost)
  FROM requests r WHERE r.thread_id IS NOT NULL GROUP BY r.thread_id ORDER BY lastAt DESC, r.thread_id DESC LIMIT 101`);
const old: number[] = [];
for (let r = 0; r < 3; r++) old.push((await timed(async () => whole.all())).ms);
db.close();

console.log(
  `${ROWS.toLocaleString('en-US')} rows, ${(ROWS / 10).toLocaleString('en-US')} threads; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const [name, r] of results)
  console.log(`${name}: median ${median(r.ms).toFixed(1)} ms wall, ${median(r.cpu).toFixed(1)} ms CPU`);
console.log(`whole-log GROUP BY (the first version), median of 3: ${median(old).toFixed(0)} ms`);
await store.close();
rmSync(dir, { recursive: true, force: true });
