// Storage benchmark: writer throughput with and without bodies, then list and stats latency at
// 1 000 000 rows. Run with `npm run bench` (or `node scripts/run-bundled.mjs bench/storage.ts [rows]`).
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogStore, type LogStore, type RequestFilter, type StatsGroupBy } from '../electron/core/storage';
import { benchRecord } from './bench-records';
import { fmt, median, percentile, timeMs } from './stats';

const ROWS = Number(process.argv[2] ?? 1_000_000);

/** Enqueues `n` records in producer-sized bursts (yielding like a server does) and waits for the commit. */
async function fill(store: LogStore, n: number, bodies: boolean, from = 0): Promise<number> {
  const t0 = Date.UTC(2026, 0, 1);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = from; i < from + n; i++) {
    store.enqueue(benchRecord(i, bodies, t0));
    if (i % 2000 === 1999) {
      await new Promise((r) => setImmediate(r));
      // Keep at most ~50k in flight so the queue bound is never what is being measured.
      while (store.writerStatus().queued > 50_000) await new Promise((r) => setTimeout(r, 5));
    }
  }
  await store.flush();
  const cpu = process.cpuUsage(cpu0);
  lastCpuRate = n / ((cpu.user + cpu.system) / 1e6);
  return n / ((performance.now() - start) / 1000);
}

/** Records per CPU-second of the whole process (producer + writer thread) in the last fill: load hardly moves it. */
let lastCpuRate = 0;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'inspector-bench-'));
  console.log(
    `# storage benchmark · ${new Date().toISOString()} · ${cpus().length}× ` +
      `${cpus()[0]?.model} · ${Math.round(totalmem() / 2 ** 30)} GiB · node ${process.version}`,
  );
  try {
    // Throughput, three runs each, alternating so machine noise hits both alike.
    const withBodies: number[] = [];
    const without: number[] = [];
    const cpuWith: number[] = [];
    const cpuWithout: number[] = [];
    for (let run = 0; run < 3; run++) {
      for (const bodies of [true, false]) {
        const store = await openLogStore(join(dir, `tp-${run}-${bodies}.sqlite`));
        const rate = await fill(store, bodies ? 100_000 : 200_000, bodies);
        await store.close();
        (bodies ? withBodies : without).push(rate);
        (bodies ? cpuWith : cpuWithout).push(lastCpuRate);
      }
    }
    console.log('\n| writer throughput | median records/s | runs | records per CPU-second (median) |');
    console.log('| --- | ---: | --- | ---: |');
    console.log(
      `| 1 KiB request + 1 KiB response bodies | ${fmt(median(withBodies), 0)} | ` +
        `${withBodies.map((x) => fmt(x, 0)).join(', ')} | ${fmt(median(cpuWith), 0)} |`,
    );
    console.log(
      `| no bodies | ${fmt(median(without), 0)} | ` +
        `${without.map((x) => fmt(x, 0)).join(', ')} | ${fmt(median(cpuWithout), 0)} |`,
    );

    // A database of ROWS rows (the last 1% with bodies), then queries against it.
    const file = join(dir, 'big.sqlite');
    const store = await openLogStore(file);
    const t = performance.now();
    await fill(store, ROWS - Math.floor(ROWS / 100), false);
    await fill(store, Math.floor(ROWS / 100), true, ROWS - Math.floor(ROWS / 100));
    console.log(
      `\nfilled ${ROWS.toLocaleString()} rows in ` +
        `${fmt((performance.now() - t) / 1000)} s; database ${fmt(store.databaseSize() / 2 ** 20)} MiB`,
    );

    const filters: Record<string, RequestFilter> = {
      'no filter': {},
      model: { model: ['claude-sonnet-4-5'] },
      provider: { provider: ['anthropic'] },
      policy: { policy: ['policy-3'] },
      'no policy': { policy: [null] },
      'status 5xx': { statusClass: [5] },
      errors: { success: false },
      streamed: { streaming: true },
      'time range': {
        since: new Date(Date.UTC(2026, 0, 1) + 2_000_000).toISOString(),
        until: new Date(Date.UTC(2026, 0, 1) + 8_000_000).toISOString(),
      },
      'min cost': { minCost: 0.009 },
      'min latency': { minLatencyMs: 2500 },
      'correlation id': { correlationId: `bench-${Math.floor(ROWS / 2)}` },
      'text (model substring)': { text: 'sonnet' },
    };
    console.log(
      `\n| list page of 100 at ${ROWS.toLocaleString()} rows | ` +
        `first page (ms, median) | deep page (ms, median) | deep page p95 |`,
    );
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, f] of Object.entries(filters)) {
      // Deep pages: cursors taken from across the whole range of the filter's results.
      const first: number[] = [];
      const deep: number[] = [];
      for (let k = 0; k < 20; k++) first.push(timeMs(() => store.listRequests(f, null, 100)));
      for (let k = 0; k < 20; k++) {
        const ts = new Date(Date.UTC(2026, 0, 1) + Math.floor(((k + 0.5) / 20) * ROWS) * 10).toISOString();
        deep.push(timeMs(() => store.listRequests(f, { timestamp: ts, id: Number.MAX_SAFE_INTEGER }, 100)));
      }
      console.log(
        `| ${name} | ${fmt(median(first), 2)} | ${fmt(median(deep), 2)} | ${fmt(percentile(deep, 0.95), 2)} |`,
      );
    }

    // Rows are 10 ms apart (360 000 an hour): a time range's two part-hours, which the rollup
    // can't answer, are as large here as they get at 100 requests/s.
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    const statsCases: [string, RequestFilter, StatsGroupBy | null][] = [
      ['whole log, grouped by model', {}, 'model'],
      ['whole log, grouped by provider', {}, 'provider'],
      ['whole log, grouped by policy', {}, 'policy'],
      ['whole log, totals only', {}, null],
      ['model + streamed, grouped by policy', { model: ['gpt-4.1'], streaming: true }, 'policy'],
      ['whole hours (since/until on the hour), by model', { since: at(3_600_000), until: at(7_200_000) }, 'model'],
      ['time range with part-hours, by model', { since: at(1_000_000), until: at(8_000_000) }, 'model'],
      ['text filter (exact scan), by model', { text: 'sonnet' }, 'model'],
    ];
    console.log(`\n| stats over ${ROWS.toLocaleString()} rows | median ms (5 runs) |`);
    console.log('| --- | ---: |');
    for (const [name, filter, groupBy] of statsCases) {
      const ms: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        await store.getStats(filter, groupBy);
        ms.push(performance.now() - t);
      }
      console.log(`| ${name} | ${fmt(median(ms), 0)} |`);
    }
    const ratios: number[] = [];
    for (let k = 0; k < 5; k++) ratios.push(timeMs(() => store.getTokenRatios()));
    console.log(`| getTokenRatios | ${fmt(median(ratios), 2)} |`);
    const rb = performance.now();
    await store.rebuildTokenRatios();
    console.log(`| rebuildTokenRatios (in the writer) | ${fmt(performance.now() - rb, 0)} |`);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
