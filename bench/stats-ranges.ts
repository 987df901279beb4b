// Stats over time ranges that cut hours (issue 17, target 8: ≤ 250 ms at 1 000 000 rows for any
// range). Whole hours come from stats_hourly, the whole minutes of a cut hour from stats_minutely,
// and only the part-minutes at the very ends from `requests` (stats-query.ts). The log is dense,
// a row every 10 ms (360 000 an hour, 6 000 a minute), so the ends read as many rows as they ever
// would at 100 requests/s. Each case runs through the reader thread (as the app asks for stats),
// timed in wall time and in the process's CPU time (reader thread included), rounds alternating
// over the cases, medians. The log is seeded once (about 30 s) and kept for later runs.
// Run: node scripts/run-bundled.mjs bench/stats-ranges.ts [LOG.sqlite, default /tmp/stats-1m.sqlite] [rounds]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openReadOnlyLog } from '../electron/core/storage/open-readonly';
import type { RequestFilter, StatsGroupBy } from '../electron/core/contract/model';
import { median } from './stats';
import { seedLog } from './seed-log';

const file = process.argv[2] ?? '/tmp/stats-1m.sqlite';
const rounds = Number(process.argv[3] ?? 5);
const ROWS = 1_000_000;
if (!existsSync(file)) await seedLog(file, ROWS, 10);
const log = await openReadOnlyLog(file);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

// The log's first hour boundary after its start: ranges are placed relative to it.
const first = (await log.listRequests({}, null, 1, 'asc')).rows[0]!.timestamp;
const H = Date.parse(`${first.slice(0, 13)}:00:00.000Z`) + 3_600_000;
const at = (ms: number) => new Date(H + ms).toISOString();
const MIN = 60_000;
const HOUR = 3_600_000;

const RANGES: { name: string; filter: RequestFilter }[] = [
  { name: 'whole log', filter: {} },
  { name: 'whole hours', filter: { since: at(0), until: at(HOUR) } },
  {
    name: 'cuts hours on whole minutes (17 min … 1 h 41 min)',
    filter: { since: at(17 * MIN), until: at(HOUR + 41 * MIN) },
  },
  {
    name: 'cuts hours and minutes at both ends (16:47.345 … 1:41:07.5)',
    filter: { since: at(16 * MIN + 47_345), until: at(HOUR + 41 * MIN + 7_500) },
  },
  {
    name: 'cuts hours and minutes, from before the log to mid-minute',
    filter: { since: '2000-01-01T00:00:00.000Z', until: at(HOUR + 59 * MIN + 59_990) },
  },
  {
    name: 'inside one hour, minutes cut (12:00.5 … 48:59.5)',
    filter: { since: at(12 * MIN + 500), until: at(48 * MIN + 59_500) },
  },
  {
    name: 'inside one minute (30.25 s … 59.75 s)',
    filter: { since: at(5 * MIN + 30_250), until: at(5 * MIN + 59_750) },
  },
  {
    name: 'one model, cuts hours and minutes at both ends',
    filter: { model: ['gpt-4.1'], since: at(16 * MIN + 47_345), until: at(HOUR + 41 * MIN + 7_500) },
  },
];
const GROUPS: (StatsGroupBy | null)[] = ['model', null];

interface Case {
  name: string;
  filter: RequestFilter;
  groupBy: StatsGroupBy | null;
  wall: number[];
  cpu: number[];
  requests: number;
}
const cases: Case[] = RANGES.flatMap((r) =>
  GROUPS.map((groupBy) => ({ ...r, groupBy, wall: [], cpu: [], requests: 0 })),
);

console.log(`# stats over ranges · ${new Date().toISOString()} · node ${process.version} · ${file} · load ${load()}`);
for (let round = 0; round < rounds; round++) {
  for (const c of round % 2 ? [...cases].reverse() : cases) {
    const cpu0 = process.cpuUsage();
    const t = process.hrtime.bigint();
    const s = await log.getStats(c.filter, c.groupBy);
    c.wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    const cpu = process.cpuUsage(cpu0);
    c.cpu.push((cpu.user + cpu.system) / 1000);
    c.requests = s.total.requests;
  }
}
console.log(
  `\n| stats at ${ROWS.toLocaleString('en-US')} rows (10 ms apart) | group by | rows in range | wall ms | CPU ms |`,
);
console.log('| --- | --- | ---: | ---: | ---: |');
for (const c of cases) {
  console.log(
    `| ${c.name} | ${c.groupBy ?? 'totals'} | ${c.requests.toLocaleString('en-US')} | ` +
      `${median(c.wall).toFixed(1)} | ${median(c.cpu).toFixed(1)} |`,
  );
}
console.log(`\nmedians of ${rounds} alternating rounds; target ≤ 250 ms; load after: ${load()}`);
await log.close();
