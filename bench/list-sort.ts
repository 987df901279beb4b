// The list sorted by a column at scale (issue 4): no index serves these orders, so each page is a
// scan of the filter's rows with a bounded sort, run in the reader thread. Times a first page and a
// page five pages deep for each column, newest-first for comparison, and the longest stall of the
// main event loop meanwhile (it should stay near zero: the scan is in the reader thread).
// Run: node scripts/run-bundled.mjs bench/list-sort.ts LOG.sqlite   (e.g. the renderer bench's BENCH_DB)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openReadOnlyLog } from '../electron/core/storage/open-readonly';
import type { ValueSort } from '../electron/core/storage/sort-sql';
import { SORT_COLUMNS, type RequestFilter, type RequestPage, type SortCursor } from '../electron/core/storage/types';

const file = process.argv[2];
if (!file) throw new Error('usage: list-sort.ts LOG.sqlite');
const log = openReadOnlyLog(file);
const PAGE = 200;
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function sorted(filter: RequestFilter, sort: ValueSort) {
  let t = process.hrtime.bigint();
  let page = (await log.listScan(filter, sort, null, PAGE)) as RequestPage<SortCursor>;
  const first = ms(t);
  let cursor: SortCursor | null = page.nextCursor;
  for (let i = 0; i < 4 && cursor; i++) cursor = (await log.listScan(filter, sort, cursor, PAGE)).nextCursor as SortCursor | null;
  t = process.hrtime.bigint();
  page = (await log.listScan(filter, sort, cursor, PAGE)) as RequestPage<SortCursor>;
  return { first, deep: ms(t), rows: page.rows.length };
}

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
try {
  let t = process.hrtime.bigint();
  log.listRequests({}, null, PAGE);
  console.log(`newest first (index, main thread): first page ${ms(t).toFixed(1)} ms`);
  t = process.hrtime.bigint();
  log.listRequests({ provider: ['openai'] }, null, PAGE, 'asc');
  console.log(`oldest first, provider=openai: first page ${ms(t).toFixed(1)} ms`);
  for (const filter of [{}, { provider: ['openai'] }] as RequestFilter[]) {
    for (const column of SORT_COLUMNS) {
      if (column === 'time') continue;
      const r = await sorted(filter, { column, dir: 'desc' });
      console.log(`${JSON.stringify(filter)} by ${column} desc: first page ${r.first.toFixed(0)} ms, 6th page ${r.deep.toFixed(0)} ms`);
    }
  }
  console.log(`main event loop while sorting: max delay ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`);
} finally {
  h.disable();
  log.close();
}
