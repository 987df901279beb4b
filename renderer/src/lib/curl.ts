import type { Headers } from '../../../electron/core/contract/model';

// "Copy as cURL" for a logged request. Stored headers are already redacted, so credentials are
// replaced by an environment-variable placeholder the user fills in, never the stored "[redacted]".

const SKIP = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'keep-alive']);
const KEY_HEADERS: Record<string, (v: string) => string> = {
  // The stored value keeps its scheme ("Bearer [redacted …1234]"); rows logged before it did have
  // none, and every LLM API that takes Authorization wants Bearer, so that is the fallback.
  authorization: (v) => `${/^([A-Za-z][\w-]*) +/.exec(v)?.[1] ?? 'Bearer'} $API_KEY`,
  'x-api-key': () => '$API_KEY',
  'api-key': () => '$API_KEY',
  'x-goog-api-key': () => '$API_KEY',
  'proxy-authorization': () => '$API_KEY',
};

/** Single-quotes for POSIX shells; a literal ' becomes '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(method: string, url: string, headers: Headers, body: string | null): string {
  const parts = [`curl -X ${method} ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SKIP.has(lower) || lower.startsWith(':')) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const keyed = KEY_HEADERS[lower];
      // Double quotes around placeholders so the shell expands $API_KEY.
      parts.push(keyed ? `-H "${name}: ${keyed(v)}"` : `-H ${shellQuote(`${name}: ${v}`)}`);
    }
  }
  if (body != null && body !== '') parts.push(`--data-raw ${shellQuote(body)}`);
  return parts.join(' \\\n  ');
}
