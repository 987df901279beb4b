// The one place where an untrusted (channel, input) pair becomes a handler call. Both transports
// go through here, so both give the same answers to the same mistakes.
import type { z } from 'zod';
import { callNameOf, calls, type CallName } from '../contract/contract';
import { ApiError, toErrorData, type ApiIssue, type Envelope } from '../contract/errors';
import type { CoreHandlers } from './handlers';
import type { HubSession } from './event-hub';

export type Dispatch = (channel: unknown, input: unknown, session: HubSession) => Promise<Envelope<unknown>>;

function issuesOf(error: z.ZodError): ApiIssue[] {
  return error.issues.map((i) => ({
    path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: i.message,
  }));
}

function describe(issues: ApiIssue[]): string {
  const first = issues[0];
  if (!first) return 'Invalid input.';
  const where = first.path.length > 0 ? first.path.join('.') : 'input';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `Invalid ${where}: ${first.message}${more}`;
}

export function createDispatcher(handlers: CoreHandlers, onInternalError: (err: unknown) => void = () => {}): Dispatch {
  return async (channel, input, session) => {
    const name: CallName | undefined = typeof channel === 'string' ? callNameOf(channel) : undefined;
    if (name === undefined) {
      return { ok: false, error: { code: 'unknown_call', message: `Unknown call: ${String(channel).slice(0, 100)}` } };
    }
    const parsed = calls[name].input.safeParse(input);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return { ok: false, error: { code: 'invalid_input', message: describe(issues), issues } };
    }
    try {
      if (name === 'clientReady') {
        session.ready();
        return { ok: true, value: null };
      }
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      // Domain errors are expected answers; anything else is a bug worth logging, but the
      // caller still gets a reply and the process keeps running.
      if (!(err instanceof ApiError)) onInternalError(err);
      return { ok: false, error: toErrorData(err) };
    }
  };
}
