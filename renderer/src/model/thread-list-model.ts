// The request list grouped by thread: one line per thread that has a request matching the filter
// (summed over those requests), most recently active first, paged with the server's keyset cursor;
// an expanded line holds its turns, the thread's requests that match the filter, as ordinary rows.
// Live rows move their thread's line to the top: the first page is read again and merged (its
// threads are exactly those active since its last line), and an expanded thread's turns reloaded.
import type { RequestFilter, RequestRow } from '../../../electron/core/contract/model';
import type { ThreadCursor, ThreadSummary } from '../../../electron/core/contract/threads';
import type { Client } from '../api/client';
import { matchesFilter } from './match-filter';

export const THREAD_PAGE = 100;
/** Turns an expanded line shows, at most (a list page's bound); the thread view shows more. */
export const MAX_EXPANDED_TURNS = 1000;

export type GroupedItem =
  | { kind: 'thread'; key: string; thread: ThreadSummary; open: boolean }
  | { kind: 'turn'; key: string; row: RequestRow; threadId: number }
  | { kind: 'note'; key: string; text: string };

type Calls = Pick<Client, 'listThreads' | 'listRequests'>;

/** The filter narrowed to one thread: the filter's own terms and `thread:N`. */
export function threadFilter(filter: RequestFilter, threadId: number): RequestFilter {
  return { ...filter, query: `${filter.query ? `(${filter.query}) ` : ''}thread:${threadId}` };
}

export class ThreadListModel {
  private filter: RequestFilter = {};
  private threads: ThreadSummary[] = [];
  private cursor: ThreadCursor | null = null;
  private loading = false;
  private generation = 0;
  private expanded = new Map<number, RequestRow[] | null>();
  private refreshing = false;
  private refreshAgain = false;
  private listeners = new Set<() => void>();
  private items: GroupedItem[] = [];
  error: string | null = null;
  /** The first page has been answered (for this filter). */
  loaded = false;
  version = 0;

  constructor(private readonly calls: Calls) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private changed(): void {
    this.version++;
    this.items = this.build();
    for (const fn of this.listeners) fn();
  }

  get hasMore(): boolean {
    return this.cursor !== null;
  }

  get list(): readonly GroupedItem[] {
    return this.items;
  }

  setFilter(filter: RequestFilter): void {
    this.filter = filter;
    this.generation++;
    this.threads = [];
    this.cursor = null;
    this.loaded = false;
    this.loading = false;
    this.error = null;
    this.expanded.clear();
    this.changed();
    void this.loadMore(true);
  }

  /** The next page (the first after setFilter); one at a time. */
  async loadMore(first = false): Promise<void> {
    if (this.loading || (!first && this.cursor === null)) return;
    this.loading = true;
    const gen = this.generation;
    try {
      const page = await this.calls.listThreads({ filter: this.filter, cursor: this.cursor, limit: THREAD_PAGE });
      if (gen !== this.generation) return;
      const have = new Set(this.threads.map((t) => t.threadId));
      this.threads.push(...page.threads.filter((t) => !have.has(t.threadId)));
      this.cursor = page.nextCursor;
      this.loaded = true;
      this.error = null;
    } catch (e) {
      if (gen === this.generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (gen === this.generation) {
        this.loading = false;
        this.changed();
      }
    }
  }

  isOpen(threadId: number): boolean {
    return this.expanded.has(threadId);
  }

  toggle(threadId: number): void {
    if (this.expanded.has(threadId)) {
      this.expanded.delete(threadId);
      this.changed();
      return;
    }
    this.expanded.set(threadId, null);
    this.changed();
    void this.loadTurns(threadId);
  }

  private async loadTurns(threadId: number): Promise<void> {
    const gen = this.generation;
    try {
      const page = await this.calls.listRequests({
        filter: threadFilter(this.filter, threadId),
        sort: { column: 'time', dir: 'asc' },
        limit: MAX_EXPANDED_TURNS,
      });
      if (gen !== this.generation || !this.expanded.has(threadId)) return;
      this.expanded.set(threadId, page.rows);
    } catch (e) {
      if (gen === this.generation) this.error = e instanceof Error ? e.message : String(e);
    }
    if (gen === this.generation) this.changed();
  }

  /** Committed rows: a thread with a new matching turn moves to the top, with its new sums. */
  onAppended(rows: readonly RequestRow[], truncated: boolean): void {
    const touched = new Set<number>();
    for (const r of rows) if (r.threadId != null && matchesFilter(r, this.filter) !== false) touched.add(r.threadId);
    if (!truncated && touched.size === 0) return;
    void this.refresh(truncated ? null : touched);
  }

  /** After a split or merge: every line and expanded thread read again (no row was committed). */
  reload(): void {
    const open = [...this.expanded.keys()];
    this.setFilter(this.filter);
    for (const id of open) this.toggle(id);
  }

  /** Reads the first page again and merges it; `touched` null: every expanded thread reloads. */
  private async refresh(touched: Set<number> | null): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    const gen = this.generation;
    try {
      const page = await this.calls.listThreads({ filter: this.filter, cursor: null, limit: THREAD_PAGE });
      if (gen !== this.generation) return;
      const fresh = new Set(page.threads.map((t) => t.threadId));
      const rest = this.threads.filter((t) => !fresh.has(t.threadId));
      // A line now on the fresh page keeps its place there; what was loaded below it stays below.
      this.threads = [...page.threads, ...rest];
      if (!this.loaded) this.cursor = page.nextCursor;
      this.loaded = true;
      for (const id of this.expanded.keys()) if (touched === null || touched.has(id)) void this.loadTurns(id);
      this.changed();
    } catch (e) {
      if (gen === this.generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh(null);
      }
    }
  }

  /** Live rows pushed by the core update the lines; returns the unsubscribe. */
  connect(client: Pick<Client, 'on' | 'onConnection'>): () => void {
    const off = client.on('requestsAppended', (p) => this.onAppended(p.rows, !!p.truncated));
    const offConn = client.onConnection((s) => s === 'open' && this.setFilter(this.filter));
    return () => {
      off();
      offConn();
    };
  }

  private build(): GroupedItem[] {
    const out: GroupedItem[] = [];
    for (const t of this.threads) {
      const turns = this.expanded.get(t.threadId);
      const open = turns !== undefined;
      out.push({ kind: 'thread', key: `t${t.threadId}`, thread: t, open });
      if (!open) continue;
      if (turns === null) out.push({ kind: 'note', key: `n${t.threadId}`, text: 'loading turns…' });
      else {
        for (const row of turns) out.push({ kind: 'turn', key: `r${row.id}`, row, threadId: t.threadId });
        if (turns.length >= MAX_EXPANDED_TURNS)
          out.push({
            kind: 'note',
            key: `m${t.threadId}`,
            text: `first ${MAX_EXPANDED_TURNS} turns: the thread view has the rest`,
          });
      }
    }
    return out;
  }
}
