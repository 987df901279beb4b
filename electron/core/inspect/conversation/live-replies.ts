// The reply of each in-flight stream so far, rebuilt from its events by the same reducers that
// read the stored stream (inspect/conversation), and handed to the page with every progress
// event. The page can't run those reducers itself (it imports only the contract), and this way a
// live reply and the logged one can't differ: the view looks the same before and after the commit.
import type { ConversationReply } from '../../contract/conversation';
import type { RequestProgressEvent, RequestStartedEvent } from '../../contract/live-events';
import type { CoreEventSink } from '../../core-events';
import { createLiveReply } from './index';

type LiveReply = NonNullable<ReturnType<typeof createLiveReply>>;

export interface LiveReplies {
  started(e: RequestStartedEvent): void;
  /** The event with `reply` set, when the request speaks a format the reducers read. */
  progress(e: RequestProgressEvent): RequestProgressEvent;
  finished(id: string): void;
}

interface Live {
  id: string;
  method: string;
  path: string;
  /** Made on the first progress event (only streams have any); null for a format the reducers don't read. */
  reply: LiveReply | null | undefined;
}

export function createLiveReplies(): LiveReplies {
  // An array searched by id, not a Map: a Map churned by every request keeps, once its hash table is in
  // V8's old generation, each entry a rehash left behind alive through every minor GC until a full one
  // (see proxy/in-flight.ts), and these were promoted with each request. Requests in flight are tens; at
  // a thousand the search costs a few µs per request.
  const live: Live[] = [];
  const find = (id: string) => live.findIndex((entry) => entry.id === id);
  return {
    started(e) {
      live.push({ id: e.id, method: e.method, path: e.path, reply: undefined });
    },
    progress(e) {
      const entry = live[find(e.id)];
      if (entry === undefined) return e;
      // Made for any request of a known format, not only those that asked for a stream: Gemini streams
      // by endpoint and Ollama by default, so `streaming` can't tell; an answer that is not streamed has
      // no progress events, and never makes one.
      if (entry.reply === undefined) entry.reply = createLiveReply(entry.method, entry.path);
      const reply = entry.reply;
      if (reply === null) return e;
      reply.push(e.newEvents);
      const result: ConversationReply = reply.result();
      return { ...e, reply: result };
    },
    finished(id) {
      const index = find(id);
      if (index === -1) return;
      const last = live.pop()!;
      if (index < live.length) live[index] = last;
    },
  };
}

/**
 * A sink for the proxy's in-flight events that adds the reply so far to each progress event on
 * its way to `events`: the proxy emits into this, the core's event source gets the contract's
 * events, already complete.
 */
export function withLiveReplies(events: CoreEventSink): CoreEventSink {
  const replies = createLiveReplies();
  return {
    emit(name, payload) {
      if (name === 'requestStarted') replies.started(payload as RequestStartedEvent);
      else if (name === 'requestFinished') replies.finished((payload as { id: string }).id);
      else if (name === 'requestProgress')
        return events.emit('requestProgress', replies.progress(payload as RequestProgressEvent));
      events.emit(name, payload);
    },
  };
}
