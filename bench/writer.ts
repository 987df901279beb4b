// The writer against SQLite's own floor, same schema, same rows, same run. The writer's figure is
// the CPU time of its thread alone (process.threadCpuUsage, read in the thread) per committed row:
// receiving the records, building parameters, the inserts, the derived tables, commits and GC on
// that thread. The floor is what that writer stored, read back and written again into a fresh log
// with prepared statements, the same rows per transaction (paced as the writer's at an offered
// rate), on a connection with the writer's pragmas: every table the product keeps (rows,
// exchanges, body parts and templates, message hashes and threads, the bodies' full-text index,
// one upsert per rollup, ratio and distribution key a transaction touches), with no code of ours
// around it (floorPlan). The producer's side (enqueue and the post, on the proxy's thread) is
// shown beside them. Rounds alternate writer and floor so a loaded machine shifts both alike.
// Run: node scripts/run-bundled.mjs bench/writer.ts [rows] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../electron/core/storage/database';
import { openLogStore } from '../electron/core/storage';
import { indexableText } from '../electron/core/storage/body-index';
import { literalText } from '../electron/core/storage/body-store';
import { bandOf } from '../electron/core/inspect/distributions/bands';
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
): Promise<{ writer: number; producer: number; perTransaction: number; file: string }> {
  const file = join(dir, `w${fileNo++}.sqlite`);
  const store = await openLogStore(file);
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
    return { writer: (w1 - w0) / n, producer: producer / n, perTransaction: n / transactions, file };
  } finally {
    await store.close();
  }
}

/** What one transaction of the floor writes: plain inserts and upserts, their parameters built beforehand. */
type FloorBatch = { sql: number; params: unknown[] }[];

/**
 * What the writer stored, read back from its file and cut into transactions of `perTransaction`
 * rows: every row of requests (with the thread columns the writer set), exchanges, request_messages
 * and request_threads; the bodies' text for the full-text index (normalised beforehand, as
 * indexableText does: the floor keeps SQLite's tokenising, not our normalising); and per
 * transaction one upsert per rollup, ratio and distribution key its rows touch, with the stored
 * row's values (the same blob sizes). That is the full schema the product keeps, filled with
 * prepared statements and nothing else.
 */
function floorPlan(writerFile: string, perTransaction: number): { sqls: string[]; batches: FloorBatch[] } {
  const src = openConnection(writerFile, { readonly: true });
  try {
    const sqls: string[] = [];
    const sqlNo = new Map<string, number>();
    const stmt = (sql: string) => {
      if (!sqlNo.has(sql)) sqlNo.set(sql, sqls.push(sql) - 1);
      return sqlNo.get(sql)!;
    };
    const columns = (table: string) =>
      // Stored columns only: generated ones (status_class) are computed, not inserted.
      (src.prepare(`SELECT name FROM pragma_table_xinfo('${table}') WHERE hidden = 0`).pluck().all() as string[]).join(
        ', ',
      );
    const insertOf = (table: string, verb = 'INSERT') => {
      const cols = columns(table);
      const marks = cols
        .split(', ')
        .map(() => '?')
        .join(', ');
      return stmt(`${verb} INTO ${table} (${cols}) VALUES (${marks})`);
    };
    /** Rows of a table by request id, as parameter arrays. */
    const byRequest = (table: string, idColumn: string) => {
      const m = new Map<number, unknown[][]>();
      const idAt = columns(table).split(', ').indexOf(idColumn);
      for (const row of src
        .prepare(`SELECT ${columns(table)} FROM ${table} ORDER BY ${idColumn}`)
        .raw()
        .iterate() as Iterable<unknown[]>) {
        const id = Number(row[idAt]);
        if (!m.has(id)) m.set(id, []);
        m.get(id)!.push(row);
      }
      return m;
    };
    const perRow = [
      { sql: insertOf('requests'), rows: byRequest('requests', 'id') },
      { sql: insertOf('exchanges'), rows: byRequest('exchanges', 'request_id') },
      { sql: insertOf('request_messages'), rows: byRequest('request_messages', 'request_id') },
      { sql: insertOf('request_threads'), rows: byRequest('request_threads', 'request_id') },
      { sql: insertOf('body_templates'), rows: byRequest('body_templates', 'request_id') },
      { sql: insertOf('body_part_refs'), rows: byRequest('body_part_refs', 'request_id') },
    ];
    // A body part is stored, and indexed under rowid -id, with the first request that names it.
    const parts = stmt(`INSERT INTO body_parts (${columns('body_parts')}) VALUES (?, ?, ?)`);
    const partsByRequest = new Map<number, unknown[][]>();
    for (const row of src
      .prepare(
        `SELECT min(r.request_id), ${columns('body_parts')} FROM body_parts p
          JOIN body_part_refs r ON r.part_id = p.id GROUP BY p.id`,
      )
      .raw()
      .iterate() as Iterable<unknown[]>) {
      const first = Number(row[0]);
      if (!partsByRequest.has(first)) partsByRequest.set(first, []);
      partsByRequest.get(first)!.push(row.slice(1));
    }
    const partText = new Map(src.prepare('SELECT id, body FROM body_parts').raw().all() as [number, string][]);
    // The text the index holds per request, as body-index.ts's rebuild computes it.
    const fts = stmt('INSERT INTO body_fts (rowid, request_body, response_body) VALUES (?, ?, ?)');
    const bodies = src
      .prepare(
        `SELECT e.request_id, e.request_body, t.template, e.response_body FROM exchanges e
          LEFT JOIN body_templates t USING (request_id)`,
      )
      .raw()
      .all() as [number, string | null, string | null, string | null][];
    const ftsRows = new Map(
      bodies.map(([id, req, template, res]) => {
        const text = template === null ? req : literalText(JSON.parse(template) as (string | number)[]);
        return [id, [id, indexableText(text), indexableText(res)]];
      }),
    );
    // Derived rows by key, and which keys each request touches.
    const keyed = (table: string, keyLength: number) => {
      const rows = new Map<string, unknown[]>();
      for (const r of src
        .prepare(`SELECT ${columns(table)} FROM ${table}`)
        .raw()
        .iterate() as Iterable<unknown[]>)
        rows.set(JSON.stringify(r.slice(0, keyLength)), r);
      return { sql: insertOf(table, 'INSERT OR REPLACE'), rows };
    };
    const hourly = keyed('stats_hourly', 7);
    const minutely = keyed('stats_minutely', 7);
    const ratios = keyed('token_ratios', 2);
    const distributions = keyed('token_distributions', 3);
    const facts = src
      .prepare(
        `SELECT id, substr(timestamp, 1, 13), substr(timestamp, 1, 16), model, provider, coalesce(policy, ''),
          streaming, success, status_class, input_tokens, output_tokens FROM requests ORDER BY id`,
      )
      .raw()
      .all() as [number, string, string, string, string, string, number, number, number, number, number][];
    const batches: FloorBatch[] = [];
    for (let i = 0; i < facts.length; i += perTransaction) {
      const batch: FloorBatch = [];
      const touched = new Map<string, { sql: number; params: unknown[] }>();
      const touch = (d: ReturnType<typeof keyed>, key: unknown[]) => {
        const k = d.sql + JSON.stringify(key);
        const row = d.rows.get(JSON.stringify(key));
        if (row && !touched.has(k)) touched.set(k, { sql: d.sql, params: row });
      };
      for (const [id, hour, minute, model, provider, policy, streaming, success, statusClass, inp, out] of facts.slice(
        i,
        i + perTransaction,
      )) {
        for (const params of partsByRequest.get(id) ?? []) {
          batch.push({ sql: parts, params });
          const text = indexableText(partText.get(Number(params[0]))!);
          if (text !== null) batch.push({ sql: fts, params: [-Number(params[0]), text, null] });
        }
        for (const { sql, rows } of perRow) for (const params of rows.get(id) ?? []) batch.push({ sql, params });
        const text = ftsRows.get(id);
        if (text && (text[1] !== null || text[2] !== null)) batch.push({ sql: fts, params: text });
        touch(hourly, [hour, model, provider, policy, streaming, success, statusClass]);
        touch(minutely, [minute, model, provider, policy, streaming, success, statusClass]);
        if (success && inp > 0 && out > 0) {
          touch(ratios, [policy, model]);
          touch(distributions, [policy, model, bandOf(inp)]);
        }
      }
      batch.push(...touched.values());
      batches.push(batch);
    }
    return { sqls, batches };
  } finally {
    src.close();
  }
}

/**
 * CPU µs per row of writing what the writer stored (floorPlan) with prepared statements, nothing
 * else. At an offered rate the transactions are paced as the writer's came (`paceMs` apart): run
 * back to back, small transactions find every cache warm, which the writer's, 50 ms apart, never do.
 */
async function floorRun(
  dir: string,
  writerFile: string,
  n: number,
  perTransaction: number,
  paceMs: number | null,
): Promise<number> {
  const { sqls, batches } = floorPlan(writerFile, perTransaction);
  const file = join(dir, `f${fileNo++}.sqlite`);
  await (await openLogStore(file)).close(); // the shipped schema, migrated
  const db = openConnection(file, { cacheMiB: 16 });
  try {
    db.pragma('wal_autocheckpoint = 16384');
    const statements = sqls.map((sql) => db.prepare(sql));
    const commit = db.transaction((batch: FloorBatch) => {
      for (const { sql, params } of batch) statements[sql]!.run(params);
    });
    const c0 = threadCpu();
    for (const batch of batches) {
      commit(batch);
      if (paceMs !== null) await new Promise((r) => setTimeout(r, paceMs));
    }
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
        const pace = c.rate === null ? null : (perTx * 1000) / c.rate;
        res[k]!.floor.push(await floorRun(dir, w.file, c.rate === null ? ROWS : RATED_ROWS, perTx, pace));
        rmSync(w.file, { force: true });
        rmSync(`${w.file}-wal`, { force: true });
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
