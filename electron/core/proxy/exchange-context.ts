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

export interface ForwardTarget {
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  /** Path and query on the upstream. */
  path: string;
}

/** Where http-proxy's errors for one request go: its Exchange. */
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
  /** Hands the prepared request to http-proxy. */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    opts: { target: ForwardTarget; buffer: Readable; exchange: ProxyErrorSink },
  ): void;
}
