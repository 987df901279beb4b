// Ids clients send that already say which conversation a request belongs to. Read in this order;
// the first present wins and is recorded as the thread's source. Our own header comes first: a
// user who sets it means it.

import type { Headers } from '../../contract/columns';

export const THREAD_HEADER = 'x-inspector-thread';

/** A client-native conversation id: where it came from (shown to the user) and its value. */
export interface NativeId {
  /** e.g. `header:x-claude-code-session-id`, `metadata.user_id`, `prompt_cache_key`. */
  source: string;
  value: string;
}

/** Header names, lower case, as Node delivers them; Codex spells its headers with `_` in some versions. */
const HEADERS = [
  THREAD_HEADER,
  'x-claude-code-session-id',
  'session-id',
  'session_id',
  'conversation-id',
  'conversation_id',
] as const;

/** The longest id we keep: anything longer is no session id, and the index stays small. */
const MAX_ID = 200;

function headerValue(headers: Headers, name: string): string | null {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  const trimmed = typeof first === 'string' ? first.trim() : '';
  return trimmed === '' || trimmed.length > MAX_ID ? null : trimmed;
}

/**
 * Claude Code's `metadata.user_id`: `user_<hash>_account_<uuid>_session_<uuid>`, or in newer
 * versions a JSON object as a string with a `session_id`. Only the session part groups requests:
 * the user and account parts are the same for every conversation.
 */
export function sessionFromUserId(userId: unknown): string | null {
  if (typeof userId !== 'string' || userId.length > 2000) return null;
  if (userId.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      const id = (parsed as { session_id?: unknown } | null)?.session_id;
      return typeof id === 'string' && id !== '' && id.length <= MAX_ID ? id : null;
    } catch {
      return null;
    }
  }
  return /_session_([A-Za-z0-9-]{1,200})$/.exec(userId)?.[1] ?? null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v.length <= MAX_ID ? v : null);

export interface Signals {
  native: NativeId | null;
  /** OpenAI Responses: the response this request continues. */
  previousResponseId: string | null;
}

/** The client-native signals of a request, by priority. */
export function readSignals(headers: Headers, body: Record<string, unknown> | null): Signals {
  const previousResponseId = str(body?.['previous_response_id']);
  const header = (name: string): NativeId | null => {
    const value = headerValue(headers, name);
    return value === null ? null : { source: `header:${name}`, value };
  };
  const ordered: (() => NativeId | null)[] = [
    () => header(THREAD_HEADER),
    () => header('x-claude-code-session-id'),
    () => {
      const metadata = body?.['metadata'];
      const session = sessionFromUserId((metadata as { user_id?: unknown } | null)?.user_id);
      return session === null ? null : { source: 'metadata.user_id', value: session };
    },
    () => {
      const key = str(body?.['prompt_cache_key']);
      return key === null ? null : { source: 'prompt_cache_key', value: key };
    },
    ...HEADERS.slice(2).map((name) => () => header(name)),
  ];
  for (const read of ordered) {
    const found = read();
    if (found) return { native: found, previousResponseId };
  }
  return { native: null, previousResponseId };
}

/** An OpenAI Responses id in a response body (JSON, or the first event of a stream). */
export function responseIdOf(responseBody: string | null): string | null {
  if (!responseBody) return null;
  // The id comes first in the object (and in response.created, the stream's first event).
  return /"id"\s*:\s*"(resp_[A-Za-z0-9_-]{1,200})"/.exec(responseBody.slice(0, 4096))?.[1] ?? null;
}
