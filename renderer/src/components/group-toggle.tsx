// "Rows | Threads": the request list ungrouped, or grouped by thread (one line per conversation).
// Its own small block beside the list, kept across sessions; the grouped list's model lives while
// grouping is on and follows the list's filter.
import { useEffect, useState } from 'react';
import type { RequestFilter } from '../../../electron/core/contract/model';
import type { Client } from '../api/client';
import { ThreadListModel } from '../model/thread-list-model';

const STORAGE_KEY = 'inspector.groupByThread';

function load(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

export function useGrouping(client: Client, filter: RequestFilter, key: string) {
  const [grouped, setGroupedState] = useState(load);
  const [threads, setThreads] = useState<ThreadListModel | null>(null);
  const setGrouped = (on: boolean) => {
    setGroupedState(on);
    try {
      localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
    } catch {
      // storage disabled: the choice lasts for this session
    }
  };
  useEffect(() => {
    if (!grouped) return setThreads(null);
    const m = new ThreadListModel(client);
    setThreads(m);
    return m.connect(client);
  }, [client, grouped]);
  useEffect(() => {
    threads?.setFilter(filter);
  }, [threads, key]); // `key` is the filter's value; its identity changes with every hash parse
  return { grouped, setGrouped, threads };
}

export function GroupToggle({ grouped, onChange }: { grouped: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="group-toggle" role="radiogroup" aria-label="Group the list" data-testid="group-toggle">
      <button role="radio" aria-checked={!grouped} onClick={() => onChange(false)} title="One line per request">
        Requests
      </button>
      <button
        role="radio"
        aria-checked={grouped}
        onClick={() => onChange(true)}
        title="One line per conversation: turns, tokens, cost, cache hit rate, duration"
      >
        Threads
      </button>
    </div>
  );
}
