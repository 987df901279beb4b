// When and whether to ask the release feed for a newer version. On start the check runs at most
// once a day (the time of the last attempt is kept in the data folder, so restarting the app all
// day long asks once); from the menu it runs whenever the user asks. With `updates.check` off the
// app never contacts the feed on its own: checkIfDue() returns without a request.
import { join } from 'node:path';
import { fetchNewestRelease, FeedError, type FeedRequest, type Release } from './release-feed';
import { compareVersions, parseVersion } from './version';
import { readStateFile, writeStateFile } from '../desktop/state-file';

export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type UpdateCheckOutcome =
  | { kind: 'available'; current: string; release: Release }
  | { kind: 'up-to-date'; current: string; latest: string | null }
  | { kind: 'failed'; message: string }
  /** The setting is off (automatic checks only). */
  | { kind: 'disabled' }
  /** Checked less than a day ago (automatic checks only). */
  | { kind: 'not-due'; lastCheckedAt: string }
  /** This build doesn't know where its releases are (a development build). */
  | { kind: 'no-feed' };

export interface UpdateCheckerOptions {
  currentVersion: string;
  /** GitHub's `…/releases/latest` URL; null for builds with no release feed. */
  feedUrl: string | null;
  /** Where the time of the last check is kept. */
  statePath: string;
  /** Read on every automatic check, so a change in Settings applies at once. */
  enabled(): boolean;
  now?: () => number;
  intervalMs?: number;
  timeoutMs?: number;
  fetch?: FeedRequest['fetch'];
}

export interface UpdateChecker {
  /** The automatic check: nothing when disabled or checked within the interval. */
  checkIfDue(): Promise<UpdateCheckOutcome>;
  /** The menu's check: asked for by the user, so it runs now. */
  checkNow(): Promise<UpdateCheckOutcome>;
}

export function updateStatePath(dataDir: string): string {
  return join(dataDir, 'update-check.json');
}

export function createUpdateChecker(options: UpdateCheckerOptions): UpdateChecker {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? CHECK_INTERVAL_MS;
  const current = parseVersion(options.currentVersion);
  let inFlight: Promise<UpdateCheckOutcome> | null = null;

  const lastCheckedAt = async (): Promise<number | null> => {
    const state = await readStateFile(options.statePath);
    const at =
      typeof state === 'object' && state !== null ? (state as { lastCheckedAt?: unknown }).lastCheckedAt : undefined;
    const ms = typeof at === 'string' ? Date.parse(at) : NaN;
    return Number.isFinite(ms) ? ms : null;
  };

  const run = (): Promise<UpdateCheckOutcome> => {
    // A menu click during the start-up check shares its answer rather than asking twice.
    inFlight ??= (async (): Promise<UpdateCheckOutcome> => {
      if (options.feedUrl === null) return { kind: 'no-feed' };
      // The attempt is recorded whatever its outcome: a feed that is down is asked again tomorrow,
      // not on every start.
      await writeStateFile(options.statePath, { lastCheckedAt: new Date(now()).toISOString() }).catch(() => undefined);
      try {
        const release = await fetchNewestRelease(options.feedUrl, {
          userAgent: `llm-request-inspector/${options.currentVersion}`,
          timeoutMs: options.timeoutMs ?? 15_000,
          fetch: options.fetch,
        });
        if (release && current && compareVersions(release.parsed, current) > 0)
          return { kind: 'available', current: options.currentVersion, release };
        return { kind: 'up-to-date', current: options.currentVersion, latest: release?.version ?? null };
      } catch (error) {
        return {
          kind: 'failed',
          message: error instanceof FeedError ? error.message : `update check failed: ${String(error)}`,
        };
      }
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return {
    async checkIfDue() {
      if (!options.enabled()) return { kind: 'disabled' };
      if (options.feedUrl === null) return { kind: 'no-feed' };
      const last = await lastCheckedAt();
      // A clock set back (last check "in the future") counts as due, or the check could stop for good.
      if (last !== null && now() - last < interval && now() >= last)
        return { kind: 'not-due', lastCheckedAt: new Date(last).toISOString() };
      return run();
    },
    checkNow: run,
  };
}
