// Exports started through the API: each runs in a thread of its own (export-thread.ts), reports
// progress as core events tagged with its job id, and can be cancelled by that id. Stopping the
// core cancels what is still running and waits for it, so no temporary file outlives the app.
import { randomUUID } from 'node:crypto';
import { exportInThread } from './export-thread';
import { isExportError, type ExportJob } from '.';
import type { ExportResult } from '../contract/types';
import type { CoreEventSink } from '../core-events';
import { ApiError } from '../contract/errors';

/** Each export keeps a core busy for up to a minute; more at once only slows them all. */
export const MAX_CONCURRENT_EXPORTS = 2;

export type ExportRequest = Omit<ExportJob, 'onProgress' | 'signal'> & { jobId?: string };

export interface ExportJobs {
  run(request: ExportRequest): Promise<ExportResult>;
  /** False when no export with that id is running. */
  cancel(jobId: string): boolean;
  /** Cancels every running export and resolves once each has removed its temporary file. */
  cancelAll(): Promise<void>;
}

/** Progress goes to `events` as exportProgress, at most ten a second per job. */
export function createExportJobs(events: CoreEventSink): ExportJobs {
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  return {
    run({ jobId = randomUUID(), ...job }) {
      if (running.has(jobId))
        return Promise.reject(new ApiError('invalid_input', `An export with id ${jobId} is already running.`));
      if (running.size >= MAX_CONCURRENT_EXPORTS) {
        return Promise.reject(
          new ApiError('unavailable', `${running.size} exports are already running; wait for one to finish.`),
        );
      }
      const controller = new AbortController();
      const done = exportInThread(job, {
        signal: controller.signal,
        onProgress: (p) => events.emit('exportProgress', { jobId, ...p }),
      }).catch((e: unknown) => {
        if (!isExportError(e)) throw e;
        // Cancelled is the user's choice, not a failure; a log in use is a destination to change;
        // every other reason is worded for the UI.
        throw new ApiError(
          e.code === 'cancelled' ? 'cancelled' : e.code === 'destination_in_use' ? 'invalid_input' : 'unavailable',
          e.message,
        );
      });
      const entry = { controller, done: done.catch(() => undefined) };
      running.set(jobId, entry);
      void entry.done.finally(() => running.delete(jobId));
      return done;
    },
    cancel(jobId) {
      const job = running.get(jobId);
      job?.controller.abort();
      return job !== undefined;
    },
    async cancelAll() {
      const jobs = [...running.values()];
      for (const j of jobs) j.controller.abort();
      await Promise.all(jobs.map((j) => j.done));
    },
  };
}
