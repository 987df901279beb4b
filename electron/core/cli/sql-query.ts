// `sql "SELECT …"`: one read-only statement over the log, with a row limit and a time limit.
import { spawnWorker } from '../storage/spawn-worker';
import type { SqlAnswer, SqlJob } from './sql-protocol';

export const SQL_MAX_ROWS = 1_000;
export const SQL_TIME_LIMIT_MS = 10_000;

export interface SqlLimits {
  maxRows?: number;
  timeLimitMs?: number;
}

/** Resolves with the answer; a statement that writes, fails or overruns the time limit is an `ok: false` answer. */
export function runReadOnlySql(file: string, query: string, limits: SqlLimits = {}): Promise<SqlAnswer> {
  const timeLimitMs = limits.timeLimitMs ?? SQL_TIME_LIMIT_MS;
  const job: SqlJob = { file, query, maxRows: limits.maxRows ?? SQL_MAX_ROWS };
  const worker = spawnWorker('sql-worker', new URL('./sql-worker.ts', import.meta.url), job);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: `the query took longer than ${timeLimitMs / 1000} s and was stopped` });
      void worker.terminate();
    }, timeLimitMs);
    const done = (a: SqlAnswer) => {
      clearTimeout(timer);
      resolve(a);
    };
    worker.once('message', (a: SqlAnswer) => done(a));
    worker.once('error', (e) => done({ ok: false, error: e.message }));
    worker.once('exit', () => done({ ok: false, error: 'the query thread stopped' }));
  });
}
