import type { LogStore } from './log-store';
import type { PruneRule } from './retention';

/** The retention settings (settings-schema.ts); both off by default. */
export interface RetentionSettings {
  maxAgeDays?: number | undefined;
  maxSizeMB?: number | undefined;
}

export interface RetentionOptions {
  /** How often the rules are checked. */
  intervalMs?: number;
  /** Rows per prune batch: small, so record batches interleave and the writer never stalls. */
  batch?: number;
  now?: () => number;
}

export interface Retention {
  /** Runs the rules to completion now (batch after batch); resolves with the rows deleted. */
  runNow(): Promise<number>;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function ruleFor(settings: RetentionSettings | undefined, batch: number, now: number): PruneRule | null {
  const age = settings?.maxAgeDays;
  const size = settings?.maxSizeMB;
  if (age === undefined && size === undefined) return null;
  return {
    olderThan: age === undefined ? null : new Date(now - age * DAY_MS).toISOString(),
    maxBytes: size === undefined ? null : Math.floor(size * 1024 * 1024),
    batch,
  };
}

/**
 * Applies the retention settings in the background: every interval, prune batches go to the
 * writer one at a time (each waits behind the records queued before it, so logging goes on in
 * between) until a batch comes back short. Settings are re-read each round, so a change applies
 * without a restart.
 */
export function startRetention(
  store: Pick<LogStore, 'prune'>,
  settings: () => RetentionSettings | undefined,
  options: RetentionOptions = {},
): Retention {
  const batch = options.batch ?? 500;
  const now = options.now ?? Date.now;
  let running: Promise<number> | null = null;
  let stopped = false;

  async function round(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const rule = ruleFor(settings(), batch, now());
      if (!rule) break;
      const deleted = await store.prune(rule);
      total += deleted;
      if (deleted < batch) break;
    }
    return total;
  }

  const runNow = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    // A failed round (the log closing, a busy disk) is retried next interval; the writer reports its own health.
    runNow().catch(() => undefined);
  }, options.intervalMs ?? 10_000);
  timer.unref();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
