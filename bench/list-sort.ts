// The list sorted by a column at scale (issue 4): no index serves these orders, so each page is a
// scan of the filter's rows with a bounded sort, run in the reader thread. Times a first page, a
// page five pages deep and the last page (reached in one call by skipping from the second page's
// cursor, as the list does when the scrollbar is dragged to the bottom) for each column,
// newest-first for comparison, and the longest stall of the main event loop meanwhile (it should
// stay near zero: the scans are in the reader thread).
// Run: node scripts/run-bundled.mjs bench/list-sort.ts LOG.sqlite   (e.g. the renderer bench's BENCH_DB)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openReadOnlyLog } from '../electron/core/storage/open-readonly';
import { SORT_COLUMNS, type ListCursor, type ListSort, type RequestFilter } from '../electron/core/contract/model';

const file = process.argv[2];
if (!file) throw new Error('usage: list-sort.ts LOG.sqlite');
const log = await openReadOnlyLog(file);
const PAGE = 200;
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function sorted(filter: RequestFilter, sort: ListSort, total: number) {
  let t = process.hrtime.bigint();
  const second = (await log.listScan(filter, sort, null, PAGE)).nextCursor;
  const first = ms(t);
  let cursor: ListCursor | null = second;
  for (let i = 0; i < 4 && cursor; i++) cursor = (await log.listScan(filter, sort, cursor, PAGE)).nextCursor;
  t = process.hrtime.bigint();
  await log.listScan(filter, sort, cursor, PAGE);
  const deep = ms(t);
  const skip = Math.floor((total - 1) / PAGE) * PAGE - PAGE;
  t = process.hrtime.bigint();
  const last = await log.listScan(filter, sort, second, PAGE, skip);
  return { first, deep, last: ms(t), lastRows: last.rows.length, end: last.nextCursor === null };
}

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
try {
  let t = process.hrtime.bigint();
  await log.listRequests({}, null, PAGE);
  console.log(`newest first (index, reader thread): first page ${ms(t).toFixed(1)} ms`);
  t = process.hrtime.bigint();
  await log.listRequests({ provider: ['openai'] }, null, PAGE, 'asc');
  console.log(`oldest first, provider=openai: first page ${ms(t).toFixed(1)} ms`);
  for (const filter of [{}, { provider: ['openai'] }] as RequestFilter[]) {
    const total = (await log.getStats(filter, null)).total.requests;
    for (const column of SORT_COLUMNS) {
      const r = await sorted(filter, { column, dir: 'desc' }, total);
      console.log(
        `${JSON.stringify(filter)} by ${column} desc: first page ` +
          `${r.first.toFixed(0)} ms, 6th page ${r.deep.toFixed(0)} ms, ` +
          `last page (skip ${(total - 2 * PAGE).toLocaleString('en-US')}) ` +
          `${r.last.toFixed(0)} ms (${r.lastRows} rows${r.end ? ', the end' : ', NOT the end'})`,
      );
    }
  }
  console.log(
    `main event loop while sorting: max delay ` +
      `${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`,
  );
} finally {
  h.disable();
  await log.close();
}
