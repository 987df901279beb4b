import { describe, expect, it } from 'vitest';
import { throttle } from '../../../electron/core/contract/throttle';
import { manualClock } from '../../helpers/manual-clock';

describe('throttle', () => {
  const setup = () => {
    const c = manualClock();
    const runs: number[] = [];
    const t = throttle(() => runs.push(c.clock.now()), 100, c.clock);
    return { ...c, runs, t };
  };

  it('serves a burst with one run, on the next turn rather than inside the call', () => {
    const { t, runs, advance } = setup();
    t();
    t();
    t();
    expect(runs).toEqual([]);
    advance(0);
    expect(runs).toEqual([0]);
  });

  it('runs at most once per interval, and a request inside it runs at its end', () => {
    const { t, runs, advance } = setup();
    t();
    advance(0);
    advance(30);
    t();
    advance(69);
    expect(runs).toEqual([0]);
    advance(1);
    expect(runs).toEqual([0, 100]);
    advance(500);
    t();
    advance(0);
    expect(runs).toEqual([0, 100, 600]);
  });

  it('flush runs a pending request now; flush(true) runs even without one; cancel forgets it', () => {
    const { t, runs, advance, pending } = setup();
    t.flush();
    expect(runs).toEqual([]);
    t();
    t.flush();
    expect(runs).toEqual([0]);
    expect(pending()).toBe(0);
    t.flush(true);
    expect(runs).toEqual([0, 0]);
    advance(10);
    t();
    t.cancel();
    advance(200);
    expect(runs).toEqual([0, 0]);
  });
});
