import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../electron/core/contract/contract';
import { createEventHub, type EventHub } from '../../../electron/core/api/event-hub';
import { makeRecord } from '../../helpers/records';
import { openTestCore, type TestCore } from './test-core';

type Seen = { name: EventName; payload: unknown };

describe('event hub limits', () => {
  let core: TestCore;
  let hub: EventHub;

  beforeEach(async () => {
    core = await openTestCore();
  });
  afterEach(async () => {
    hub.close();
    await core.dispose();
  });

  /** Resolves once the sink has seen an event matching `match`. */
  function collector() {
    const seen: Seen[] = [];
    let waiter: { match: (e: Seen) => boolean; resolve: () => void } | null = null;
    return {
      seen,
      sink: (name: EventName, payload: unknown) => {
        const e = { name, payload };
        seen.push(e);
        if (waiter?.match(e)) waiter.resolve();
      },
      until: (match: (e: Seen) => boolean) =>
        new Promise<void>((resolve) => {
          if (seen.some(match)) return resolve();
          waiter = { match, resolve };
        }),
    };
  }

  it('sends only the newest rows of a large batch, marked truncated', async () => {
    hub = createEventHub(core.events, { maxRowsPerEvent: 5 });
    const c = collector();
    hub.attach(c.sink).ready();
    for (let i = 0; i < 20; i++) core.store.enqueue(makeRecord({ correlationId: `big-${i}` }));
    await core.store.flush();
    await c.until((e) => e.name === 'requestsAppended' && JSON.stringify(e.payload).includes('big-19'));
    const appended = c.seen
      .filter((e) => e.name === 'requestsAppended')
      .map((e) => e.payload as { rows: { correlationId: string }[]; truncated: boolean });
    const last = appended.at(-1)!;
    expect(last.rows.length).toBeLessThanOrEqual(5);
    expect(last.rows.at(-1)?.correlationId).toBe('big-19');
    expect(appended.some((p) => p.truncated)).toBe(true);
  });

  it('tells a page whose queue overflowed before it was ready to refetch', async () => {
    hub = createEventHub(core.events, { maxQueued: 3 });
    const waiting = collector();
    const readyPage = collector();
    const session = hub.attach(waiting.sink);
    hub.attach(readyPage.sink).ready();
    for (let i = 0; i < 5; i++) hub.broadcast('menuCommand', 'settings');
    expect(waiting.seen).toEqual([]);
    session.ready();
    expect(waiting.seen.map((e) => e.name)).toEqual(['menuCommand', 'menuCommand', 'menuCommand', 'requestsAppended']);
    expect(waiting.seen.at(-1)?.payload).toMatchObject({ rows: [], truncated: true });
    expect(readyPage.seen).toHaveLength(5);
  });

  it('stops delivering to a closed session and after close()', async () => {
    hub = createEventHub(core.events);
    const c = collector();
    const session = hub.attach(c.sink);
    session.ready();
    hub.broadcast('menuCommand', 'export');
    session.close();
    hub.broadcast('menuCommand', 'export');
    expect(c.seen).toHaveLength(1);
  });
});
