// Header hygiene: what must not be forwarded (hop-by-hop) and what must not be stored (secrets).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Headers } from '../contract/model';

/**
 * RFC 9110 §7.6.1 connection-specific fields, plus the non-standard proxy-connection. http-proxy-3
 * copies the client's headers as they are, and `connection: close` forwarded onto a pooled upstream
 * socket makes the upstream close that socket after answering: the keep-alive agent may hand the
 * dying socket to the next request, which then fails with a spurious ECONNRESET.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

export const POLICY_HEADER = 'x-inspector-policy';
/** Our explicit thread id (see inspect/threads/signals.ts): logged, never forwarded, like the policy header. */
export const THREAD_HEADER = 'x-inspector-thread';
export const CORRELATION_HEADER = 'x-correlation-id';
/** Set by the app's own Resend: the row the request was sent from. Ours alone; never forwarded. */
export const REPLAY_HEADER = 'x-inspector-replay-of';

/** The row id a resend names, when it names a plausible one. */
export function replayOfHeader(headers: Headers): number | null {
  const value = headers[REPLAY_HEADER];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

export const DEFAULT_REDACTED = [
  'authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-goog-api-key',
];

/**
 * Gateways and SDKs carry credentials in headers of their own (`x-portkey-api-key`,
 * `x-auth-token`, `x-client-secret`…), which no list keeps up with: a header whose name contains
 * one of these words is redacted whether or not it is listed.
 */
const SECRET_NAME = /key|token|secret|auth/;
/** Rate-limit headers count tokens (`x-ratelimit-remaining-tokens`): figures to read, not credentials. */
const RATE_LIMIT_NAME = /ratelimit|rate-limit/;
const TOKENS_WORD = /(^|-)tokens(?=-|$)/g;

function looksSecret(name: string): boolean {
  if (!SECRET_NAME.test(name)) return false;
  return !(RATE_LIMIT_NAME.test(name) && !SECRET_NAME.test(name.replace(TOKENS_WORD, '$1')));
}

/** Query parameters that carry keys (Gemini accepts `?key=`); redacted in the logged path. */
const SECRET_QUERY_PARAMS = new Set(['key', 'api_key', 'api-key', 'apikey', 'access_token']);

/** The common `Connection` values, answered without splitting (this runs twice per request). */
const COMMON_CONNECTION: Record<string, ReadonlySet<string> | null> = { 'keep-alive': null, close: new Set(['close']) };

/** Header names listed in `Connection` beyond the fixed hop-by-hop set; null when there are none. */
function connectionTokens(headers: IncomingHttpHeaders): ReadonlySet<string> | null {
  const value = headers.connection;
  if (value === undefined) return null;
  const text = String(value).toLowerCase();
  const common = COMMON_CONNECTION[text];
  if (common !== undefined) return common;
  const tokens = new Set<string>();
  for (const token of text.split(',')) {
    const name = token.trim();
    if (name !== '' && !HOP_BY_HOP.has(name)) tokens.add(name);
  }
  return tokens.size === 0 ? null : tokens;
}

/** Headers for the upstream: hop-by-hop fields and fields named in `Connection` removed. */
export function forwardableRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  // for…in rather than Object.entries: no array of pairs per request on the hot path.
  for (const name in headers) {
    const value = headers[name];
    // `expect: 100-continue` is settled between client and proxy (the body is already read);
    // forwarded, it would also make http-proxy-3 skip its 'proxyReq' event.
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      named?.has(name) === true ||
      name === POLICY_HEADER ||
      name === THREAD_HEADER ||
      name === REPLAY_HEADER ||
      name === 'expect'
    )
      continue;
    out[name] = value;
  }
  return out;
}

/** Upstream response headers for the client, minus hop-by-hop fields. */
export function forwardableResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name) === true) continue;
    out[name] = value;
  }
  return out;
}

/** Keeps only the last four characters of long secrets, so two keys can still be told apart. */
export function redactValue(value: string): string {
  return value.length >= 20 ? `[redacted …${value.slice(-4)}]` : '[redacted]';
}

/** `Authorization: Bearer sk-…` keeps its scheme: it is no secret, and "Copy as cURL" needs it back. */
const SCHEMED = new Set(['authorization', 'proxy-authorization']);
/**
 * Only schemes known by name (IANA's registry, plus the common `Token`) are kept: a value sent
 * without a scheme but with a space in it ('sk-live-… extra') would otherwise keep its key.
 */
const AUTH_SCHEMES = new Set([
  'basic',
  'bearer',
  'digest',
  'hoba',
  'mutual',
  'negotiate',
  'ntlm',
  'oauth',
  'scram-sha-1',
  'scram-sha-256',
  'vapid',
  'token',
  'aws4-hmac-sha256',
]);

function redactCredentials(value: string): string {
  const m = /^([A-Za-z][\w-]*) +(\S.*)$/.exec(value);
  return m && AUTH_SCHEMES.has(m[1]!.toLowerCase()) ? `${m[1]} ${redactValue(m[2]!)}` : redactValue(value);
}

/** How a header's value is logged: as sent, redacted, or redacted keeping its auth scheme. */
const enum Treatment {
  Keep,
  Redact,
  RedactCredentials,
}

/**
 * Names whose treatment is remembered per redactor. Two redactions run per request, over the same
 * dozen names; past this many distinct names (a client inventing them) the memory starts over.
 */
const MAX_REMEMBERED_NAMES = 512;

export function createRedactor(
  extraNames: readonly string[],
): (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Headers {
  const names = new Set([...DEFAULT_REDACTED, ...extraNames.map((n) => n.toLowerCase())]);
  const treatments = new Map<string, Treatment>();
  const treatmentOf = (name: string): Treatment => {
    let t = treatments.get(name);
    if (t === undefined) {
      const lower = name.toLowerCase();
      t = !(names.has(lower) || looksSecret(lower))
        ? Treatment.Keep
        : SCHEMED.has(lower)
          ? Treatment.RedactCredentials
          : Treatment.Redact;
      if (treatments.size >= MAX_REMEMBERED_NAMES) treatments.clear();
      treatments.set(name, t);
    }
    return t;
  };
  return (headers) => {
    const out: Headers = {};
    // for…in rather than Object.entries: no array of pairs per call on the request path.
    for (const rawName in headers) {
      const value = headers[rawName];
      if (value === undefined) continue;
      // Node lower-cases the names it parses; a header object built elsewhere may not have.
      const name = rawName.toLowerCase();
      const t = treatmentOf(rawName);
      if (t === Treatment.Keep) {
        out[name] = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : String(value);
        continue;
      }
      const redact = t === Treatment.RedactCredentials ? redactCredentials : redactValue;
      out[name] = Array.isArray(value) ? value.map((v) => redact(String(v))) : redact(String(value));
    }
    return out;
  };
}

/** The request path as logged: secret query parameters redacted. */
export function redactPath(path: string): string {
  const q = path.indexOf('?');
  if (q === -1) return path;
  const params = new URLSearchParams(path.slice(q + 1));
  let changed = false;
  for (const [name, value] of [...params]) {
    if (SECRET_QUERY_PARAMS.has(name.toLowerCase())) {
      params.set(name, redactValue(value));
      changed = true;
    }
  }
  return changed ? `${path.slice(0, q)}?${params.toString()}` : path;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
