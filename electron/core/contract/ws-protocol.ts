// Frames of the WebSocket transport. Plain JSON; no Node or DOM imports (the renderer's WS
// transport imports this too). Replies are correlated to requests by the client-chosen id.
import { z } from 'zod';
import type { ApiErrorData } from './errors';

export const requestFrameSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  call: z.string().max(100),
  input: z.unknown().optional(),
});

export type RequestFrame = z.infer<typeof requestFrameSchema>;

export type ReplyFrame =
  /** id is null when the request was too malformed to carry one. */
  | { type: 'reply'; id: number | null; ok: true; value: unknown }
  | { type: 'reply'; id: number | null; ok: false; error: ApiErrorData };

export interface EventFrame {
  type: 'event';
  event: string;
  payload: unknown;
}

export type ServerFrame = ReplyFrame | EventFrame;

export { TOKEN_PARAM, WS_PATH } from './channels';
/** Soft limit: a larger message gets a payload_too_large reply and the socket stays open. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
