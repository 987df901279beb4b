// getRequest's detail view with the exchange read as a conversation, from the stored bodies and
// the stream events the stream view already parsed (so a stream is parsed once per request).
import type { RequestDetailView } from '../../contract/types';
import type { StreamDetailView } from '../../proxy/usage/stream-view';
import { buildConversation } from '.';

export function withConversation(view: StreamDetailView): RequestDetailView {
  const x = view.exchange;
  const conversation = buildConversation({
    method: view.method,
    path: view.path,
    status: view.status,
    streaming: view.streaming,
    requestBody: x.requestBody,
    requestBodyTruncated: x.requestBodyTruncated,
    responseBody: x.responseBody,
    responseBodyTruncated: x.responseBodyTruncated,
    bodiesDropped: x.bodiesDropped,
    events: view.stream?.events ?? null,
    errorMessage: view.errorMessage,
  });
  return { ...view, conversation };
}
