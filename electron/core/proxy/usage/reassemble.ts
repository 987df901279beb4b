// Assistant text from stored stream events, for the detail view: the whole message, and on each
// event the piece it added (the same annotation the observer puts on live events).

import { applyText, handlerFor } from './formats';
import { UsageState } from './state';
import type { ApiFormat, SseEvent } from './types';

/** The events, each with the text it added (`text`), and the text of them all. Truncated events add nothing. */
export function streamText(format: ApiFormat, events: readonly SseEvent[]): { events: SseEvent[]; text: string } {
  const state = new UsageState();
  const handler = handlerFor(format);
  const annotated = events.map((e) => {
    if (e.truncated) return e;
    const text = state.textOf(() => applyText(handler, state, e.data));
    return text === '' ? e : { ...e, text };
  });
  return { events: annotated, text: state.outputText };
}
