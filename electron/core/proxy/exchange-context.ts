// What an Exchange needs from the server around it. Settings and router are a snapshot taken
// when the request arrived: a reconfigure never changes a request in flight.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Settings } from '../contract/settings-schema';
import type { LogSink } from '../storage/log-store';
import type { Headers } from '../contract/model';
import type { RequestFinishedEvent, RequestProgressEvent, RequestStartedEvent } from '../contract/live-events';
import type { Router } from './router';
import type { BudgetGate } from './budget-guard';

/** The upstream's origin; the path and query travel as req.url. */
export interface ForwardTarget {
  protocol: string;
  /** As in a Host header: IPv6 literals keep their brackets. */
  host: string;
  /** As a socket connects to it. */
  hostname: string;
  /** Always given: http-proxy-3 reads an empty port as port 0. */
  port: number;
}

/** Where http-proxy-3's errors for one request go: its Exchange. */
export interface ProxyErrorSink {
  onProxyError(error: NodeJS.ErrnoException): void;
}

export interface ExchangeContext {
  settings: Settings;
  router: Router;
  redact: (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Headers;
  sink: LogSink;
  events: {
    requestStarted(event: RequestStartedEvent): void;
    requestProgress(event: RequestProgressEvent): void;
    requestFinished(event: RequestFinishedEvent): void;
  };
  ownAddress(): { host: string; ports: number[] };
  /** Addresses a host name resolved to when the settings were applied (see loop-guard.ts); never a lookup. */
  addressesOf(host: string): readonly string[];
  /** Hard-capped budgets: asked once per request, before it is forwarded. */
  budget?: BudgetGate;
  /** Hands the prepared request to http-proxy-3. */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    opts: { target: ForwardTarget; buffer: Readable; exchange: ProxyErrorSink },
  ): void;
}
