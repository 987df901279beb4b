// The narrow view of the running core that the API handlers need. startCore(...) (app-core.ts)
// is adapted to this in core-adapter.ts; tests can build one over a real store and proxy.
// Keeping the port small is what lets the handlers stay ignorant of how the core is wired.
import type { LogStore } from '../storage/log-store';
import type {
  ApiIssue,
} from '../contract/errors';
import type { ExportJobs } from '../export/jobs';
import type { Viewers } from '../storage/viewers';
import type {
  ExportProgressEvent,
  ProxyStatus,
  RequestFinishedEvent,
  RequestProgressEvent,
  RequestStartedEvent,
  Settings,
  UpstreamSummary,
} from '../contract/types';

export type CoreEvent =
  | { type: 'requestStarted'; payload: RequestStartedEvent }
  | { type: 'requestProgress'; payload: RequestProgressEvent }
  | { type: 'requestFinished'; payload: RequestFinishedEvent }
  /** Proxy state, address or upstreams changed: the hub re-reads status. */
  | { type: 'proxyChanged' }
  | { type: 'exportProgress'; payload: ExportProgressEvent };

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
  proxyStatus(): ProxyStatus;
  upstreams(): UpstreamSummary[];
  getSettings(): Settings;
  updateSettings(patch: Record<string, unknown>): Promise<UpdateSettingsOutcome>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
}
