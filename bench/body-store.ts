// Bytes on disk for agent traffic, with repeated history stored once (storage/body-store.ts) and
// with every body whole as before, and the writer's CPU per row for that traffic.
//
// Size: one 50-turn agent conversation (bench/agent-conversation.ts) through the real store, closed
// (which checkpoints), the file measured; then the same file with every body put back whole
// and indexed (what the log held before migration 0010), and both VACUUMed so free pages count in neither.
// Per table from dbstat. Run: node scripts/run-bundled.mjs bench/body-store.ts [turns]
//
// CPU: `--cpu [conversations] [turns]` prints one JSON line: the writer thread's CPU µs per row for
// that many conversations through the real store; `--unique [rows]` the same for 1 KiB bodies that
// share nothing (what templating costs where it saves nothing). Run it alternately from this tree and from a
// checkout before the body store to compare (BENCHMARKS.md, Storage, has the loop).
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogStore } from '../electron/core/storage';
import { createBodyIndex } from '../electron/core/storage/body-index';
import { storeBodiesWhole } from '../electron/core/storage/body-store';
import { agentRecords } from './agent-conversation';
import { benchRecord } from './bench-records';

const args = process.argv.slice(2);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

async function cpuRun(dir: string, conversations: number, turns: number): Promise<void> {
  const store = await openLogStore(join(dir, 'cpu.sqlite'));
  try {
    const records = Array.from({ length: conversations }, (_, c) => agentRecords(turns, c, c * turns));
    const w0 = await store.writerCpuMicros();
    // Turn by turn across conversations, as agents running side by side would send them.
    for (let t = 0; t < turns; t++) for (const conv of records) store.enqueue(conv[t]!);
    await store.flush();
    const perRow = ((await store.writerCpuMicros()) - w0) / (conversations * turns);
    const bytes = records.flat().reduce((n, r) => n + (r.exchange.requestBody?.length ?? 0), 0);
    console.log(JSON.stringify({ perRowUs: Math.round(perRow), rows: conversations * turns, bytes, load: load() }));
  } finally {
    await store.close();
  }
}

/**
 * Traffic the body store cannot shorten: single requests, each 1 KiB body a JSON object with a
 * message of its own. What templating costs when it saves nothing.
 */
async function uniqueRun(dir: string, rows: number): Promise<void> {
  const store = await openLogStore(join(dir, 'unique.sqlite'));
  try {
    const records = Array.from({ length: rows }, (_, i) => {
      const r = benchRecord(i, true);
      const text = `request ${i}: ${'lorem ipsum '.repeat(80)}`;
      return {
        ...r,
        exchange: {
          ...r.exchange,
          requestBody: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: text }] }),
        },
      };
    });
    const w0 = await store.writerCpuMicros();
    for (let i = 0; i < rows; i += 500) {
      for (const r of records.slice(i, i + 500)) store.enqueue(r);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await store.flush();
    const perRow = ((await store.writerCpuMicros()) - w0) / rows;
    console.log(JSON.stringify({ uniquePerRowUs: Math.round(perRow * 10) / 10, rows, load: load() }));
  } finally {
    await store.close();
  }
}

function tableBytes(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
      name: string;
      bytes: number;
    }[];
    return new Map(rows.map((r) => [r.name, r.bytes]));
  } finally {
    db.close();
  }
}

async function sizeRun(dir: string, turns: number): Promise<void> {
  const live = join(dir, 'agent.sqlite');
  const store = await openLogStore(live);
  const records = agentRecords(turns);
  for (const r of records) store.enqueue(r);
  await store.close(); // flushes and checkpoints (TRUNCATE): the WAL is empty after
  const checkpointed = statSync(live).size + (statSync(`${live}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  const deduped = join(dir, 'deduped.sqlite');
  const whole = join(dir, 'whole.sqlite');
  copyFileSync(live, deduped);
  copyFileSync(live, whole);
  const db = new Database(whole);
  db.transaction(() => {
    storeBodiesWhole(db);
    createBodyIndex(db).rebuild();
  })();
  db.close();
  for (const f of [deduped, whole]) new Database(f).exec('VACUUM');
  const raw = records.reduce((n, r) => n + r.exchange.requestBody!.length, 0);
  const [a, b] = [tableBytes(deduped), tableBytes(whole)];
  console.log(
    `\n# body store: one ${turns}-turn agent conversation · ${new Date().toISOString()} · load ${load()}\n` +
      `request bodies sent: ${kib(raw)} (last turn ${kib(records.at(-1)!.exchange.requestBody!.length)})\n` +
      `live file after the store closed (checkpointed): ${kib(checkpointed)}\n`,
  );
  console.log('| part of the file | bodies whole (before) | repeated parts once (after) |');
  console.log('| --- | ---: | ---: |');
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => (a.get(n) ?? 0) + (b.get(n) ?? 0) > 8192);
  for (const n of names.sort()) console.log(`| ${n} | ${kib(b.get(n) ?? 0)} | ${kib(a.get(n) ?? 0)} |`);
  console.log(`| whole file, VACUUMed | ${kib(statSync(whole).size)} | ${kib(statSync(deduped).size)} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'inspector-body-store-'));
try {
  if (args[0] === '--cpu') await cpuRun(dir, Number(args[1] ?? 10), Number(args[2] ?? 50));
  else if (args[0] === '--unique') await uniqueRun(dir, Number(args[1] ?? 20_000));
  else await sizeRun(dir, Number(args[0] ?? 50));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
