// Sends a planned resend to the proxy's own listener on loopback, so it is routed, keyed, captured
// and logged by the normal path like any client's request. The call answers once the proxy has
// taken the request (its requestStarted event), so the page can follow the new row while the reply
// still streams; the reply itself is read and dropped here (the proxy keeps what it captures).
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../contract/errors';
import type { ProxyStatus } from '../contract/types';
import type { CoreEvents } from '../core-events';
import { CORRELATION_HEADER, REPLAY_HEADER } from '../proxy/headers';
import type { Plan } from './resend-plan';

/** The proxy's listener as seen from this process: a wildcard bind is reached on loopback. */
export function loopbackBase(proxy: ProxyStatus): string | null {
  if (proxy.state !== 'listening' || proxy.port === null || proxy.host === null) return null;
  const host = proxy.host === '0.0.0.0' || proxy.host === '' ? '127.0.0.1' : proxy.host === '::' ? '::1' : proxy.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${proxy.port}`;
}

export function sendThroughProxy(
  base: string,
  method: string,
  replayOf: number,
  plan: Plan,
  events: Pick<CoreEvents, 'on'>,
): Promise<string> {
  const correlationId = randomUUID();
  const body = Buffer.from(plan.body);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      off();
      fn();
    };
    const off = events.on('requestStarted', (e) => {
      if (e.id === correlationId) settle(() => resolve(correlationId));
    });
    const req = request(new URL(plan.path, base), {
      method,
      headers: {
        ...plan.headers,
        [CORRELATION_HEADER]: correlationId,
        [REPLAY_HEADER]: String(replayOf),
        'content-length': String(body.length),
      },
      agent: false,
    });
    req.on('response', (res) => {
      // Drained, not kept: the proxy captured the reply for the log.
      res.resume();
      settle(() => resolve(correlationId));
    });
    req.on('error', (e) =>
      settle(() => reject(new ApiError('unavailable', `The proxy did not take the request: ${e.message}`))),
    );
    req.end(body);
  });
}
