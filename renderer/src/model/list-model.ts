import type { EventName, EventPayload } from '../../../electron/core/contract/contract';
import type { ListSort, RequestFilter, RequestRow } from '../../../electron/core/contract/model';
import { throttle, type Clock } from '../../../electron/core/contract/throttle';
import type {
  RequestFinishedEvent,
  RequestProgressEvent,
  RequestsAppendedEvent,
  RequestStartedEvent,
} from '../../../electron/core/contract/types';
import {
  inflightKey,
  loadingKey,
  parseKey,
  rowKey,
  type InflightKey,
  type ItemKey,
  type LoadingKey,
  type RowKey,
} from './list-keys';
import { isLiveOrder, LiveSection, type InflightRow, type LiveEvent } from './live-section';
import { PagedSnapshot, type FetchPage, type RetryDelay } from './paged-snapshot';

// The request list the view reads: the live section (in flight, then committed since the
// snapshot) stacked on the paged snapshot of the log, as one sequence of display indexes.
// Pushed events are queued and applied once per animation frame: the longer rendering takes, the
// larger and cheaper each batch gets (the idea of HTTP Toolkit's events store). The model listens
// to its own events (connect) and tells the view that something changed (subscribe).

export { PAGE_SIZE } from './page-size';
export { isLiveOrder, type InflightRow } from './live-section';
export type { FetchPage, RetryDelay } from './paged-snapshot';

export type ListItem =
  | { kind: 'inflight'; key: InflightKey; row: InflightRow }
  | { kind: 'row'; key: RowKey; row: RequestRow }
  | { kind: 'loading'; key: LoadingKey };

export const DEFAULT_SORT: ListSort = { column: 'time', dir: 'desc' };

export type Scheduler = (fn: () => void) => void;

const backoff: RetryDelay = (failures) => Math.min(8000, 500 * 2 ** (failures - 1));

type ListEventName = 'requestStarted' | 'requestProgress' | 'requestFinished' | 'requestsAppended';

/** What the model listens to: the client's pushed events and its connection. */
export interface ListEvents {
  on<E extends ListEventName & EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: 'open' | 'closed') => void): () => void;
}

/** A reload asked for by the server (a cut batch) or a reconnection waits at least this long after the last. */
const RELOAD_INTERVAL_MS = 1000;

export class ListModel {
  /** The last total from the stats, and the filter it counted. */
  private total: { filter: string; requests: number } | null = null;
  private query: { filter: RequestFilter; sort: ListSort; key: string | null } = {
    filter: {},
    sort: DEFAULT_SORT,
    key: null,
  };
  private readonly live: LiveSection;
  private snapshot: PagedSnapshot;
  private pending: LiveEvent[] = [];
  private scheduled = false;
  private listeners = new Set<() => void>();
  version = 0;
  /** Whether the latest change can wait: a live batch, a new total (the view renders those at low priority). */
  lastChangeLive = false;
  private readonly reload = throttle(() => this.setQuery(this.query.filter, this.query.sort, true), RELOAD_INTERVAL_MS);

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly schedule: Scheduler = frameScheduler(),
    private readonly retryDelay: RetryDelay = backoff,
  ) {
    this.live = new LiveSection(
      fetchPage,
      (id) => this.snapshot.has(id),
      () => this.emit(true),
    );
    this.snapshot = this.newSnapshot();
  }

  private newSnapshot(): PagedSnapshot {
    const snapshot = new PagedSnapshot(this.fetchPage, this.query.filter, this.query.sort, this.retryDelay, {
      committedAbove: () => this.live.head.length,
      release: (rows) => this.live.release(rows),
      changed: () => this.emit(),
    });
    // Another order (or a reload) of the same filter has the same rows: the stats' total still holds,
    // and the stats are not asked again for it. Without it the scrollbar covered only the pages read
    // until the next stats answer, and a drag to the bottom stopped at the end of those.
    if (this.total !== null && this.total.filter === JSON.stringify(this.query.filter))
      snapshot.setTotalHint(this.total.requests);
    return snapshot;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private emit(live = false): void {
    this.lastChangeLive = live;
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /**
   * Listens to the list's events: pushed rows and requests, a batch the server cut short or a
   * reconnection (both read the list again). Returns the unsubscribe.
   */
  connect(events: ListEvents): () => void {
    const offs = [
      events.on('requestStarted', (e) => this.pushStarted(e)),
      events.on('requestProgress', (e) => this.pushProgress(e)),
      events.on('requestFinished', (e) => this.pushFinished(e)),
      events.on('requestsAppended', (e) => {
        this.pushAppended(e);
        // In newest-first order only: in any other order new rows wait for the user to re-sort.
        if (e.truncated && isLiveOrder(this.query.sort)) this.reload();
      }),
    ];
    // Only a reconnection reloads: the first open would throw away the first page in flight.
    let lost = false;
    offs.push(
      events.onConnection((state) => {
        if (state === 'closed') lost = true;
        else if (lost) this.reload();
      }),
    );
    return () => {
      for (const off of offs) off();
      this.reload.cancel();
    };
  }

  /** Starts a new snapshot for `filter` (see setQuery). */
  setFilter(filter: RequestFilter, reload = false): void {
    this.setQuery(filter, this.query.sort, reload);
  }

  /**
   * Starts a new snapshot for `filter` in `sort` order; the same query again is a no-op unless
   * `reload`. In-flight rows that still match are kept.
   */
  setQuery(filter: RequestFilter, sort: ListSort, reload = false): void {
    const key = JSON.stringify([filter, sort]);
    if (key === this.query.key && !reload) return;
    this.query = { filter, sort, key };
    this.snapshot.dispose();
    this.live.reset(filter, sort);
    this.snapshot = this.newSnapshot();
    this.emit();
    this.ensureRange(0, 1);
  }

  /** A new snapshot in the same order, placing the rows counted in `unplaced`. */
  resort(): void {
    this.setQuery(this.query.filter, this.query.sort, true);
  }

  /** The total from getStats for the current filter; rows committed later are in it too. */
  setTotalHint(total: number): void {
    this.total = { filter: JSON.stringify(this.query.filter), requests: total };
    // Only the scrollbar's length changes: a low-priority update, like a live batch. (Under live
    // traffic the stats refresh several times a second; rendered at once, each one took the live
    // batch pending with it out of its transition.)
    if (this.snapshot.setTotalHint(total)) this.emit(true);
  }

  get count(): number {
    return this.live.count + this.snapshot.count;
  }

  /** Rows above the snapshot (in flight + committed since): where snapshot row 0 is shown. */
  get liveCount(): number {
    return this.live.count;
  }

  get inflightCount(): number {
    return this.live.inflight.length;
  }

  /** Committed rows matching the filter that a non-live order hasn't placed (shown as "N new — re-sort"). */
  get unplaced(): number {
    return this.live.unplaced;
  }

  get error(): string | null {
    return this.snapshot.error;
  }

  /** The first page of the current snapshot has arrived (or failed): slower queries may follow. */
  get firstPageSettled(): boolean {
    return this.snapshot.firstPageSettled;
  }

  get isComplete(): boolean {
    return this.snapshot.isComplete;
  }

  item(index: number): ListItem {
    const { inflight, head } = this.live;
    if (index < inflight.length) {
      const row = inflight[index]!;
      return { kind: 'inflight', key: inflightKey(row.correlationId), row };
    }
    index -= inflight.length;
    if (index < head.length) {
      const row = head[index]!;
      return { kind: 'row', key: rowKey(row.id), row };
    }
    index -= head.length;
    const row = this.snapshot.row(index);
    return row ? { kind: 'row', key: rowKey(row.id), row } : { kind: 'loading', key: loadingKey(index) };
  }

  /** Display index of an item, or -1 if it isn't loaded. Cheap for the live sections. */
  indexOf(key: ItemKey): number {
    const parsed = parseKey(key);
    const { inflight, head } = this.live;
    if (parsed.kind === 'inflight') return inflight.findIndex((r) => r.correlationId === parsed.correlationId);
    const h = head.findIndex((r) => r.id === parsed.id);
    if (h >= 0) return inflight.length + h;
    const s = this.snapshot.indexOf(parsed.id);
    return s < 0 ? -1 : inflight.length + head.length + s;
  }

  /** The committed row a finished in-flight request became, if it has committed. */
  committedKeyFor(correlationId: string): RowKey | null {
    const id = this.live.committedId(correlationId);
    return id === undefined ? null : rowKey(id);
  }

  inflightRow(correlationId: string): InflightRow | undefined {
    return this.live.inflightRow(correlationId);
  }

  /** The view reports its visible display range; pages it needs are fetched, far ones evicted. */
  ensureRange(start: number, end: number): void {
    const offset = this.live.count;
    this.snapshot.ensureRange(Math.max(0, start - offset), Math.max(0, end - offset));
  }

  // ---- pushed events: queued, applied once per frame ----

  pushStarted(e: RequestStartedEvent): void {
    this.enqueue({ t: 'started', e });
  }

  pushProgress(e: RequestProgressEvent): void {
    this.enqueue({ t: 'progress', e });
  }

  pushFinished(e: RequestFinishedEvent): void {
    this.enqueue({ t: 'finished', e });
  }

  pushAppended(e: RequestsAppendedEvent): void {
    this.enqueue({ t: 'appended', e });
  }

  private enqueue(p: LiveEvent): void {
    this.pending.push(p);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Applies every queued event in one go and notifies once. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.live.apply(batch);
    this.emit(true);
  }
}

/**
 * Live batches are applied on an animation frame, and at most every 100 ms: under heavy traffic
 * every batch moves every visible row, and repainting the list 60 times a second starved the page
 * (profiled: layout and paint, not script). 100 ms keeps a finished row within the 250 ms budget.
 */
export function frameScheduler(minIntervalMs = 100): Scheduler {
  let due: (() => void)[] = [];
  const paint = throttle(
    () => {
      const fns = due;
      due = [];
      for (const fn of fns) fn();
    },
    minIntervalMs,
    frameClock,
  );
  return (fn) => {
    due.push(fn);
    paint();
  };
}

/** A clock whose timers fire on an animation frame: at once is the next frame, later is the first frame after. */
const frameClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const handle = { timer: 0, frame: 0 };
    const onFrame = () => (handle.frame = requestAnimationFrame(fn));
    if (ms > 0) handle.timer = window.setTimeout(onFrame, ms);
    else onFrame();
    return handle;
  },
  clearTimeout: (handle) => {
    const { timer, frame } = handle as { timer: number; frame: number };
    window.clearTimeout(timer);
    cancelAnimationFrame(frame);
  },
};
