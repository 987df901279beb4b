// What SQLite alone costs per logged row, whatever our code around it does: prepared inserts of
// pre-built rows, 500 per transaction, the writer's pragmas, for the real schema and variants of
// it. CPU time per row (process.cpuUsage), alternating the variants over several rounds, so a
// loaded machine shifts them alike. Run: node scripts/run-bundled.mjs bench/sqlite-floor.ts
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import migrations from 'virtual:migrations';
import { INSERT_REQUEST_SQL } from '../electron/core/storage/rows';
import { fmt, median } from './stats';

const ROWS = 100_000;
const ROUNDS = 5;
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.0-flash', 'llama3.2', 'o3-mini'];
const T0 = Date.UTC(2026, 0, 1);
const HEADERS = JSON.stringify({ 'content-type': 'application/json', authorization: '[redacted …abcd]' });

interface Variant {
  /** Run after the migrations: drops or adds indexes. */
  sql?: string;
  /** Migrations to apply (default: all). */
  upTo?: number;
  exchanges?: boolean;
  id?: () => string;
}

const VARIANTS: Record<string, Variant> = {
  'schema as shipped, time-ordered ids (UUIDv7)': {},
  'as shipped, random ids (UUIDv4)': { id: randomUUID },
  'before 0002: covering group indexes, v7 ids': { upTo: 1 },
  'no exchanges row': { exchanges: false },
  'no correlation index': { sql: 'DROP INDEX requests_correlation' },
  'no provider or policy index': { sql: 'DROP INDEX requests_provider; DROP INDEX requests_policy' },
  'no secondary index at all': {
    sql: ['correlation', 'provider', 'policy', 'model', 'errors', 'timestamp']
      .map((i) => `DROP INDEX requests_${i};`)
      .join(' '),
  },
};

function row(i: number, id: () => string): unknown[] {
  const fail = i % 13 === 0;
  // INSERT_REQUEST_SQL's parameter order.
  return [
    id(),
    new Date(T0 + i * 10).toISOString(),
    'POST',
    i % 3 ? '/v1/chat/completions' : '/v1/messages',
    MODELS[i % 6],
    i % 3 ? 'openai' : 'anthropic',
    i % 4 === 0 ? null : `policy-${i % 5}`,
    i % 2,
    fail ? 500 : 200,
    fail ? 0 : 1,
    fail ? 500 : null,
    fail ? 'upstream exploded' : null,
    100 + (i % 900),
    20 + (i % 400),
    null,
    null,
    null,
    0,
    i % 10 === 0 ? null : (i % 1000) / 100_000,
    null,
    50 + (i % 3000),
    20 + (i % 200),
    null,
    'stop',
    200,
    300,
  ];
}

/** CPU µs per row of inserting ROWS rows into a fresh database with this variant's schema. */
function run(dir: string, v: Variant): number {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 16384');
    for (const m of migrations.slice(0, v.upTo ?? migrations.length)) db.exec(m.sql);
    if (v.sql) db.exec(v.sql);
    const insert = db.prepare(INSERT_REQUEST_SQL);
    const exchange = db.prepare(`INSERT INTO exchanges (request_id, request_headers, response_headers, request_body,
      request_body_truncated, response_body, response_body_truncated, bodies_dropped) VALUES (?, ?, ?, NULL, 0,
        NULL, 0, 0)`);
    const rows = Array.from({ length: ROWS }, (_, i) => row(i, v.id ?? v7));
    const batch = db.transaction((from: number) => {
      for (let i = from; i < Math.min(ROWS, from + 500); i++) {
        const id = insert.run(rows[i]).lastInsertRowid;
        if (v.exchanges !== false) exchange.run(id, HEADERS, '{"content-type":"application/json"}');
      }
    });
    const c0 = process.cpuUsage();
    for (let i = 0; i < ROWS; i += 500) batch(i);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / ROWS;
  } finally {
    db.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'inspector-floor-'));
console.log(
  `# SQLite insert floor · ${new Date().toISOString()} · ${cpus().length}× ${cpus()[0]?.model} · ` +
    `node ${process.version} · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
try {
  const results = new Map<string, number[]>(Object.keys(VARIANTS).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, v] of Object.entries(VARIANTS)) results.get(name)!.push(run(dir, v));
  console.log(
    `\n| SQLite only, ${ROWS.toLocaleString()} rows, 500 per ` +
      `transaction | CPU µs per row (median of ${ROUNDS}) | rows per CPU-second |`,
  );
  console.log('| --- | ---: | ---: |');
  for (const [name, us] of results) console.log(`| ${name} | ${fmt(median(us))} | ${fmt(1e6 / median(us), 0)} |`);
  console.log(
    `\nload after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
