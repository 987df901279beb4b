// The writer against SQLite's own floor, same schema, same rows, same run. The writer's figure is
// the CPU time of its thread alone (process.threadCpuUsage, read in the thread) per committed row:
// receiving the records, building parameters, the inserts, the derived tables, commits and GC on
// that thread. The floor is the same rows' parameters built beforehand and inserted with prepared
// statements, 500 per transaction, on a connection with the writer's pragmas: what SQLite costs
// with no code of ours around it. The producer's side (enqueue and the post, on the proxy's
// thread) is shown beside them. Rounds alternate writer and floor so a loaded machine shifts both
// alike. Run: node scripts/run-bundled.mjs bench/writer.ts [rows] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../electron/core/storage/database';
import { openLogStore } from '../electron/core/storage';
import { INSERT_EXCHANGE_SQL, INSERT_REQUEST_SQL, exchangeParams, requestParams } from '../electron/core/storage/rows';
import { benchRecord } from './bench-records';
import { fmt, median } from './stats';

const direct = process.argv[1]?.endsWith('writer.js');
const ROWS = Number((direct && process.argv[2]) || 50_000);
const ROUNDS = Number((direct && process.argv[3]) || 5);
/** Rows in a run at a fixed offered rate (10 s at 1 000 rows/s). */
const RATED_ROWS = 10_000;

const threadCpu = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

let fileNo = 0;

/** Writer thread and producer thread CPU µs per row for ROWS records through the real store. */
async function writerRun(
  dir: string,
  bodies: boolean,
  rate: number | null,
): Promise<{ writer: number; producer: number; perTransaction: number }> {
  const store = await openLogStore(join(dir, `w${fileNo++}.sqlite`));
  try {
    const n = rate === null ? ROWS : RATED_ROWS;
    const records = Array.from({ length: n }, (_, i) => benchRecord(i, bodies));
    let transactions = 0;
    store.on('committed', () => transactions++);
    const w0 = await store.writerCpuMicros();
    const p0 = threadCpu();
    const start = performance.now();
    for (let i = 0; i < n;) {
      // At full speed, bursts of 1000 a turn; at a fixed rate, what is due every millisecond or so.
      const due = rate === null ? i + 1000 : Math.floor(((performance.now() - start) * rate) / 1000);
      for (; i < Math.min(n, due); i++) store.enqueue(records[i]!);
      if (rate === null) await new Promise((r) => setImmediate(r));
      else await new Promise((r) => setTimeout(r, 1));
      while (store.writerStatus().queued > 20_000) await new Promise((r) => setTimeout(r, 2));
    }
    await store.flush();
    // The producer's whole share: enqueue, the post, and handling the commits' answers.
    const producer = threadCpu() - p0;
    const w1 = await store.writerCpuMicros();
    return { writer: (w1 - w0) / n, producer: producer / n, perTransaction: n / transactions };
  } finally {
    await store.close();
  }
}

/** CPU µs per row of inserting the same rows' pre-built parameters, nothing else. */
async function floorRun(dir: string, bodies: boolean, n: number, perTransaction: number): Promise<number> {
  const file = join(dir, `f${fileNo++}.sqlite`);
  await (await openLogStore(file)).close(); // the shipped schema, migrated
  const db = openConnection(file);
  try {
    db.pragma('wal_autocheckpoint = 16384');
    const insertRequest = db.prepare(INSERT_REQUEST_SQL);
    const insertExchange = db.prepare(INSERT_EXCHANGE_SQL);
    const rows = Array.from({ length: n }, (_, i) => {
      const r = benchRecord(i, bodies);
      return { request: requestParams(r), exchange: exchangeParams(0, r.exchange, false).slice(1) };
    });
    const batch = db.transaction((from: number) => {
      for (let i = from; i < Math.min(n, from + perTransaction); i++) {
        const id = insertRequest.run(rows[i]!.request).lastInsertRowid;
        insertExchange.run(id, ...rows[i]!.exchange);
      }
    });
    const c0 = threadCpu();
    for (let i = 0; i < n; i += perTransaction) batch(i);
    return (threadCpu() - c0) / n;
  } finally {
    db.close();
  }
}

export async function benchWriter(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'inspector-writer-'));
  console.log(
    `\n# writer vs SQLite floor · ${new Date().toISOString()} · ${cpus().length}× ${cpus()[0]?.model} · ` +
      `node ${process.version} · ${ROWS.toLocaleString()} rows per run, ${ROUNDS} rounds · load ${load()}`,
  );
  try {
    const cases = [true, false].flatMap((bodies) =>
      [null, 1000].map((rate) => ({
        name: `${bodies ? '1 KiB request + 1 KiB response bodies' : 'no bodies'}, ${
          rate === null ? `${ROWS.toLocaleString()} as fast as they come` : `${rate} rows/s offered`
        }`,
        bodies,
        rate,
      })),
    );
    const res = cases.map(() => ({
      writer: [] as number[],
      producer: [] as number[],
      floor: [] as number[],
      tx: [] as number[],
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, c] of cases.entries()) {
        const w = await writerRun(dir, c.bodies, c.rate);
        const perTx = Math.max(1, Math.round(w.perTransaction));
        res[k]!.writer.push(w.writer);
        res[k]!.producer.push(w.producer);
        res[k]!.tx.push(w.perTransaction);
        res[k]!.floor.push(await floorRun(dir, c.bodies, c.rate === null ? ROWS : RATED_ROWS, perTx));
      }
    }
    console.log(
      '\n| rows | rows per transaction | writer thread CPU ' +
        'µs/row | SQLite floor, same transactions | writer ÷ that | ' +
        'SQLite floor, 500 a transaction | writer ÷ that | producer thread µs/row (enqueue, post, commit events) |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [k, c] of cases.entries()) {
      const w = median(res[k]!.writer);
      const f = median(res[k]!.floor);
      // The bulk case of the same bodies is the floor at 500 rows a transaction.
      const f500 = median(res[cases.findIndex((b) => b.bodies === c.bodies && b.rate === null)]!.floor);
      console.log(
        `| ${c.name} | ${fmt(median(res[k]!.tx), 0)} | ${fmt(w)} | ${fmt(f)} | ${fmt(w / f, 2)} | ${fmt(f500)} | ` +
          `${fmt(w / f500, 2)} | ${fmt(median(res[k]!.producer))} |`,
      );
    }
    console.log('target: writer ≤ 2 × floor');
    console.log(`\nmedians of ${ROUNDS} alternating rounds; load after: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (direct) await benchWriter();
