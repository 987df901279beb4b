import type { Clock } from '../../electron/core/contract/throttle';

/** A clock and timers the test advances by hand. */
export function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => void (timers = timers.filter((x) => x.id !== id)),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const due of timers.filter((x) => x.at <= now)) {
      timers = timers.filter((x) => x !== due);
      due.fn();
    }
  };
  return { clock, advance, pending: () => timers.length };
}
