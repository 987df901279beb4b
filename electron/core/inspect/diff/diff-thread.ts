// Runs one diff in its own thread with a time limit: a pair of bodies that takes too long is
// answered with an error and the thread is stopped, never left to run.
import { spawnWorker } from '../../storage/spawn-worker';
import type { DiffAnswer, DiffJob } from './diff-protocol';

export const DIFF_TIME_LIMIT_MS = 20_000;

export function runDiff(job: DiffJob, timeLimitMs = DIFF_TIME_LIMIT_MS): Promise<DiffAnswer> {
  const worker = spawnWorker('diff-worker', new URL('./diff-worker.ts', import.meta.url), job);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: `the diff took longer than ${timeLimitMs / 1000} s and was stopped` });
      void worker.terminate();
    }, timeLimitMs);
    const done = (a: DiffAnswer) => {
      clearTimeout(timer);
      resolve(a);
    };
    worker.once('message', (a: DiffAnswer) => done(a));
    worker.once('error', (e) => done({ ok: false, error: e.message }));
    worker.once('exit', () => done({ ok: false, error: 'the diff thread stopped' }));
  });
}
