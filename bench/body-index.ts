// What the bodies' full-text index (migration 0009) costs the writer and the file: CPU per row of
// the FTS5 insert of two 1 KiB JSON bodies (normalised as the writer does, storage/body-index.ts)
// against a plain insert of the same two bodies, rounds alternating, and the index's bytes per row
// beside the bodies' own. Run: node scripts/run-bundled.mjs bench/body-index.ts [rows per round]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import migrations from 'virtual:migrations';
import { indexableText } from '../electron/core/storage/body-index';
import { median } from './stats';

const N = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-fts-'));
const db = new Database(join(dir, 'fts.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const ddl = migrations.find((m) => m.name.startsWith('0009'))!.sql;
db.exec(/CREATE VIRTUAL TABLE[\s\S]*?\);/.exec(ddl)![0]);
db.exec('CREATE TABLE plain (id INTEGER PRIMARY KEY, a TEXT, b TEXT)');

const WORDS = 'the quick brown fox jumps over a lazy dog refund policy order please help my account billing'.split(' ');
const text = (i: number) => {
  let s = '';
  for (let k = i; s.length < 900; k = (k * 31 + 7) % 9973) s += WORDS[k % WORDS.length] + (k % 7 ? ' ' : '\n');
  return s;
};
const rows = Array.from({ length: N }, (_, i) => [
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text(i) }] }),
  JSON.stringify({ choices: [{ message: { role: 'assistant', content: text(i + 1) } }] }),
]);
const fts = db.prepare('INSERT INTO body_fts (rowid, request_body, response_body) VALUES (?, ?, ?)');
const plain = db.prepare('INSERT INTO plain (id, a, b) VALUES (?, ?, ?)');
const cases = {
  'full-text index (normalise + FTS5 insert)': (id: number, [a, b]: string[]) =>
    fts.run(id, indexableText(a!), indexableText(b!)),
  'the same bodies in a plain table': (id: number, [a, b]: string[]) => plain.run(id, a, b),
};
const cpu: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, insert] of Object.entries(cases)) {
    const t = process.cpuUsage();
    for (let k = 0; k < N; k += 500)
      db.transaction(() => {
        for (let j = k; j < k + 500; j++) insert(round * N + j + 1, rows[j]!);
      })();
    const u = process.cpuUsage(t);
    (cpu[name] ??= []).push((u.user + u.system) / N);
  }
}
const bytes = (like: string) =>
  db.prepare('SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?').pluck().get(like) as number;
console.log(`load average ${loadavg()[0]!.toFixed(1)}; ${N} rows a round, 5 rounds\n`);
console.log('| insert | CPU µs per row (median) |\n| --- | ---: |');
for (const [name, xs] of Object.entries(cpu)) console.log(`| ${name} | ${median(xs).toFixed(1)} |`);
console.log(
  `\nbytes per row: index ` +
    `${(bytes('body_fts%') / (5 * N)).toFixed(0)}, bodies ${(bytes('plain') / (5 * N)).toFixed(0)}`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
