// The narrow view of the running core that the API server needs: what startCore(...) (app-core.ts)
// returns, and what tests build over a real store. Keeping the port small is what lets the
// handlers stay ignorant of how the core is wired.
import type { ApiIssue } from '../contract/errors';
import type { AppStatus, Settings } from '../contract/types';
import type { CoreEvents } from '../core-events';
import type { ExportJobs } from '../export/jobs';
import type { LogStore } from '../storage/log-store';
import type { Viewers } from '../storage/viewers';
import type { SpendService } from '../spend/spend-service';

export type UpdateSettingsOutcome =
  | { kind: 'applied'; settings: Settings; restarted: boolean }
  | { kind: 'invalid'; message: string; issues: ApiIssue[] }
  /** The new port couldn't be bound; the old listener keeps running and nothing was saved. */
  | { kind: 'bind_failed'; message: string }
  /** The settings file couldn't be written; nothing was applied. */
  | { kind: 'save_failed'; message: string };

export interface ApiCore {
  readonly store: LogStore;
  /** Databases opened read-only beside the live log. */
  readonly viewers: Viewers;
  /** Exports in their own threads, with progress (exportProgress events) and cancel. */
  readonly exports: ExportJobs;
  /** Spend and budgets of the live log, from memory (spend/spend-service.ts). */
  readonly spend: Pick<SpendService, 'summary'>;
  /** The contract's events as the core emits them; statusChanged whenever any part of status() changes. */
  readonly events: Pick<CoreEvents, 'on' | 'onAny'>;
  status(): AppStatus;
  getSettings(): Settings;
  updateSettings(patch: Record<string, unknown>): Promise<UpdateSettingsOutcome>;
}
