import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { AppStatus, Stats, TokenRatio } from '../../../electron/core/contract/types';
import type { ListSort, RequestFilter } from '../../../electron/core/contract/model';
import { throttle } from '../../../electron/core/contract/throttle';
import type { Client } from '../api/client';
import { filterToHash, hashToFilter, hashToSort } from '../model/filter-hash';
import { RefreshGate } from './refresh-gate';

export const ClientContext = createContext<Client | null>(null);

export function useClient(): Client {
  const c = useContext(ClientContext);
  if (!c) throw new Error('ClientContext missing');
  return c;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Calls `fn` at most once per `ms` (contract/throttle.ts): live events can arrive ten times a second. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const throttled = useMemo(() => throttle(() => fnRef.current(), ms), [ms]);
  useEffect(() => () => throttled.cancel(), [throttled]);
  return throttled;
}

export function useStatus(): { status: AppStatus | null; error: string | null } {
  const client = useClient();
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      client.getStatus().then(
        (s) => live && (setStatus(s), setError(null)),
        (e: unknown) => live && setError(errorMessage(e)),
      );
    // Every change (queue depth, database size, the proxy's listener) arrives as statusChanged;
    // only a reconnection, which may have missed some, asks again.
    const off = client.on('statusChanged', (s) => {
      setStatus(s);
      setError(null);
    });
    const offConnection = client.onConnection((state) => state === 'open' && void load());
    void load();
    return () => {
      live = false;
      off();
      offConnection();
    };
  }, [client]);
  return { status, error };
}

/**
 * Runs `load` on mount and when `deps` change, and again whenever rows are committed: at once when
 * no query is running, else once after the running one (see RefreshGate), starts `minGapMs` apart.
 */
export function useLiveQuery<T>(load: () => Promise<T>, deps: unknown[], minGapMs = 250, enabled = true) {
  const client = useClient();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const run = useCallback(() => {
    const n = ++seq.current;
    return load().then(
      (d) => void (n === seq.current && (setData(d), setError(null))),
      (e: unknown) => void (n === seq.current && setError(errorMessage(e))),
    );
  }, deps);
  useEffect(() => {
    if (!enabled) return;
    const gate = new RefreshGate(run, minGapMs);
    gate.request();
    const off = client.on('requestsAppended', () => gate.request());
    return () => {
      off();
      gate.dispose();
    };
  }, [client, run, minGapMs, enabled]);
  return { data, error, reload: run };
}

export function useTokenRatios() {
  const client = useClient();
  return useLiveQuery<TokenRatio[]>(() => client.getTokenRatios(), [client], 1000);
}

export function useStats(filter: RequestFilter, key: string, enabled = true) {
  const client = useClient();
  // Promptly after each live batch, so the totals keep up with the rows; never more than one
  // stats query at a time, so percentiles over a large log can't queue up behind each other.
  return useLiveQuery<Stats>(() => client.getStats({ filter, groupBy: null }), [client, key], 250, enabled);
}

/** Sets the filter (the filter bar's text, see filter-hash.ts). */
export type SetFilter = (f: RequestFilter) => void;

/** The filter and the list's order, kept in the URL hash so a reload shows the same rows. */
export function useHashFilter(): [RequestFilter, SetFilter, ListSort, (s: ListSort) => void] {
  const [filter, setFilterState] = useState<RequestFilter>(() => hashToFilter(window.location.hash));
  const [sort, setSortState] = useState<ListSort>(() => hashToSort(window.location.hash));
  useEffect(() => {
    const onHash = () => {
      setFilterState(hashToFilter(window.location.hash));
      setSortState((cur) => {
        const next = hashToSort(window.location.hash);
        return next.column === cur.column && next.dir === cur.dir ? cur : next;
      });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // replaceState: typing in the filter must not fill the back history; keeps ?token= intact.
  const write = (hash: string) =>
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
  const setFilter = useCallback<SetFilter>((f) => {
    write(filterToHash(f, hashToSort(window.location.hash)));
    setFilterState(f);
  }, []);
  const setSort = useCallback((s: ListSort) => {
    write(filterToHash(hashToFilter(window.location.hash), s));
    setSortState(s);
  }, []);
  return [filter, setFilter, sort, setSort];
}
