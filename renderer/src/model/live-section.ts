import type {
  ListCursor,
  ListSort,
  RequestFilter,
  RequestPage,
  RequestRow,
} from '../../../electron/core/contract/model';
import type { ConversationReply } from '../../../electron/core/contract/conversation';
import type {
  RequestFinishedEvent,
  RequestProgressEvent,
  RequestsAppendedEvent,
  RequestStartedEvent,
  SseEvent,
} from '../../../electron/core/contract/types';
import { matchesFilter } from './match-filter';
import type { FetchPage } from './paged-snapshot';

// What the server pushed since the snapshot was taken, newest first: requests in flight (from
// requestStarted/Progress/Finished) above the rows committed since (`head`, from requestsAppended).
// Sorted by anything but newest first, a new row's place is somewhere in the middle of rows not
// loaded yet: it is not inserted (nor is anything in flight shown), only counted, and the view
// offers to re-sort, so nothing moves under the user's eyes.

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

export type LiveEvent =
  | { t: 'started'; e: RequestStartedEvent }
  | { t: 'progress'; e: RequestProgressEvent }
  | { t: 'finished'; e: RequestFinishedEvent }
  | { t: 'appended'; e: RequestsAppendedEvent };

/** Stream events kept per in-flight request for the live timeline; older ones are dropped. */
const MAX_LIVE_EVENTS = 5000;
/** Correlation ids remembered for following a selection to its committed row. */
const MAX_COMMITTED_REMEMBERED = 5000;

/** Newest first: the order live rows arrive in, so they can be shown as they come. */
export const isLiveOrder = (sort: ListSort): boolean => sort.column === 'time' && sort.dir === 'desc';

export class LiveSection {
  inflight: readonly InflightRow[] = [];
  head: readonly RequestRow[] = [];
  private headIds = new Set<number>();
  /** Committed rows matching the filter that a non-live order hasn't placed (shown as "N new — re-sort"). */
  unplaced = 0;
  /** Committed rows waiting for the server to say whether they match (a body search). */
  private undecided: RequestRow[] = [];
  private deciding = false;
  /** Committed row ids per correlation id, so a selected in-flight row can follow its commit. */
  private committedByCid = new Map<string, number>();
  private filter: RequestFilter = {};
  private sort: ListSort = { column: 'time', dir: 'desc' };
  /** Bumped by reset: a body-search answer for an older query is dropped. */
  private generation = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    /** Whether the snapshot already holds a row (it can be read before the row is announced). */
    private readonly inSnapshot: (id: number) => boolean,
    private readonly changed: () => void,
  ) {}

  /** A new query: requests in flight that still match stay (in live order), the rest starts empty. */
  reset(filter: RequestFilter, sort: ListSort): void {
    this.generation++;
    this.filter = filter;
    this.sort = sort;
    this.unplaced = 0;
    this.head = [];
    this.headIds.clear();
    this.undecided = [];
    this.deciding = false;
    this.inflight = isLiveOrder(sort) ? this.inflight.filter((r) => matchesFilter(r, filter, true) !== false) : [];
  }

  get count(): number {
    return this.inflight.length + this.head.length;
  }

  inflightRow(correlationId: string): InflightRow | undefined {
    return this.inflight.find((r) => r.correlationId === correlationId);
  }

  /** The id of the row a request committed as, once it has. */
  committedId(correlationId: string): number | undefined {
    return this.committedByCid.get(correlationId);
  }

  /** Applies a batch of pushed events at once. */
  apply(batch: readonly LiveEvent[]): void {
    const byCid = new Map(this.inflight.map((r) => [r.correlationId, r]));
    const added: RequestRow[] = [];
    const live = isLiveOrder(this.sort);
    for (const p of batch) {
      if (!live && p.t !== 'appended') continue;
      if (p.t === 'started') {
        const { id, ...rest } = p.e;
        const r: InflightRow = {
          ...rest,
          correlationId: id,
          eventCount: 0,
          outputTokens: null,
          text: '',
          events: [],
          finished: false,
          reply: null,
        };
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
        for (const row of p.e.rows) {
          byCid.delete(row.correlationId);
          this.committedByCid.set(row.correlationId, row.id);
          const match = matchesFilter(row, this.filter);
          // A body search can't be decided from the row: the server is asked (see decide()).
          if (match === 'unknown' && live) this.undecided.push(row);
          if (match !== true) continue;
          if (!live) this.unplaced++;
          else if (!this.headIds.has(row.id) && !this.inSnapshot(row.id)) added.push(row);
        }
      }
    }
    if (this.committedByCid.size > MAX_COMMITTED_REMEMBERED) this.committedByCid.clear();
    this.inflight = [...byCid.values()].sort((a, b) => cmpDesc(a.timestamp, b.timestamp));
    this.addToHead(added);
    void this.decide();
  }

  /** Rows the snapshot's first page turned out to hold leave the head (see PagedSnapshot.load). */
  release(rows: readonly RequestRow[]): void {
    if (this.head.length === 0) return;
    const inPage = new Set(rows.map((r) => r.id));
    if (!this.head.some((r) => inPage.has(r.id))) return;
    this.head = this.head.filter((r) => !inPage.has(r.id));
    for (const id of inPage) this.headIds.delete(id);
  }

  private addToHead(rows: RequestRow[]): void {
    if (rows.length === 0) return;
    for (const r of rows) this.headIds.add(r.id);
    this.head = rows.concat(this.head).sort((a, b) => cmpDesc(a.timestamp, b.timestamp) || b.id - a.id);
  }

  /**
   * Places committed rows only the server can match (a body search): one query at a time for all
   * rows waiting, for the filter's rows since the oldest of them, which are the few committed
   * lately, not the whole log. (Reloading the list for every batch instead meant a new snapshot a
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
      const filter = {
        ...this.filter,
        since: this.filter.since !== undefined && this.filter.since > oldest ? this.filter.since : oldest,
      };
      const found: RequestRow[] = [];
      let cursor: ListCursor | null = null;
      for (let pages = 0; pages < 5; pages++) {
        const page: RequestPage<ListCursor> = await this.fetchPage(filter, cursor, 1000, this.sort, 0);
        if (gen !== this.generation) return;
        for (const r of page.rows)
          if (ids.has(r.id) && !this.headIds.has(r.id) && !this.inSnapshot(r.id)) found.push(r);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      if (found.length) {
        this.addToHead(found);
        this.changed();
      }
    } catch {
      // Those rows stay out of the list until it is read again (a new filter, a reconnection).
    } finally {
      if (gen === this.generation) this.deciding = false;
    }
    if (gen === this.generation) void this.decide();
  }
}

function cmpDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
