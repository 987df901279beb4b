import { memo, useCallback, useState } from 'react';
import type { SseEvent } from '../../../electron/core/contract/types';
import { formatInt } from '../lib/format';

// A stream's events, one line each: number, event name, the text it added (what a reader scans
// for; the server reads it with the format's handler) and its data cut to the line; a click shows
// the whole event. Rows are memoised on the event object, which the live list keeps as it
// appends, so a progress update renders only the events that just arrived.

/** The newest events matter most while streaming; the DOM is capped for very long streams. */
const MAX_SHOWN = 2000;

const EventRow = memo(function EventRow({
  n,
  ev,
  open,
  onToggle,
}: {
  n: number;
  ev: SseEvent;
  open: boolean;
  onToggle: (n: number) => void;
}) {
  const text = ev.text;
  return (
    <div
      className={open ? 'ev open' : 'ev'}
      role="row"
      aria-expanded={open}
      onClick={() => onToggle(n)}
      title={open ? undefined : 'Show the whole event'}
    >
      <span className="faint num">{n}</span>
      <span className="name">{ev.event ?? 'message'}</span>
      <span className="data">
        {text && <span className="delta">{JSON.stringify(text)}</span>}
        {ev.truncated && (
          <span className="badge" title="Longer than the parser's cap: only its tail was kept">
            tail
          </span>
        )}
        {ev.data}
      </span>
    </div>
  );
});

export function Timeline({ events }: { events: readonly SseEvent[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = useCallback(
    (n: number) =>
      setOpen((cur) => {
        const next = new Set(cur);
        if (!next.delete(n)) next.add(n);
        return next;
      }),
    [],
  );
  if (events.length === 0) return <div className="faint">No events yet.</div>;
  const shown = events.length > MAX_SHOWN ? events.slice(-MAX_SHOWN) : events;
  const offset = events.length - shown.length;
  return (
    <>
      {offset > 0 && <div className="faint">The first {formatInt(offset)} events are not shown.</div>}
      <div className="timeline" data-testid="sse-timeline" role="table" aria-label="Stream events">
        {shown.map((e, i) => (
          <EventRow key={offset + i} n={offset + i + 1} ev={e} open={open.has(offset + i + 1)} onToggle={toggle} />
        ))}
      </div>
    </>
  );
}
