// What a resend sends: the stored request again (or the page's edit of its body), minus what the
// capture redacted. A redacted header's value is a placeholder, so replaying it would send the
// upstream `[redacted …abcd]` as a key; it is left out and named, and the upstream's configured key
// (injected by the proxy) or a key pasted for this one send stands in for it. Pure.
import type { RequestDetail } from '../contract/model';
import type { ResendKeySource, ResendPreview } from '../contract/resend';
import { CORRELATION_HEADER, REPLAY_HEADER } from '../proxy/headers';

/** Headers the sender sets itself, or that belong to the original connection. */
const NOT_REPLAYED = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  CORRELATION_HEADER,
  REPLAY_HEADER,
]);
const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];
const REDACTED = '[redacted';

export interface PlanInput {
  detail: RequestDetail;
  upstreamHasKey: boolean;
  /** The page's edit of the body; absent: the stored body. */
  body?: string;
  apiKey?: string;
}

export interface Plan {
  path: string;
  headers: Record<string, string | string[]>;
  body: string;
  leftOut: string[];
  key: ResendKeySource;
}

export type PlanOutcome = { ok: true; plan: Plan } | { ok: false; code: 'invalid_input'; message: string };

const isRedacted = (v: string | string[]) => (Array.isArray(v) ? v : [v]).some((x) => x.includes(REDACTED));

function refusalOf(d: RequestDetail): string | null {
  const x = d.exchange;
  if (x.bodiesDropped)
    return (
      `The body of #${d.id} was not kept (the writer shed bodies ` +
      `to stay within its memory bound), so it can't be sent again.`
    );
  if (x.requestBodyTruncated)
    return (
      `The body of #${d.id} was cut at the capture limit after ` +
      `${(x.requestBody ?? '').length.toLocaleString('en-US')} ` +
      `characters of ` +
      `${d.requestBytes?.toLocaleString('en-US') ?? 'more'} bytes, so it can't be sent again as it was. ` +
      'Raise captureMaxBytes in Settings to keep whole bodies.'
    );
  return null;
}

/** Query parameters whose value was redacted (Gemini's `?key=`), and the path without them. */
function cleanPath(path: string): { path: string; dropped: string[] } {
  const q = path.indexOf('?');
  if (q === -1) return { path, dropped: [] };
  const params = new URLSearchParams(path.slice(q + 1));
  const dropped = [...params].filter(([, v]) => v.includes(REDACTED)).map(([k]) => k);
  for (const k of dropped) params.delete(k);
  const rest = params.toString();
  return { path: path.slice(0, q) + (rest ? `?${rest}` : ''), dropped };
}

function keyHeaderOf(d: RequestDetail, droppedQuery: string[]): string | null {
  const sent = KEY_HEADERS.find((h) => {
    const v = d.exchange.requestHeaders[h];
    return v !== undefined && isRedacted(v);
  });
  if (sent) return sent;
  return droppedQuery.length > 0 ? 'x-goog-api-key' : null;
}

export function previewResend(d: RequestDetail, upstreamHasKey: boolean): ResendPreview {
  const { dropped } = cleanPath(d.path);
  const leftOut = [
    ...Object.entries(d.exchange.requestHeaders)
      .filter(([name, v]) => !NOT_REPLAYED.has(name) && isRedacted(v))
      .map(([name]) => name),
    ...dropped.map((k) => `?${k}`),
  ];
  const keyHeader = keyHeaderOf(d, dropped);
  return {
    id: d.id,
    refusal: refusalOf(d),
    upstream: d.provider,
    leftOut,
    needsKey: !upstreamHasKey && keyHeader !== null,
    keyHeader,
    streaming: d.streaming,
  };
}

export function planResend({ detail: d, upstreamHasKey, body, apiKey }: PlanInput): PlanOutcome {
  const preview = previewResend(d, upstreamHasKey);
  // An edit brings its own whole body; the stored one must be whole to be sent as it was.
  if (body === undefined && preview.refusal !== null)
    return { ok: false, code: 'invalid_input', message: preview.refusal };
  const text = body ?? d.exchange.requestBody ?? '';
  const type = String(d.exchange.requestHeaders['content-type'] ?? '');
  if (body !== undefined && (type.includes('json') || type === '')) {
    try {
      JSON.parse(body);
    } catch (e) {
      return {
        ok: false,
        code: 'invalid_input',
        message: `The edited body is not valid JSON: ${(e as Error).message}`,
      };
    }
  }
  if (preview.needsKey && !apiKey)
    return {
      ok: false,
      code: 'invalid_input',
      message:
        `The upstream "${d.provider}" has no API key in settings and the key #${d.id} was sent with was redacted: ` +
        'paste a key for this send, or add one to the upstream in Settings.',
    };
  const headers: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(d.exchange.requestHeaders))
    if (!NOT_REPLAYED.has(name) && !isRedacted(v)) headers[name] = v;
  let key: ResendKeySource = upstreamHasKey ? 'settings' : 'none';
  if (!upstreamHasKey && apiKey && preview.keyHeader) {
    const name = preview.keyHeader;
    const original = String(d.exchange.requestHeaders[name] ?? '');
    const scheme = /^([A-Za-z][\w-]*) \[redacted/.exec(original)?.[1] ?? 'Bearer';
    headers[name] = name === 'authorization' ? `${scheme} ${apiKey}` : apiKey;
    key = 'pasted';
  }
  return { ok: true, plan: { path: cleanPath(d.path).path, headers, body: text, leftOut: preview.leftOut, key } };
}
