import type {
  RequestFinishedEvent,
  RequestProgressEvent,
  RequestsAppendedEvent,
  RequestStartedEvent,
  SseEvent,
} from '../../../electron/core/contract/types';
import { sortCursorOf } from '../../../electron/core/contract/sort-keys';
import { throttle, type Clock } from '../../../electron/core/contract/throttle';
import type { ListCursor, ListSort, RequestFilter, RequestPage, RequestRow } from '../../../electron/core/contract/model';
import type { ConversationReply } from '../../../electron/core/contract/conversation';
import { matchesFilter } from './match-filter';
import { PAGE_SIZE } from './page-size';

// The live request list as three stacked sections, newest first:
//   in flight (pushed by requestStarted/Progress) · head (rows committed since the snapshot) · base
// `base` is a snapshot of the log taken when the filter was set, read in keyset pages on demand and
// evicted when far from the viewport, so memory stays bounded at a million rows. Base indexes never
// shift, because new rows go into `head`; that is what lets the view keep its scroll anchor.
// A page next to one already read continues from its cursor; a far one (the scrollbar dragged to
// the bottom) is asked for as "skip N rows past the nearest cursor known", one query in the
// server's reader thread, one such query at a time, for wherever the view is when it is sent.
// Pushed events are queued and applied once per animation frame: the longer rendering takes, the
// larger and cheaper each batch gets (the idea of HTTP Toolkit's events store).
// Sorted by anything but newest first, a new row's place is somewhere in the middle of rows not
// loaded yet: it is not inserted (nor is anything in flight shown), only counted, and the view
// offers to re-sort, so nothing moves under the user's eyes.

export { PAGE_SIZE } from './page-size';
const MAX_PAGES = 40;

export interface InflightRow extends Omit<RequestStartedEvent, 'id'> {
  /** RequestStartedEvent.id: the committed row will carry it as its correlationId. */
  correlationId: string;
  /** Events seen so far (the stream may hold more than `events` kept here). */
  eventCount: number;
  outputTokens: number | null;
  /** The assistant text so far, from the proxy's text deltas. */
  text: string;
  /** The response is over; the row waits to be logged (for long only while the log can't be written). */
  finished: boolean;
  events: SseEvent[];
  /** The reply so far as the API rebuilt it from every event; null until the first progress event. */
  reply: ConversationReply | null;
}

/** Stream events kept per in-flight request for the live timeline; older ones are dropped. */
const MAX_LIVE_EVENTS = 5000;

export type ListItem =
  | { kind: 'inflight'; key: string; row: InflightRow }
  | { kind: 'row'; key: string; row: RequestRow }
  | { kind: 'loading'; key: string };

/** One page of `limit` rows, `skip` rows past `cursor` (null: the top of the log). */
export type FetchPage = (filter: RequestFilter, cursor: ListCursor | null, limit: number, sort: ListSort, skip: number) => Promise<RequestPage<ListCursor>>;

export const DEFAULT_SORT: ListSort = { column: 'time', dir: 'desc' };

/** Newest first: the order live rows arrive in, so they can be shown as they come. */
export const isLiveOrder = (sort: ListSort): boolean => sort.column === 'time' && sort.dir === 'desc';
export type Scheduler = (fn: () => void) => void;

/** How long to wait before reading again after `failures` failed reads in a row. */
export type RetryDelay = (failures: number) => number;
const backoff: RetryDelay = (failures) => Math.min(8000, 500 * 2 ** (failures - 1));

type Pending =
  | { t: 'started'; e: RequestStartedEvent }
  | { t: 'progress'; e: RequestProgressEvent }
  | { t: 'finished'; e: RequestFinishedEvent }
  | { t: 'appended'; e: RequestsAppendedEvent };

export const rowKey = (id: number) => `r${id}`;
export const inflightKey = (cid: string) => `f${cid}`;

export class ListModel {
  private filter: RequestFilter = {};
  private sort: ListSort = DEFAULT_SORT;
  private generation = 0;
  /** Committed rows matching the filter that a non-live order hasn't placed (shown as "N new — re-sort"). */
  unplaced = 0;
  private inflight: InflightRow[] = [];
  private head: RequestRow[] = [];
  private headIds = new Set<number>();
  private pages = new Map<number, RequestRow[]>();
  /** Ids in the loaded base pages: a row can commit before a page is read and be announced after it. */
  private baseIds = new Set<number>();
  /** The cursor that fetches base page k (page 0's is null), once page k-1 has been read. */
  private cursors = new Map<number, ListCursor | null>([[0, null]]);
  /** The furthest page whose cursor is known: the rows before it exist. */
  private furthest = 0;
  private lastPage: number | null = null;
  /** Rows in the snapshot, once its last page has been read: kept when that page is evicted. */
  private lastPageRows = 0;
  /** A far read came back empty at this page: the snapshot ends before it (the total was high). */
  private endBefore = Infinity;
  private loading = new Set<number>();
  /** Whether a far read (a skip) is on its way: one at a time, since each walks the index. */
  private seeking = false;
  private wanted: [number, number] = [0, 0];
  /** Rows matching the filter per the server's stats, so the scrollbar spans the whole log. */
  private totalHint = 0;
  private pending: Pending[] = [];
  /** Committed rows waiting for the server to say whether they match (a body search). */
  private undecided: RequestRow[] = [];
  private deciding = false;
  private scheduled = false;
  private listeners = new Set<() => void>();
  /** Committed row ids per correlation id, so a selected in-flight row can follow its commit. */
  private committedByCid = new Map<string, number>();
  version = 0;
  error: string | null = null;
  /** Set when a pushed batch couldn't be merged (server truncated it): the owner should reload. */
  needsReload = false;

  /** Failed reads in a row: while above 0, pages are read again only when `retryTimer` fires. */
  private failures = 0;
  private retrying = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly schedule: Scheduler = frameScheduler(),
    private readonly retryDelay: RetryDelay = backoff,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  /** Whether the latest change can wait: a live batch, a new total (the view renders those at low priority). */
  lastChangeLive = false;

  private emit(live = false): void {
    this.lastChangeLive = live;
    this.version++;
    for (const fn of this.listeners) fn();
  }

  private filterKey: string | null = null;

  /**
   * Starts a new snapshot for `filter`; the same filter again is a no-op unless `reload`.
   * In-flight rows that still match are kept.
   */
  setFilter(filter: RequestFilter, reload = false): void {
    this.setQuery(filter, this.sort, reload);
  }

  /** Starts a new snapshot for `filter` in `sort` order (see setFilter). */
  setQuery(filter: RequestFilter, sort: ListSort, reload = false): void {
    const key = JSON.stringify([filter, sort]);
    if (key === this.filterKey && !reload) return;
    this.filterKey = key;
    this.filter = filter;
    this.sort = sort;
    this.unplaced = 0;
    this.generation++;
    this.head = [];
    this.headIds.clear();
    this.undecided = [];
    this.deciding = false;
    this.pages.clear();
    this.baseIds.clear();
    this.cursors = new Map([[0, null]]);
    this.furthest = 0;
    this.lastPage = null;
    this.endBefore = Infinity;
    this.loading.clear();
    this.seeking = false;
    this.failures = 0;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.totalHint = 0;
    this.error = null;
    this.needsReload = false;
    this.inflight = isLiveOrder(sort) ? this.inflight.filter((r) => matchesFilter(r, filter, true) !== false) : [];
    this.emit();
    this.ensureRange(0, 1);
  }

  get count(): number {
    return this.inflight.length + this.head.length + this.baseCount;
  }

  /**
   * Exact once the last page has been read; before that, the server's count for the filter (so a
   * million-row log has a million-row scrollbar), and at least the rows known plus a placeholder.
   */
  private get baseCount(): number {
    // (Not from the last page's rows: scrolled away from, the page is evicted and its rows with it.
    // Counted from them, a million-row list lost its last rows once the user had been elsewhere.)
    if (this.lastPage !== null) return this.lastPage * PAGE_SIZE + this.lastPageRows;
    const known = this.furthest * PAGE_SIZE + 1;
    return Math.max(known, Math.min(this.totalHint - this.head.length, this.endBefore * PAGE_SIZE));
  }

  /** The total from getStats for the current filter; rows committed later are in it too. */
  setTotalHint(total: number): void {
    if (total === this.totalHint) return;
    this.totalHint = total;
    // Only the scrollbar's length changes: a low-priority update, like a live batch. (Under live
    // traffic the stats refresh several times a second; rendered at once, each one took the live
    // batch pending with it out of its transition.)
    if (this.lastPage === null) this.emit(true);
  }

  /** The first page of the current snapshot has arrived (or failed): slower queries may follow. */
  get firstPageSettled(): boolean {
    return this.pages.has(0) || this.error !== null;
  }

  /** A new snapshot in the same order, placing the rows counted in `unplaced`. */
  resort(): void {
    this.setQuery(this.filter, this.sort, true);
  }

  get currentSort(): ListSort {
    return this.sort;
  }

  get isComplete(): boolean {
    return this.lastPage !== null;
  }

  get inflightCount(): number {
    return this.inflight.length;
  }

  /** Rows above the snapshot (in flight + committed since): where base row 0 is shown. */
  get liveCount(): number {
    return this.inflight.length + this.head.length;
  }

  item(index: number): ListItem {
    if (index < this.inflight.length) {
      const row = this.inflight[index]!;
      return { kind: 'inflight', key: inflightKey(row.correlationId), row };
    }
    index -= this.inflight.length;
    if (index < this.head.length) {
      const row = this.head[index]!;
      return { kind: 'row', key: rowKey(row.id), row };
    }
    index -= this.head.length;
    const page = Math.floor(index / PAGE_SIZE);
    const row = this.pages.get(page)?.[index % PAGE_SIZE];
    return row ? { kind: 'row', key: rowKey(row.id), row } : { kind: 'loading', key: `l${index}` };
  }

  /** Display index of a row key, or -1 if it isn't loaded. Cheap for the live sections. */
  indexOf(key: string): number {
    if (key.startsWith('f')) return this.inflight.findIndex((r) => inflightKey(r.correlationId) === key);
    const id = Number(key.slice(1));
    const h = this.head.findIndex((r) => r.id === id);
    if (h >= 0) return this.inflight.length + h;
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) return this.inflight.length + this.head.length + page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** The committed row a finished in-flight request became, if it has committed. */
  committedKeyFor(correlationId: string): string | null {
    const id = this.committedByCid.get(correlationId);
    return id === undefined ? null : rowKey(id);
  }

  inflightRow(correlationId: string): InflightRow | undefined {
    return this.inflight.find((r) => r.correlationId === correlationId);
  }

  /** The view reports its visible display range; pages it needs are fetched, far ones evicted. */
  ensureRange(start: number, end: number): void {
    const offset = this.inflight.length + this.head.length;
    const from = Math.max(0, start - offset);
    const to = Math.max(0, end - offset);
    this.wanted = [from, to];
    const first = Math.floor(from / PAGE_SIZE);
    const last = Math.floor(Math.max(from, to - 1) / PAGE_SIZE);
    // After a failed read (server gone, log closed) the retry timer reads again, backing off; the
    // view asking on every render would make each failure's re-render send the next request.
    if (this.failures > 0 && !this.retrying) return;
    for (let k = first; k <= last; k++) {
      if ((this.lastPage !== null && k > this.lastPage) || k >= this.endBefore) break;
      if (this.pages.has(k) || this.loading.has(k)) continue;
      if (this.cursors.has(k)) {
        void this.load(k, k);
        continue;
      }
      // Skip from the nearest cursor before k, but never from the top of the log (page 0's null
      // cursor): rows committed since the snapshot are there, and base indexes would drift.
      let from = k - 1;
      while (from > 0 && !this.cursors.has(from)) from--;
      if (from > 0 && !this.seeking) void this.load(k, from);
    }
    // Reading down, the next page is read while the view is still half a page from it, so rows
    // come into view loaded. Only from a known cursor: a guess is not worth a far read.
    const ahead = Math.floor((to - 1 + PAGE_SIZE / 2) / PAGE_SIZE);
    if (ahead > last && this.cursors.has(ahead) && !this.pages.has(ahead) && !this.loading.has(ahead) && (this.lastPage === null || ahead <= this.lastPage)) {
      void this.load(ahead, ahead);
    }
    this.evict(first, last);
  }

  private evict(first: number, last: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - first) - Math.abs(a - first));
    for (const k of far) {
      if (this.pages.size <= MAX_PAGES) break;
      if (k < first - 2 || k > last + 2) {
        for (const r of this.pages.get(k) ?? []) this.baseIds.delete(r.id);
        this.pages.delete(k);
      }
    }
  }

  /** Reads page k from page `from`'s cursor, skipping the pages between (none when from === k). */
  private async load(k: number, from: number): Promise<void> {
    const gen = this.generation;
    const cursor = this.cursors.get(from);
    if (cursor === undefined) return;
    const far = from < k;
    this.loading.add(k);
    if (far) this.seeking = true;
    try {
      const page = await this.fetchPage(this.filter, cursor, PAGE_SIZE, this.sort, (k - from) * PAGE_SIZE);
      if (gen !== this.generation) return;
      const { rows } = page;
      const last = rows[rows.length - 1];
      if (far && rows.length === 0) {
        // The server's total was high (rows pruned since, say): the end is before page k.
        this.endBefore = Math.min(this.endBefore, k);
      } else {
        // The first page is read from the top of the log: rows announced while its query was on
        // its way (already in head) may be in it. They belong to the page (base pages are whole,
        // or base indexes drift and a "loading" row stays behind), so head lets them go; they are
        // head's oldest rows and the page's newest, so nothing moves on screen.
        if (cursor === null && this.head.length > 0) this.releaseFromHead(rows);
        for (const r of rows) this.baseIds.add(r.id);
        this.pages.set(k, rows);
        // The cursor of the next page is this page's last row (that is what keyset means).
        if (page.nextCursor !== null && last && rows.length === PAGE_SIZE) {
          this.cursors.set(k + 1, this.cursorAfter(last));
          this.furthest = Math.max(this.furthest, k + 1);
        } else {
          this.lastPage = k;
          this.lastPageRows = rows.length;
          this.forgetBeyond(k);
        }
      }
      this.error = null;
      this.failures = 0;
    } catch (err) {
      if (gen !== this.generation) return;
      this.error = err instanceof Error ? err.message : String(err);
      this.failures++;
    } finally {
      if (gen === this.generation) {
        this.loading.delete(k);
        if (far) this.seeking = false;
      }
    }
    if (gen !== this.generation) return;
    this.emit();
    if (this.failures > 0) this.retryLater();
    else this.ensureRange(this.wanted[0] + this.liveCount, this.wanted[1] + this.liveCount);
  }

  private retryLater(): void {
    if (this.retryTimer !== null) return;
    const gen = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (gen !== this.generation) return;
      // The reads the view needs go out (ensureRange sends none while failing); their outcome
      // decides what's next. If it needs none any more, nothing is failing.
      this.retrying = true;
      this.ensureRange(this.wanted[0] + this.liveCount, this.wanted[1] + this.liveCount);
      this.retrying = false;
      if (this.loading.size === 0) this.failures = 0;
    }, this.retryDelay(this.failures));
  }

  /** Page k is the last: anything read or known past it (after pruning, say) is gone. */
  private forgetBeyond(k: number): void {
    for (const j of this.cursors.keys()) if (j > k) this.cursors.delete(j);
    for (const [j, rows] of this.pages) {
      if (j <= k) continue;
      for (const r of rows) this.baseIds.delete(r.id);
      this.pages.delete(j);
    }
    this.furthest = Math.min(this.furthest, k);
  }

  private releaseFromHead(rows: readonly RequestRow[]): void {
    const inPage = new Set(rows.map((r) => r.id));
    if (!this.head.some((r) => inPage.has(r.id))) return;
    this.head = this.head.filter((r) => !inPage.has(r.id));
    for (const id of inPage) this.headIds.delete(id);
  }

  /** The keyset position after `row` in the current order, as the server would give it. */
  private cursorAfter(row: RequestRow): ListCursor {
    const sort = this.sort;
    if (sort.column === 'time') return { timestamp: row.timestamp, id: row.id };
    return sortCursorOf(row, { ...sort, column: sort.column });
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

  private enqueue(p: Pending): void {
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
    const byCid = new Map(this.inflight.map((r) => [r.correlationId, r]));
    const added: RequestRow[] = [];
    const live = isLiveOrder(this.sort);
    for (const p of batch) {
      if (!live && p.t !== 'appended') continue;
      if (p.t === 'started') {
        const { id, ...rest } = p.e;
        const r: InflightRow = { ...rest, correlationId: id, eventCount: 0, outputTokens: null, text: '', events: [], finished: false, reply: null };
        if (matchesFilter(r, this.filter, true) !== false) byCid.set(r.correlationId, r);
      } else if (p.t === 'progress') {
        const r = byCid.get(p.e.id);
        if (!r) continue;
        let events = p.e.newEvents.length ? r.events.concat(p.e.newEvents) : r.events;
        if (events.length > MAX_LIVE_EVENTS) events = events.slice(-MAX_LIVE_EVENTS);
        byCid.set(r.correlationId, {
          ...r,
          eventCount: p.e.events,
          outputTokens: p.e.outputTokens,
          text: r.text + p.e.textDelta,
          events,
          reply: p.e.reply ?? r.reply,
        });
      } else if (p.t === 'finished') {
        const r = byCid.get(p.e.id);
        if (r) byCid.set(r.correlationId, { ...r, finished: true });
      } else {
        if (p.e.truncated) this.needsReload = true;
        for (const row of p.e.rows) {
          byCid.delete(row.correlationId);
          this.committedByCid.set(row.correlationId, row.id);
          const match = matchesFilter(row, this.filter);
          // A body search can't be decided from the row: the server is asked (see decide()).
          if (match === 'unknown' && live) this.undecided.push(row);
          if (match !== true) continue;
          if (!live) this.unplaced++;
          else if (!this.headIds.has(row.id) && !this.baseIds.has(row.id)) added.push(row);
        }
      }
    }
    if (this.committedByCid.size > 5000) this.committedByCid.clear();
    this.inflight = [...byCid.values()].sort((a, b) => cmpDesc(a.timestamp, b.timestamp));
    this.addToHead(added);
    this.emit(true);
    void this.decide();
  }

  private addToHead(rows: RequestRow[]): void {
    if (rows.length === 0) return;
    for (const r of rows) this.headIds.add(r.id);
    this.head = rows.concat(this.head).sort((a, b) => cmpDesc(a.timestamp, b.timestamp) || b.id - a.id);
  }

  /**
   * Places committed rows only the server can match (a body search): one query at a time for all
   * rows waiting, for the filter's rows since the oldest of them, which are the few committed
   * lately, not the whole log. (The list used to reload for every batch instead: a new snapshot a
   * second under traffic, each a search of the whole log, and the reader's queue grew.)
   */
  private async decide(): Promise<void> {
    if (this.deciding || this.undecided.length === 0) return;
    const gen = this.generation;
    const rows = this.undecided;
    this.undecided = [];
    this.deciding = true;
    try {
      const ids = new Set(rows.map((r) => r.id));
      const oldest = rows.reduce((m, r) => (r.timestamp < m ? r.timestamp : m), rows[0]!.timestamp);
      const filter = { ...this.filter, since: this.filter.since !== undefined && this.filter.since > oldest ? this.filter.since : oldest };
      const found: RequestRow[] = [];
      let cursor: ListCursor | null = null;
      for (let pages = 0; pages < 5; pages++) {
        const page: RequestPage<ListCursor> = await this.fetchPage(filter, cursor, 1000, this.sort, 0);
        if (gen !== this.generation) return;
        for (const r of page.rows) if (ids.has(r.id) && !this.headIds.has(r.id) && !this.baseIds.has(r.id)) found.push(r);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      if (found.length) {
        this.addToHead(found);
        this.emit(true);
      }
    } catch {
      // Those rows stay out of the list until it is read again (a new filter, a reconnection).
    } finally {
      if (gen === this.generation) this.deciding = false;
    }
    if (gen === this.generation) void this.decide();
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

function cmpDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
