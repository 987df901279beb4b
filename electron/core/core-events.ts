// The core's one event source. Its names and payloads are the contract's events: the proxy, the
// store, the export jobs and the app core emit into it as they are, and the event hub (api/) only
// batches, throttles and queues them for each page. Nothing on the way renames or re-wraps an event.
import type { EventName, EventPayload } from './contract/contract';

export type AnyEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** What a part of the core is handed to emit with. */
export interface CoreEventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export interface CoreEvents extends CoreEventSink {
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Every event, in the order emitted: what the event hub listens to. */
  onAny(listener: AnyEventListener): () => void;
}

export function createCoreEvents(): CoreEvents {
  const any = new Set<AnyEventListener>();
  const byName = new Map<EventName, Set<(payload: never) => void>>();
  return {
    emit(name, payload) {
      for (const l of any) l(name, payload);
      for (const l of byName.get(name) ?? []) (l as (p: typeof payload) => void)(payload);
    },
    on(name, listener) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    onAny(listener) {
      any.add(listener);
      return () => void any.delete(listener);
    },
  };
}
