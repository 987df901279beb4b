// Assistant text from stored stream events, for the detail view.

import { applyText, handlerFor } from './formats';
import { UsageState } from './state';
import type { ApiFormat, SseEvent } from './types';

export function reassembleText(format: ApiFormat, events: readonly SseEvent[]): string {
  const state = new UsageState();
  const handler = handlerFor(format);
  for (const e of events) {
    if (!e.truncated) applyText(handler, state, e.data);
  }
  return state.outputText;
}
