// Far jumps in a 1 000 000-row log (issue 17, target 7: any point of the list within 1 s, in any
// order): the page at the middle and at the bottom of the list, reached in one call from the second
// page's cursor as the list does when its scrollbar is dragged there, for time order and each
// sortable column, without and with a filter. Each case is timed in wall time and in the process's
// CPU time (the reads run in the reader thread, which process.cpuUsage counts), rounds alternating
// over the cases, medians. The log is seeded once (about 30 s) and kept for later runs.
// Run: node scripts/run-bundled.mjs bench/list-seek.ts [LOG.sqlite, default /tmp/list-seek-1m.sqlite] [rounds]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openReadOnlyLog } from '../electron/core/storage/open-readonly';
import { SORT_COLUMNS, type ListSort, type RequestFilter } from '../electron/core/contract/model';
import { median } from './stats';
import { seedLog } from './seed-log';

const file = process.argv[2] ?? '/tmp/list-seek-1m.sqlite';
const rounds = Number(process.argv[3] ?? 3);
if (!existsSync(file)) await seedLog(file, 1_000_000);
const log = await openReadOnlyLog(file);
const PAGE = 200;
const load = () => loadavg()[0]!.toFixed(1);

const FILTERS: { name: string; filter: RequestFilter }[] = [
  { name: 'no filter', filter: {} },
  { name: 'provider:openai', filter: { query: 'provider:openai' } },
];
interface Case {
  filter: (typeof FILTERS)[number];
  sort: ListSort;
  at: 'middle' | 'bottom';
  wall: number[];
  cpu: number[];
}
const cases: Case[] = [];
for (const filter of FILTERS)
  for (const column of SORT_COLUMNS)
    for (const at of ['middle', 'bottom'] as const)
      cases.push({ filter, sort: { column, dir: 'desc' }, at, wall: [], cpu: [] });

const totals = new Map<RequestFilter, number>();
for (const { filter } of FILTERS) totals.set(filter, (await log.getStats(filter, null)).total.requests);
console.log(`${file}: ${[...totals.values()].map((n) => n.toLocaleString('en-US')).join(' / ')} rows; load ${load()}`);

for (let round = 0; round < rounds; round++) {
  for (const c of round % 2 ? [...cases].reverse() : cases) {
    const total = totals.get(c.filter.filter)!;
    // The list holds page 0, so its far reads start from page 1's cursor (never from the top).
    const second = (await log.listScan(c.filter.filter, c.sort, null, PAGE)).nextCursor;
    const target = c.at === 'bottom' ? Math.floor((total - 1) / PAGE) * PAGE : Math.floor(total / 2 / PAGE) * PAGE;
    const cpu0 = process.cpuUsage();
    const t = process.hrtime.bigint();
    const page = await log.listScan(c.filter.filter, c.sort, second, PAGE, target - PAGE);
    c.wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    const cpu = process.cpuUsage(cpu0);
    c.cpu.push((cpu.user + cpu.system) / 1000);
    const end = page.nextCursor === null;
    if (page.rows.length === 0 || (c.at === 'bottom') !== end || page.remaining !== total - PAGE)
      throw new Error(
        `wrong page: ${JSON.stringify({ ...c, rows: page.rows.length, end, remaining: page.remaining })}`,
      );
  }
  console.log(`round ${round + 1} done, load ${load()}`);
}

console.log('\n| filter | order | middle: wall ms | middle: CPU ms | bottom: wall ms | bottom: CPU ms |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (let i = 0; i < cases.length; i += 2) {
  const [mid, bottom] = [cases[i]!, cases[i + 1]!];
  const f = (xs: number[]) => median(xs).toFixed(0);
  console.log(
    `| ${mid.filter.name} | ${mid.sort.column} ${mid.sort.dir} | ` +
      `${f(mid.wall)} | ${f(mid.cpu)} | ${f(bottom.wall)} | ${f(bottom.cpu)} |`,
  );
}
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await log.close();
