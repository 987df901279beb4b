import { describe, expect, it } from 'vitest';
import { RefreshGate } from '../../renderer/src/lib/refresh-gate';
import { manualClock } from '../helpers/manual-clock';

function manualTimers() {
  const { clock, ...rest } = manualClock();
  return { t: clock, ...rest };
}

/** A query the test finishes by hand. */
function manualQuery() {
  const finishers: (() => void)[] = [];
  return {
    run: () => new Promise<void>((resolve) => finishers.push(resolve)),
    started: () => finishers.length,
    finish: async () => {
      finishers.at(-1)!();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('RefreshGate', () => {
  it('refreshes at once when idle, so the totals follow a live batch without waiting', () => {
    const { t } = manualTimers();
    const q = manualQuery();
    const gate = new RefreshGate(q.run, 250, t);
    gate.request();
    expect(q.started()).toBe(1);
  });

  it('keeps one query in flight and runs once more after it for every batch that arrived meanwhile', async () => {
    const { t, advance } = manualTimers();
    const q = manualQuery();
    const gate = new RefreshGate(q.run, 250, t);
    gate.request();
    for (let i = 0; i < 20; i++) gate.request();
    expect(q.started()).toBe(1);
    advance(300); // quick: no rest after it
    await q.finish();
    expect(q.started()).toBe(2);
    await q.finish();
    advance(1000);
    expect(q.started()).toBe(2);
  });

  it(
    'rests three times as long as a slow query took, ' + 'so the server is busy a quarter of the time at most',
    async () => {
      const { t, advance } = manualTimers();
      const q = manualQuery();
      const gate = new RefreshGate(q.run, 250, t);
      gate.request();
      advance(2000); // a text-filtered scan of a large log
      await q.finish();
      gate.request();
      advance(5999);
      expect(q.started()).toBe(1);
      advance(1);
      expect(q.started()).toBe(2);
    },
  );

  it('spaces the starts of quick queries by the minimum gap', async () => {
    const { t, advance } = manualTimers();
    const q = manualQuery();
    const gate = new RefreshGate(q.run, 250, t);
    gate.request();
    await q.finish();
    advance(50);
    gate.request();
    gate.request();
    expect(q.started()).toBe(1);
    advance(199);
    expect(q.started()).toBe(1);
    advance(1);
    expect(q.started()).toBe(2);
  });

  it('starts nothing after dispose', async () => {
    const { t, advance, pending } = manualTimers();
    const q = manualQuery();
    const gate = new RefreshGate(q.run, 250, t);
    gate.request();
    await q.finish();
    gate.request();
    gate.dispose();
    expect(pending()).toBe(0);
    advance(1000);
    expect(q.started()).toBe(1);
  });
});
