// A large log for the read side's benchmarks (the list, the renderer), written around the writer:
// schema through the real store, rows through one prepared statement (the writer's own path is
// measured by the storage benchmark), then the stats rollup derived from them as the writer would.
import Database from 'better-sqlite3';
import { openLogStore } from '../electron/core/storage';
import { rebuildRollups } from '../electron/core/storage/stats-rollup';

const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'llama3.1:8b'];

/** Writes a log of `rows` requests, one every `spacingMs` (a second by default) up to now. */
export async function seedLog(path: string, rows: number, spacingMs = 1000): Promise<void> {
  await (await openLogStore(path)).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO requests (correlation_id, timestamp, method, path, model, provider, policy,
      streaming, status,
    success, input_tokens, output_tokens, cost, latency_ms, ttfb_ms, request_bytes, response_bytes)
    VALUES (?, ?, 'POST', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const start = Date.now() - rows * spacingMs;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const model = MODELS[i % MODELS.length]!;
      const ok = i % 37 !== 0;
      insert.run(
        `bench-${i}`,
        new Date(start + i * spacingMs).toISOString(),
        model.startsWith('claude') ? '/anthropic/v1/messages' : '/openai/v1/chat/completions',
        model,
        model.startsWith('claude') ? 'anthropic' : 'openai',
        i % 3 === 0 ? 'batch' : null,
        i % 2,
        ok ? 200 : 500,
        ok ? 1 : 0,
        100 + (i % 900),
        ok ? 20 + (i % 400) : null,
        i % 5 === 4 ? null : 0.0001 * (i % 50),
        200 + (i % 3000),
        50 + (i % 400),
        800,
        1500,
      );
    }
  });
  for (let i = 0; i < rows; i += 50_000) batch(i, Math.min(rows, i + 50_000));
  // Rows written around the writer: derive the stats rollup from them, as the writer would have.
  db.transaction(() => rebuildRollups(db))();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
