// getRequest's detail view with the exchange read as a conversation, from the stored bodies and
// the stream events the stream view already parsed (so a stream is parsed once per request).
import type { ConversationResult } from '../../contract/conversation';
import type { RequestDetail } from '../../contract/model';
import type { RequestDetailView } from '../../contract/types';
import type { StreamDetailView } from '../../proxy/usage/stream-view';
import { buildConversation, type StreamEventInput } from '.';

/** A stored request read as a conversation; `events`: its stream's events, null when not streamed. */
export function conversationOf(detail: RequestDetail, events: readonly StreamEventInput[] | null): ConversationResult {
  const x = detail.exchange;
  return buildConversation({
    method: detail.method,
    path: detail.path,
    status: detail.status,
    streaming: detail.streaming,
    requestBody: x.requestBody,
    requestBodyTruncated: x.requestBodyTruncated,
    responseBody: x.responseBody,
    responseBodyTruncated: x.responseBodyTruncated,
    bodiesDropped: x.bodiesDropped,
    events,
    errorMessage: detail.errorMessage,
  });
}

export function withConversation(view: StreamDetailView): RequestDetailView {
  return { ...view, conversation: conversationOf(view, view.stream?.events ?? null) };
}
