// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) for the requests we logged. The log
// keeps what a proxy sees, so a few HAR fields are approximations, said here once:
// - url: the proxy's own address (the Host the client used) plus the path; the upstream's base
//   URL isn't stored per row, so the provider name goes in `_provider`.
// - timings: send 0, wait = time to first byte, receive = the rest of the latency.
// - headersSize -1 (unknown), bodySize = bytes on the wire as counted by the proxy.
// Fields HAR has no place for (tokens, cost, policy, ...) go in `_inspector` under their column
// names, as the spec allows for custom fields starting with an underscore.
import type { Entry, Header } from 'har-format';
import type { Headers } from '../contract/model';
import type { ExportRow } from './row-pages';
import { rowRecord, type FormatOptions } from './records';

const CREATOR = { name: 'LLM Request Inspector', version: '0.1.0' };

export function harHead(): string {
  return `{"log":{"version":"1.2","creator":${JSON.stringify(CREATOR)},"pages":[],"entries":[`;
}

export const HAR_TAIL = ']}}\n';

function harHeaders(headers: Headers | null): Header[] {
  if (!headers) return [];
  const out: Header[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, value: String(v) });
  }
  return out;
}

function headerValue(headers: Headers | null, name: string): string | undefined {
  const v = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function requestUrl(row: ExportRow): string {
  const host = headerValue(row.exchange.requestHeaders, 'host') ?? 'localhost';
  try {
    return new URL(row.path, `http://${host}`).href;
  } catch {
    return `http://localhost${row.path.startsWith('/') ? '' : '/'}${row.path}`;
  }
}

function queryString(url: string) {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

export function harEntry(row: ExportRow, options: FormatOptions): Entry {
  const e = row.exchange;
  const url = requestUrl(row);
  const latency = Math.max(0, row.latencyMs ?? 0);
  const wait = Math.min(latency, Math.max(0, row.ttfbMs ?? latency));
  const requestMime = headerValue(e.requestHeaders, 'content-type') ?? 'application/octet-stream';
  const responseMime = headerValue(e.responseHeaders, 'content-type') ?? 'application/octet-stream';
  return {
    startedDateTime: row.timestamp,
    time: latency,
    request: {
      method: row.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: options.includeHeaders ? harHeaders(e.requestHeaders) : [],
      queryString: queryString(url),
      ...(options.includeBodies && e.requestBody !== null
        ? { postData: { mimeType: requestMime, text: e.requestBody, params: [] } }
        : {}),
      headersSize: -1,
      bodySize: row.requestBytes ?? -1,
    },
    response: {
      status: row.status ?? 0,
      statusText: row.errorMessage ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: options.includeHeaders ? harHeaders(e.responseHeaders) : [],
      content: {
        size: row.responseBytes ?? 0,
        mimeType: responseMime,
        ...(options.includeBodies && e.responseBody !== null ? { text: e.responseBody } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: row.responseBytes ?? -1,
    },
    cache: {},
    timings: { send: 0, wait, receive: latency - wait },
    _provider: row.provider,
    _inspector: rowRecord(row),
  } as Entry;
}
