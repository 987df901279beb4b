// Fans core events out to connected pages. Two things matter here:
// - Committed rows are batched: at most one requestsAppended per interval (ten a second by
//   default), sent as soon as the interval allows, so a finished request shows within ~100 ms
//   and a burst of 1000 req/s costs the renderer ten merges a second, not a thousand.
// - A page that has not said it is ready (client:ready) gets its events queued, not lost:
//   it subscribes after its first fetch, and whatever happened in between must still arrive.
import type { EventName, EventPayload } from '../contract/contract';
import type { RequestRow } from '../contract/types';
import { throttle } from '../contract/throttle';
import type { ApiCore } from './core-port';
import { buildStatus } from './handlers';

export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface HubSession {
  ready(): void;
  close(): void;
}

export interface EventHub {
  attach(sink: EventSink): HubSession;
  /** Sends an event to every session (e.g. a menu command from the Electron shell). */
  broadcast: EventSink;
  close(): void;
}

export interface EventHubOptions {
  appendIntervalMs?: number;
  statusIntervalMs?: number;
  /** Above this, requestsAppended carries the newest rows only and says `truncated`. */
  maxRowsPerEvent?: number;
  /** Events kept for a page that isn't ready yet; beyond it the oldest go and the page is told to refetch. */
  maxQueued?: number;
}

type Queued = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export function createEventHub(core: ApiCore, options: EventHubOptions = {}): EventHub {
  const maxRows = options.maxRowsPerEvent ?? 500;
  const maxQueued = options.maxQueued ?? 5_000;
  const sessions = new Set<{ deliver: (e: Queued) => void }>();
  let pendingRows: RequestRow[] = [];
  let pendingTruncated = false;
  let newestId = 0;

  const broadcast: EventSink = (name, payload) => {
    const e = { name, payload } as Queued;
    for (const s of sessions) s.deliver(e);
  };

  const appendThrottle = throttle(() => {
    if (pendingRows.length === 0 && !pendingTruncated) return;
    const rows = pendingRows;
    const truncated = pendingTruncated;
    pendingRows = [];
    pendingTruncated = false;
    broadcast('requestsAppended', { rows, newestId, truncated });
  }, options.appendIntervalMs ?? 100);
  const statusThrottle = throttle(() => broadcast('statusChanged', buildStatus(core)), options.statusIntervalMs ?? 250);

  const unsubscribers = [
    core.store.on('committed', (rows) => {
      for (const row of rows) if (row.id > newestId) newestId = row.id;
      pendingRows.push(...rows);
      if (pendingRows.length > maxRows) {
        pendingRows = pendingRows.slice(-maxRows);
        pendingTruncated = true;
      }
      appendThrottle();
    }),
    core.store.on('status', () => statusThrottle()),
    core.subscribe((event) => {
      switch (event.type) {
        case 'requestStarted':
          return broadcast('requestStarted', event.payload);
        case 'requestProgress':
          return broadcast('requestProgress', event.payload);
        case 'requestFinished':
          return broadcast('requestFinished', event.payload);
        case 'proxyChanged':
          return statusThrottle();
        case 'exportProgress':
          return broadcast('exportProgress', event.payload);
        default: {
          const never: never = event;
          return never;
        }
      }
    }),
  ];

  return {
    broadcast,
    attach(sink) {
      let queue: Queued[] | null = [];
      let overflowed = false;
      const send = (e: Queued) => (sink as (name: EventName, payload: unknown) => void)(e.name, e.payload);
      const session = {
        deliver(e: Queued) {
          if (queue === null) return send(e);
          queue.push(e);
          if (queue.length > maxQueued) {
            queue.shift();
            overflowed = true;
          }
        },
      };
      sessions.add(session);
      return {
        ready() {
          if (queue === null) return;
          const held = queue;
          queue = null;
          for (const e of held) send(e);
          // Some events were dropped while waiting: tell the page its list is stale.
          if (overflowed) sink('requestsAppended', { rows: [], newestId, truncated: true });
        },
        close() {
          sessions.delete(session);
          queue = null;
        },
      };
    },
    close() {
      for (const u of unsubscribers) u();
      appendThrottle.cancel();
      statusThrottle.cancel();
      sessions.clear();
    },
  };
}
