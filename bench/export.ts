// Export benchmark: N rows without bodies to each format; time and peak RSS. Peak RSS is measured
// at two sizes to show it does not grow with the row count (keyset pages, one page in memory).
// Exports run as the app runs them, in the export thread; the longest stall of the calling
// thread's event loop (a 5 ms timer's largest gap) shows what the proxy and window would feel.
// `--inline` runs exportLog on the calling thread instead, for comparison.
// Run: node scripts/run-bundled.mjs bench/export.ts [--inline] [rows...]   (default: 100000 1000000)
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportLog, type ExportFormat, type ExportJob } from '../electron/core/export';
import { exportInThread } from '../electron/core/export/export-thread';
import { openLogStore } from '../electron/core/storage';
import { seedRandomRows } from '../test/helpers/seed-log';

async function fill(file: string, rows: number): Promise<void> {
  await (await openLogStore(file)).close(); // creates and migrates
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  seedRandomRows(db, { rows, seed: 1, stepMs: 50, requestHeaders: '{"content-type":"application/json"}' });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function measure(source: string, dir: string, format: ExportFormat) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  let lastTick = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - lastTick);
    lastTick = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const job: ExportJob = {
    source,
    destination: join(dir, `out.${format}`),
    format,
    filter: {},
    includeBodies: false,
    includeHeaders: false,
  };
  const r = await (inline ? exportLog(job) : exportInThread(job));
  const ms = performance.now() - t0;
  clearInterval(timer);
  stall = Math.max(stall, performance.now() - lastTick);
  peak = Math.max(peak, process.memoryUsage().rss);
  rmSync(r.path);
  return {
    format,
    rows: r.rows,
    seconds: +(ms / 1000).toFixed(2),
    rowsPerSec: Math.round(r.rows / (ms / 1000)),
    mb: +(r.bytes / 1e6).toFixed(1),
    peakRssMB: +(peak / 1e6).toFixed(0),
    rssGrowthMB: +((peak - base) / 1e6).toFixed(0),
    longestLoopStallMs: Math.round(stall),
    thread: !inline,
  };
}

const inline = process.argv.includes('--inline');
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const rows of sizes.length ? sizes : [100_000, 1_000_000]) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    const source = join(dir, 'log.sqlite');
    const t0 = performance.now();
    await fill(source, rows);
    console.log(`${rows} rows filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const format of ['sqlite', 'jsonl', 'csv', 'har'] as const)
      console.log(JSON.stringify(await measure(source, dir, format)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
