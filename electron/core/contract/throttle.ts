// Pacing of live updates, the same on both sides: the core batches commits and status into events,
// the page batches those events into paints. It sits in the contract folder because that is the one
// part of the core the page may import; it has no Node or DOM dependency of its own.

/** Where time comes from: the system's timers by default, animation frames or a test's fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  /** Asks for a run: on the clock's next turn if the last run is an interval old, else when it will be. */
  (): void;
  /** Runs now (if a run was asked for, or `always`), and starts a fresh interval. */
  flush(always?: boolean): void;
  /** Forgets a run that was asked for. */
  cancel(): void;
}

/**
 * At most one run of `fire` per `intervalMs`, and never a request left without a run after it
 * (leading and trailing edge). A request never runs synchronously: the calls of one burst, in one
 * turn of the event loop, are served by one run.
 */
export function throttle(fire: () => void, intervalMs: number, clock: Clock = systemClock): Throttled {
  let last = -Infinity;
  let timer: unknown = null;
  const run = () => {
    timer = null;
    last = clock.now();
    fire();
  };
  const cancel = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  const request = () => {
    if (timer !== null) return;
    timer = clock.setTimeout(run, Math.max(0, last + intervalMs - clock.now()));
  };
  return Object.assign(request, {
    flush(always = false) {
      if (timer === null && !always) return;
      cancel();
      run();
    },
    cancel,
  });
}
