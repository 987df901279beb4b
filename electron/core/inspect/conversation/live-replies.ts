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

export function createLiveReplies(): LiveReplies {
  const live = new Map<string, LiveReply>();
  return {
    started(e) {
      // Made for every request of a known format, not only those that asked for a stream:
      // Gemini streams by endpoint and Ollama by default, so `streaming` can't tell.
      const reply = createLiveReply(e.method, e.path);
      if (reply) live.set(e.id, reply);
    },
    progress(e) {
      const reply = live.get(e.id);
      if (!reply) return e;
      reply.push(e.newEvents);
      const result: ConversationReply = reply.result();
      return { ...e, reply: result };
    },
    finished(id) {
      live.delete(id);
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
