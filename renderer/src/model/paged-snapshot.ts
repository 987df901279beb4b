import type {
  ListCursor,
  ListSort,
  RequestFilter,
  RequestPage,
  RequestRow,
} from '../../../electron/core/contract/model';
import { sortCursorOf } from '../../../electron/core/contract/sort-keys';
import { PAGE_SIZE } from './page-size';

// The log as it was when the filter was set, read in keyset pages on demand and evicted when far
// from the viewport, so memory stays bounded at a million rows. Indexes here never shift (rows
// committed later go into the live section above), which is what lets the view keep its scroll
// anchor. A page next to one already read continues from its cursor; a far one (the scrollbar
// dragged to the bottom) is asked for as "skip N rows past the nearest cursor known", one query in
// the server's reader thread, one such query at a time, for wherever the view is when it is sent.
// A query's snapshot is one instance: a new filter or order is a new snapshot, and the old one's
// answers, arriving late, are dropped because it was disposed.

const MAX_PAGES = 40;

/** One page of `limit` rows, `skip` rows past `cursor` (null: the top of the log). */
export type FetchPage = (
  filter: RequestFilter,
  cursor: ListCursor | null,
  limit: number,
  sort: ListSort,
  skip: number,
) => Promise<RequestPage<ListCursor>>;

/** How long to wait before reading again after `failures` failed reads in a row. */
export type RetryDelay = (failures: number) => number;

export interface SnapshotHost {
  /** Rows shown above the snapshot that are also in the server's total (committed since it was taken). */
  committedAbove(): number;
  /** Page 0 was read from the top of the log: rows announced since may be in it, and belong to it. */
  release(rows: readonly RequestRow[]): void;
  /** Something the view shows changed. */
  changed(): void;
}

export class PagedSnapshot {
  private pages = new Map<number, RequestRow[]>();
  /** Ids in the loaded pages: a row can commit before a page is read and be announced after it. */
  private ids = new Set<number>();
  /** The cursor that fetches page k (page 0's is null), once page k-1 has been read. */
  private cursors = new Map<number, ListCursor | null>([[0, null]]);
  /** The furthest page whose cursor is known: the rows before it exist. */
  private furthest = 0;
  private lastPage: number | null = null;
  /** Rows in the snapshot, once its last page has been read: kept when that page is evicted. */
  private lastPageRows = 0;
  /** A far read came back empty at this page: the snapshot ends before it (the total was high). */
  private endBefore = Infinity;
  /** Rows in the snapshot as the server counted them with a far page (its `remaining`), before the end is read. */
  private counted: number | null = null;
  private loading = new Set<number>();
  /** Whether a far read (a skip) is on its way: one at a time, since each walks the index. */
  private seeking = false;
  /** The range the view shows, in snapshot indexes. */
  private wanted: [number, number] = [0, 0];
  /** Rows matching the filter per the server's stats, so the scrollbar spans the whole log. */
  private totalHint = 0;
  /** Failed reads in a row: while above 0, pages are read again only when `retryTimer` fires. */
  private failures = 0;
  private retrying = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  error: string | null = null;

  constructor(
    private readonly fetchPage: FetchPage,
    readonly filter: RequestFilter,
    readonly sort: ListSort,
    private readonly retryDelay: RetryDelay,
    private readonly host: SnapshotHost,
  ) {}

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * Exact once the last page has been read; before that, the server's count for the filter (so a
   * million-row log has a million-row scrollbar), and at least the rows known plus a placeholder.
   */
  get count(): number {
    // (Not from the last page's rows: scrolled away from, the page is evicted and its rows with it.
    // Counted from them, a million-row list lost its last rows once the user had been elsewhere.)
    if (this.lastPage !== null) return this.lastPage * PAGE_SIZE + this.lastPageRows;
    const known = this.furthest * PAGE_SIZE + 1;
    if (this.counted !== null) return Math.max(known, this.counted);
    return Math.max(known, Math.min(this.totalHint - this.host.committedAbove(), this.endBefore * PAGE_SIZE));
  }

  /** The total from getStats; returns whether the count the view shows depends on it. */
  setTotalHint(total: number): boolean {
    if (total === this.totalHint) return false;
    this.totalHint = total;
    return this.lastPage === null;
  }

  get firstPageSettled(): boolean {
    return this.pages.has(0) || this.error !== null;
  }

  get isComplete(): boolean {
    return this.lastPage !== null;
  }

  row(index: number): RequestRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  indexOf(id: number): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** The view shows snapshot rows [from, to): pages it needs are fetched, far ones evicted. */
  ensureRange(from: number, to: number): void {
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
      // cursor): rows committed since the snapshot are there, and indexes would drift.
      let start = k - 1;
      while (start > 0 && !this.cursors.has(start)) start--;
      if (start > 0 && !this.seeking) void this.load(k, start);
    }
    // Reading down, the next page is read while the view is still half a page from it, so rows
    // come into view loaded. Only from a known cursor: a guess is not worth a far read.
    const ahead = Math.floor((to - 1 + PAGE_SIZE / 2) / PAGE_SIZE);
    if (
      ahead > last &&
      this.cursors.has(ahead) &&
      !this.pages.has(ahead) &&
      !this.loading.has(ahead) &&
      (this.lastPage === null || ahead <= this.lastPage)
    ) {
      void this.load(ahead, ahead);
    }
    this.evict(first, last);
  }

  private evict(first: number, last: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - first) - Math.abs(a - first));
    for (const k of far) {
      if (this.pages.size <= MAX_PAGES) break;
      if (k < first - 2 || k > last + 2) this.drop(k);
    }
  }

  private drop(k: number): void {
    for (const r of this.pages.get(k) ?? []) this.ids.delete(r.id);
    this.pages.delete(k);
  }

  /** Reads page k from page `from`'s cursor, skipping the pages between (none when from === k). */
  private async load(k: number, from: number): Promise<void> {
    const cursor = this.cursors.get(from);
    if (cursor === undefined) return;
    const far = from < k;
    this.loading.add(k);
    if (far) this.seeking = true;
    try {
      const page = await this.fetchPage(this.filter, cursor, PAGE_SIZE, this.sort, (k - from) * PAGE_SIZE);
      if (this.disposed) return;
      const { rows } = page;
      const last = rows[rows.length - 1];
      if (far && page.remaining !== undefined) {
        // Every page before `from` is whole, so the rows before its cursor are from * PAGE_SIZE.
        this.counted = from * PAGE_SIZE + page.remaining;
        this.endBefore = Math.min(this.endBefore, Math.ceil(this.counted / PAGE_SIZE));
      }
      if (far && rows.length === 0) {
        // The server's total was high (rows pruned since, say): the end is before page k.
        this.endBefore = Math.min(this.endBefore, k);
      } else {
        // The first page is read from the top of the log: rows announced while its query was on
        // its way may be in it. They belong to the page (pages are whole, or indexes drift and a
        // "loading" row stays behind), so the live section lets them go; they are its oldest rows
        // and the page's newest, so nothing moves on screen.
        if (cursor === null) this.host.release(rows);
        for (const r of rows) this.ids.add(r.id);
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
      if (this.disposed) return;
      this.error = err instanceof Error ? err.message : String(err);
      this.failures++;
    } finally {
      if (!this.disposed) {
        this.loading.delete(k);
        if (far) this.seeking = false;
      }
    }
    if (this.disposed) return;
    this.host.changed();
    if (this.failures > 0) this.retryLater();
    else this.ensureRange(...this.wanted);
  }

  private retryLater(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // The reads the view needs go out (ensureRange sends none while failing); their outcome
      // decides what's next. If it needs none any more, nothing is failing.
      this.retrying = true;
      this.ensureRange(...this.wanted);
      this.retrying = false;
      if (this.loading.size === 0) this.failures = 0;
    }, this.retryDelay(this.failures));
  }

  /** Page k is the last: anything read or known past it (after pruning, say) is gone. */
  private forgetBeyond(k: number): void {
    for (const j of this.cursors.keys()) if (j > k) this.cursors.delete(j);
    for (const j of [...this.pages.keys()]) if (j > k) this.drop(j);
    this.furthest = Math.min(this.furthest, k);
  }

  /** The keyset position after `row` in this order, as the server would give it. */
  private cursorAfter(row: RequestRow): ListCursor {
    const sort = this.sort;
    if (sort.column === 'time') return { timestamp: row.timestamp, id: row.id };
    return sortCursorOf(row, { ...sort, column: sort.column });
  }
}
