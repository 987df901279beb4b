// Exports through the API run in a thread of their own: progress arrives as events tagged with
// the job id, a cancel leaves nothing behind, and the calling thread's event loop (Electron's main
// loop, or serve's, which also proxies) keeps turning while a large export runs.
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgressEvent } from '../../../electron/core/contract/types';
import { createExportJobs, type ExportJobs } from '../../../electron/core/export/jobs';
import { isApiError } from '../../../electron/core/contract/errors';
import { exportLog } from '../../../electron/core/export';
import { exportInThread } from '../../../electron/core/export/export-thread';
import { openLogStore } from '../../../electron/core/storage';
import { tempDir } from '../../helpers/records';
import { seedRandomRows } from '../../helpers/seed-log';

const ROWS = 100_000;
let dir: string;
let cleanup: () => void;
let source: string;
let events: ExportProgressEvent[];
let jobs: ExportJobs;

/** A log of `rows` rows without bodies, written directly (the writer's pacing isn't under test here). */
async function fill(file: string, rows: number): Promise<void> {
  await (await openLogStore(file)).close();
  const db = new Database(file);
  seedRandomRows(db, { rows, seed: 3, stepMs: 50 });
  db.close();
}

/** The longest gap between ticks of a 5 ms timer while `run` runs: how long the event loop was blocked. */
async function longestStall<T>(run: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await run();
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs };
  } finally {
    clearInterval(timer);
  }
}

const leftovers = () => readdirSync(dir).filter((n) => n.includes('partial') || n.startsWith('out'));
const bigJob = (destination: string, format: 'sqlite' | 'jsonl' = 'sqlite') => ({
  source,
  destination,
  format,
  // Half the rows: the snapshot then deletes the rest, re-learns ratios and VACUUMs, the slow path.
  filter: { success: true },
  includeBodies: false,
  includeHeaders: false,
});

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('inspector-export-thread-'));
  source = join(dir, 'log.sqlite');
  await fill(source, ROWS);
  events = [];
  jobs = createExportJobs({ emit: (name, e) => name === 'exportProgress' && events.push(e as ExportProgressEvent) });
}, 120_000);
afterAll(async () => {
  await jobs.cancelAll();
  cleanup();
});

describe('exports in a thread of their own', () => {
  it('reports progress tagged with the job id: rows written of the total, backup pages copied', async () => {
    events = [];
    const text = await jobs.run({ ...bigJob(join(dir, 'out.jsonl'), 'jsonl'), jobId: 'text-1' });
    const writing = events.filter((e) => e.jobId === 'text-1');
    expect(writing.length).toBeGreaterThan(1);
    expect(writing.every((e) => e.phase === 'writing' && e.total === text.rows && e.done <= e.total)).toBe(true);
    expect(writing.map((e) => e.done)).toEqual([...writing.map((e) => e.done)].sort((a, b) => a - b));

    events = [];
    await jobs.run({ ...bigJob(join(dir, 'out.sqlite')), jobId: 'snap-1' });
    const phases = events.filter((e) => e.jobId === 'snap-1').map((e) => e.phase);
    expect(phases[0]).toBe('copying');
    expect(events.find((e) => e.phase === 'copying')!.total).toBeGreaterThan(1000); // pages
    expect(phases).toContain('compacting');
    expect(phases.indexOf('compacting')).toBe(phases.length - 1);
    expect(events.every((e) => e.jobId === 'snap-1')).toBe(true);
  }, 120_000);

  it('keeps the calling thread free: a timer keeps ticking and an HTTP request is answered mid-export', async () => {
    // Control: the same export on this thread blocks it (the DELETE and VACUUM are single SQLite calls).
    const inline = await longestStall(() => exportLog(bigJob(join(dir, 'out-inline.sqlite'))));
    const server: Server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      let answeredMidExport = false;
      const threaded = await longestStall(async () => {
        let done = false;
        const exported = jobs
          .run({ ...bigJob(join(dir, 'out-thread.sqlite')), jobId: 'free-1' })
          .finally(() => (done = true));
        // Wait for the slow phase, then ask over HTTP: the answer must come while the export still runs.
        await new Promise<void>((resolve) => {
          const check = setInterval(
            () =>
              events.some((e) => e.jobId === 'free-1' && e.phase === 'compacting') && (clearInterval(check), resolve()),
            5,
          );
        });
        expect(await (await fetch(url)).text()).toBe('pong');
        answeredMidExport = !done;
        return exported;
      });
      expect(threaded.result.rows).toBe(inline.result.rows);
      expect(answeredMidExport).toBe(true);
      console.log(
        `longest event-loop stall: ${inline.stallMs.toFixed(0)} ms ` +
          `exporting inline, ${threaded.stallMs.toFixed(0)} ms in the export thread`,
      );
      expect(inline.stallMs).toBeGreaterThan(200);
      expect(threaded.stallMs).toBeLessThan(inline.stallMs / 3);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 120_000);

  it('a cancel stops the export at its next step and leaves no file, temporary or final', async () => {
    for (const [format, phase] of [
      ['jsonl', 'writing'],
      ['sqlite', 'copying'],
      ['sqlite', 'compacting'],
    ] as const) {
      const jobId = `cancel-${format}-${phase}`;
      const destination = join(dir, `out-cancelled.${format}`);
      const running = jobs.run({ ...bigJob(destination, format), jobId });
      await new Promise<void>((resolve) => {
        const check = setInterval(
          () =>
            events.some((e) => e.jobId === jobId && e.phase === phase && (phase !== 'writing' || e.done > 0)) &&
            (clearInterval(check), resolve()),
          2,
        );
      });
      expect(jobs.cancel(jobId)).toBe(true);
      const error = await running.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isApiError(error) && error.code, `${format} cancelled while ${phase}`).toBe('cancelled');
      expect(existsSync(destination)).toBe(false);
      expect(leftovers().filter((n) => n.includes('cancelled') || n.includes('partial'))).toEqual([]);
      expect(jobs.cancel(jobId)).toBe(false); // nothing by that id runs any more
    }
  }, 120_000);

  it(
    'a thread killed mid-export (out of memory, ' + 'terminated) leaves no temporary file: the caller removes it',
    async () => {
      for (const format of ['sqlite', 'jsonl'] as const) {
        const destination = join(dir, `out-killed.${format}`);
        const controller = new AbortController();
        // Grace 0: terminated at the first progress report, so none of the thread's own cleanup runs.
        const running = exportInThread(bigJob(destination, format), {
          signal: controller.signal,
          cancelGraceMs: 0,
          onProgress: () => controller.abort(),
        });
        const error = await running.then(
          () => null,
          (e: unknown) => e,
        );
        expect((error as { code?: string } | null)?.code, format).toBe('cancelled');
        expect(existsSync(destination)).toBe(false);
        expect(
          leftovers().filter((n) => n.includes('killed') || n.includes('partial')),
          format,
        ).toEqual([]);
      }
    },
    120_000,
  );
});
