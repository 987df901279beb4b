// One POST of an encoded batch to the receiver, and what its answer means for the outbox: accepted
// (the mark may move), or failed with the wait before the next try. Header values are credentials:
// they go on the request and nowhere else (no error message, status or log line holds them).
import type { OtlpProtocol } from '../../contract/otlp-settings';
import { rejectedSpans, type EncodedBatch } from './encode';

/** A receiver's answer is read this far: a partial-success message, or the start of an error page. */
const RESPONSE_MAX_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const ERROR_TEXT_MAX = 300;
export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 60_000;

export interface Destination {
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

export type SendResult =
  { ok: true; warning: string | null } | { ok: false; error: string; retryAfterMs: number | null };

async function readCapped(res: Response): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_MAX_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_MAX_BYTES);
}

/** Retry-After in seconds or as an HTTP date, within the backoff's bounds. */
function retryAfter(res: Response): number | null {
  const v = res.headers.get('retry-after');
  if (!v) return null;
  const seconds = /^\d+$/.test(v.trim()) ? Number(v) * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(seconds) ? Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, seconds)) : null;
}

/** Why a fetch failed, in the words of the socket (ECONNREFUSED 127.0.0.1:4318), not "fetch failed". */
function networkError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = e.cause?.message ?? e.cause?.code;
  return cause ? `${e.message ?? 'request failed'}: ${cause}` : (e.message ?? String(error));
}

export async function sendBatch(to: Destination, batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(to.url, {
      method: 'POST',
      headers: { ...to.headers, 'content-type': batch.contentType, 'content-encoding': 'gzip' },
      body: batch.body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
  } catch (error) {
    return { ok: false, error: networkError(error), retryAfterMs: null };
  }
  const body = await readCapped(res).catch(() => new Uint8Array());
  if (res.ok) {
    const partial = rejectedSpans(to.protocol, body);
    return {
      ok: true,
      warning: partial
        ? `the receiver rejected ${partial.rejected} spans: ${partial.message ?? 'no reason given'}`
        : null,
    };
  }
  const text = Buffer.from(body).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, ERROR_TEXT_MAX);
  return {
    ok: false,
    error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${text}` : ''}`,
    retryAfterMs: retryAfter(res),
  };
}

/** Exponential backoff with jitter: ~1 s, 2 s, 4 s… up to a minute. */
export function backoffMs(failures: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return retryAfterMs;
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
