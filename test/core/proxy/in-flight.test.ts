import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../electron/core/proxy/in-flight';

const member = (name: string) => ({ name, inFlightSlot: -1 });

describe('InFlight', () => {
  it('adds, deletes from any position, and lists what is left', () => {
    const inFlight = new InFlight<ReturnType<typeof member>>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(member);
    for (const m of [a!, b!, c!, d!]) inFlight.add(m);
    expect(inFlight.size).toBe(4);
    inFlight.delete(b!);
    inFlight.delete(d!);
    expect(
      inFlight
        .list()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['a', 'c']);
    inFlight.delete(a!);
    inFlight.delete(c!);
    expect(inFlight.size).toBe(0);
    expect([a, b, c, d].map((m) => m!.inFlightSlot)).toEqual([-1, -1, -1, -1]);
  });

  it('ignores a second add and a delete of a member it does not hold', () => {
    const inFlight = new InFlight<ReturnType<typeof member>>();
    const a = member('a');
    inFlight.add(a);
    inFlight.add(a);
    expect(inFlight.size).toBe(1);
    inFlight.delete(member('stranger'));
    const foreign = { name: 'foreign', inFlightSlot: 0 };
    inFlight.delete(foreign);
    expect(inFlight.list()).toEqual([a]);
  });

  it('lists a copy, so members may leave while it is walked', () => {
    const inFlight = new InFlight<ReturnType<typeof member>>();
    const all = ['a', 'b', 'c'].map(member);
    for (const m of all) inFlight.add(m);
    for (const m of inFlight.list()) inFlight.delete(m);
    expect(inFlight.size).toBe(0);
  });
});
