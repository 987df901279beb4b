// The proxy's own API under the reserved prefix /_inspector/: never forwarded upstream and never
// logged as a request (it is a question to the inspector, not traffic to inspect). It answers behind
// the same Origin, Fetch Metadata and Host guards as proxied requests, so a web page can't ask it
// what a user's log knows any more than it can spend their keys. Today: POST /_inspector/v1/estimate.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ApiErrorCode } from '../contract/errors';
import { estimateInput, MAX_ESTIMATE_CHARS, type EstimateResult, type ParsedEstimateInput } from '../contract/estimate';
import type { Settings } from '../contract/settings-schema';
import { firstHeader } from './headers';
import { fetchSiteAllowed, hostAllowed, originAllowed } from './router';

export const INSPECTOR_PREFIX = '/_inspector';
const ESTIMATE_PATH = `${INSPECTOR_PREFIX}/v1/estimate`;

/** A JSON body of the largest prompt the schema takes, escaped: everything past this is refused unread. */
export const MAX_INSPECTOR_BODY_BYTES = 2 * MAX_ESTIMATE_CHARS + 64 * 1024;

/** What the endpoint asks of the core: the same estimate the contract's `estimate` call runs. */
export interface InspectorApi {
  estimate(input: Omit<ParsedEstimateInput, 'source'>): Promise<EstimateResult>;
}

export function isInspectorPath(url: string | undefined): boolean {
  const path = (url ?? '/').split(/[?#]/, 1)[0]!;
  return path === INSPECTOR_PREFIX || path.startsWith(`${INSPECTOR_PREFIX}/`);
}

const STATUS: Partial<Record<ApiErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  payload_too_large: 413,
  forbidden: 403,
  unavailable: 503,
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Shaped like the proxy's own refusals (exchange.ts), so the same client code reads both. */
function sendError(res: ServerResponse, status: number, code: string, message: string, extra = {}): void {
  send(res, status, { type: 'error', error: { type: 'inspector_error', code, message, ...extra } });
}

/** The guards of a proxied request, in the same order with the same codes; null when the request may pass. */
function refusal(req: IncomingMessage, settings: Settings): { code: string; message: string } | null {
  const origin = firstHeader(req.headers.origin);
  if (!originAllowed(origin, settings))
    return { code: 'origin_not_allowed', message: `requests from origin ${String(origin)} are refused` };
  const site = firstHeader(req.headers['sec-fetch-site']);
  if (!fetchSiteAllowed(site, origin))
    return { code: 'origin_not_allowed', message: `a request from another web page without an Origin is refused` };
  if (!hostAllowed(req.headers.host, settings))
    return {
      code: 'host_not_allowed',
      message: `Host ${String(req.headers.host)} is refused (DNS rebinding protection)`,
    };
  return null;
}

/** Reads at most `limit` bytes; null when the body is larger (the rest is left unread and the connection closed). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Answers a request under INSPECTOR_PREFIX; never throws. `api` null: the proxy runs without a log. */
export async function serveInspector(
  req: IncomingMessage,
  res: ServerResponse,
  settings: Settings,
  api: InspectorApi | null,
): Promise<void> {
  try {
    const refused = refusal(req, settings);
    if (refused) return sendError(res, 403, refused.code, refused.message);
    const path = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    if (path !== ESTIMATE_PATH)
      return sendError(res, 404, 'not_found', `${path} is not an inspector endpoint; ${ESTIMATE_PATH} is`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendError(res, 405, 'method_not_allowed', `${ESTIMATE_PATH} takes POST with a JSON body`);
    }
    if (!api) return sendError(res, 503, 'unavailable', 'estimates need the log, which this proxy runs without');
    const body = await readBody(req, MAX_INSPECTOR_BODY_BYTES);
    if (body === null) {
      res.setHeader('connection', 'close');
      return sendError(res, 413, 'payload_too_large', `the body is over ${MAX_INSPECTOR_BODY_BYTES} bytes`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (e) {
      return sendError(
        res,
        400,
        'invalid_input',
        `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const parsed = estimateInput.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      const first = issues[0]!;
      const where = first.path.length > 0 ? first.path.join('.') : 'input';
      return sendError(res, 400, 'invalid_input', `Invalid ${where}: ${first.message}`, { issues });
    }
    if (parsed.data.source !== undefined)
      return sendError(
        res,
        400,
        'invalid_input',
        'source is a viewer of the app; the endpoint estimates from the live log',
      );
    send(res, 200, await api.estimate(parsed.data));
  } catch (e) {
    if (e instanceof ApiError) return sendError(res, STATUS[e.code] ?? 500, e.code, e.message);
    sendError(res, 500, 'internal', `the estimate failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
