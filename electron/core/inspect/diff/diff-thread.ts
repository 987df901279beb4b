// Runs one job of the diff thread (a diff, or a thread's cache) in a thread of its own with a time
// limit: bodies that take too long are answered with an error and the thread is stopped, never
// left to run.
import { spawnWorker } from '../../storage/spawn-worker';
import type { CacheAnswer, CacheJob, DiffAnswer, DiffJob } from './diff-protocol';

export const DIFF_TIME_LIMIT_MS = 20_000;

function run<A>(job: DiffJob | CacheJob, what: string, timeLimitMs: number): Promise<A | { ok: false; error: string }> {
  const worker = spawnWorker('diff-worker', new URL('./diff-worker.ts', import.meta.url), job);
  type Out = A | { ok: false; error: string };
  return new Promise<Out>((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: `the ${what} took longer than ${timeLimitMs / 1000} s and was stopped` });
      void worker.terminate();
    }, timeLimitMs);
    const done = (a: Out) => {
      clearTimeout(timer);
      resolve(a);
    };
    worker.once('message', (a: A) => done(a));
    worker.once('error', (e) => done({ ok: false, error: e.message }));
    worker.once('exit', () => done({ ok: false, error: `the ${what} thread stopped` }));
  });
}

export function runDiff(job: DiffJob, timeLimitMs = DIFF_TIME_LIMIT_MS): Promise<DiffAnswer> {
  return run<DiffAnswer>(job, 'diff', timeLimitMs);
}

export function runCacheDiagnosis(job: Omit<CacheJob, 'kind'>, timeLimitMs = DIFF_TIME_LIMIT_MS): Promise<CacheAnswer> {
  return run<CacheAnswer>({ ...job, kind: 'cache' }, 'cache diagnosis', timeLimitMs);
}
