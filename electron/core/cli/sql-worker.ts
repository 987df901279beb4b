// Runs one read-only SQL statement for `sql` (CLI and MCP) on a connection of its own, in a thread
// the caller terminates when its time limit passes: better-sqlite3 has no interrupt, so a thread is
// the only way to stop a query that runs too long. Three locks, each enough alone: the file is
// opened read-only, the connection is query_only, and the statement must be one that only reads
// and returns rows (better-sqlite3's `reader` and `readonly`, i.e. sqlite3_stmt_readonly).
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../storage/database';
import type { SqlAnswer, SqlJob } from './sql-protocol';

function run({ file, query, maxRows }: SqlJob): SqlAnswer {
  const db = openConnection(file, { readonly: true });
  try {
    db.pragma('query_only = ON');
    // The schema of a file we did not write is not trusted to call functions on our behalf.
    db.pragma('trusted_schema = OFF');
    const stmt = db.prepare(query);
    if (!stmt.reader || !stmt.readonly) {
      return {
        ok: false,
        error: 'only a read is allowed: one SELECT (or WITH … SELECT, EXPLAIN, a read-only PRAGMA) that returns rows',
      };
    }
    const rows: Record<string, unknown>[] = [];
    let truncated = false;
    for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      // BigInt and Buffer don't survive JSON: numbers stay numbers, blobs are described.
      for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = `<blob ${v.length} bytes>`;
      rows.push(row);
    }
    return { ok: true, columns: stmt.columns().map((c) => c.name), rows, truncated };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    db.close();
  }
}

parentPort!.postMessage(run(workerData as SqlJob));
