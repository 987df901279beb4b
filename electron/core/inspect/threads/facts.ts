// What thread assignment needs to know of one logged request, read once when it is written (or
// rebuilt): its message hashes, its client-native id, and the Responses ids that link turns.

import type { Headers } from '../../contract/columns';
import { detectFormat } from '../../proxy/usage/detect';
import { hashConversation, type HashedConversation } from './message-hashes';
import { readSignals, responseIdOf, type NativeId } from './signals';

export interface ThreadInput {
  method: string;
  path: string;
  requestHeaders: Headers;
  requestBody: string | null;
  requestBodyTruncated: boolean;
  responseBody: string | null;
}

export interface ThreadFacts extends HashedConversation {
  native: NativeId | null;
  previousResponseId: string | null;
  /** This request's own Responses id, which a later `previous_response_id` names. */
  responseId: string | null;
}

/**
 * The facts of a request that speaks a conversation format; null for anything else (a models
 * list, a body that is not a JSON object, one cut at the capture cap: a partial history would
 * look like an edit of the whole).
 */
export function threadFacts(x: ThreadInput): ThreadFacts | null {
  const format = detectFormat(x.method, x.path);
  if (format === 'unknown' || x.requestBody === null || x.requestBodyTruncated) return null;
  let body: unknown;
  try {
    body = JSON.parse(x.requestBody);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const json = body as Record<string, unknown>;
  const signals = readSignals(x.requestHeaders, json);
  return {
    ...hashConversation(format, json),
    native: signals.native,
    previousResponseId: signals.previousResponseId,
    responseId: format === 'openai-responses' ? responseIdOf(x.responseBody) : null,
  };
}
