// Fans the core's events (core-events.ts, already named and shaped as the contract says) out to
// connected pages, and does nothing else to them but pace and hold them. Three things matter here:
// - Committed rows are batched: at most one requestsAppended per interval (ten a second by
//   default), sent as soon as the interval allows, so a finished request shows within ~100 ms
//   and a burst of 1000 req/s costs the renderer ten merges a second, not a thousand.
// - A page that has not said it is ready (client:ready) gets its events queued, not lost:
//   it subscribes after its first fetch, and whatever happened in between must still arrive.
// - Status is sent at most four times a second, the latest one: a burst of commits changes the
//   queue depth and the database size many times, and only the last value means anything.
import type { EventName, EventPayload } from '../contract/contract';
import type { AppStatus, RequestRow } from '../contract/types';
import { throttle } from '../contract/throttle';
import type { CoreEvents } from '../core-events';

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

export function createEventHub(events: Pick<CoreEvents, 'onAny'>, options: EventHubOptions = {}): EventHub {
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
  let latestStatus: AppStatus | null = null;
  const statusThrottle = throttle(() => {
    if (latestStatus) broadcast('statusChanged', latestStatus);
    latestStatus = null;
  }, options.statusIntervalMs ?? 250);

  const unsubscribe = events.onAny((name, payload) => {
    if (name === 'requestsAppended') {
      const appended = payload as EventPayload<'requestsAppended'>;
      newestId = Math.max(newestId, appended.newestId);
      pendingRows.push(...appended.rows);
      if (appended.truncated) pendingTruncated = true;
      if (pendingRows.length > maxRows) {
        pendingRows = pendingRows.slice(-maxRows);
        pendingTruncated = true;
      }
      appendThrottle();
    } else if (name === 'statusChanged') {
      latestStatus = payload as EventPayload<'statusChanged'>;
      statusThrottle();
    } else {
      broadcast(name, payload);
    }
  });

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
      unsubscribe();
      appendThrottle.cancel();
      statusThrottle.cancel();
      sessions.clear();
    },
  };
}
