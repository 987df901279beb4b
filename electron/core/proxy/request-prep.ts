// Pure pieces of preparing a request for the upstream: its policy, the injected API key, and
// the body handed to http-proxy-3.
import type { ClientRequest } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { PolicyRule, UpstreamSettings } from '../contract/settings-schema';
import type { ApiFormat } from './usage';

/** The X-Inspector-Policy header wins; else the first rule whose keyword is in the prompt (case-insensitive). */
export function pickPolicy(
  header: string | undefined,
  promptText: string,
  rules: readonly PolicyRule[],
): string | null {
  const given = header?.trim();
  if (given !== undefined && given !== '') return given;
  // No rules: nothing to look for, and no lower-case copy of the whole prompt per request.
  if (promptText === '' || rules.length === 0) return null;
  const haystack = promptText.toLowerCase();
  return rules.find((rule) => haystack.includes(rule.keyword.toLowerCase()))?.policy ?? null;
}

const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

/**
 * Puts the upstream's key where the client put its (dummy) key, else where this API expects it,
 * and removes every other key header the client sent: a dummy `x-api-key` left beside the injected
 * `Authorization` would reach the upstream, which may read either.
 */
export function injectKey(
  headers: Record<string, unknown>,
  upstream: Pick<UpstreamSettings, 'apiKey' | 'apiKeyHeader'>,
  format: ApiFormat,
): void {
  const key = upstream.apiKey;
  if (key === undefined) return;
  const sent = KEY_HEADERS.find((name) => headers[name] !== undefined);
  const fallback =
    format === 'anthropic-messages' ? 'x-api-key' : format === 'gemini' ? 'x-goog-api-key' : 'authorization';
  const name = upstream.apiKeyHeader?.toLowerCase() ?? sent ?? fallback;
  for (const other of KEY_HEADERS) delete headers[other];
  headers[name] = name === 'authorization' ? `Bearer ${key}` : key;
}

/**
 * What http-proxy-3 pipes into the upstream request (`buffer.pipe(proxyReq)` is all it ever calls: its fetch path,
 * which would read the buffer as a body, is never taken, the build pins FORCE_FETCH_PATH, see
 * scripts/bundle-config.mjs).
 * - The request's path is set to the client's before anything is written: http-proxy-3 joins the target's path and
 *   the client's, and the join drops an empty query (`/v1/models?` went out as `/v1/models`). Node writes the
 *   request line from `path` with the body's first bytes (at once only for an `expect` header, never forwarded).
 * - A body already in memory is handed over in one end() call: headers and body leave in a single write, without
 *   a Readable's per-chunk machinery (measurably cheaper per request than Readable.from).
 */
export function upstreamBody(body: Buffer | Readable, path: string): Readable {
  const source = {
    pipe<T extends Writable>(destination: T): T {
      (destination as unknown as ClientRequest).path = path;
      if (!Buffer.isBuffer(body)) return body.pipe(destination);
      destination.end(body);
      return destination;
    },
  };
  return source as unknown as Readable;
}
