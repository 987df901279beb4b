// How a request ended. One of these per request, turned into exactly one LogRecord.

export type Outcome =
  /** The proxy answered itself: foreign Origin/Host (403), no mount (404), a loop (508), a budget cap (429). */
  | { kind: 'rejected'; status: number; message: string }
  /** The upstream's response (any status) reached the client in full. */
  | { kind: 'completed'; status: number }
  /** No response from the upstream: refused, unreachable or silent (the client got 502/504). */
  | { kind: 'upstream-unreachable'; status: 502 | 504; message: string }
  /** The upstream's response broke off midway (reset or idle timeout); the client's response was cut too. */
  | { kind: 'upstream-broke'; status: number; message: string }
  /** The client went away first; the upstream request was cancelled. */
  | { kind: 'client-aborted'; status: number | null; message: string }
  /** stop() gave up waiting for this request and cut it. */
  | { kind: 'proxy-stopped'; status: number | null; message: string };

export interface OutcomeSummary {
  status: number | null;
  success: boolean;
  errorStatus: number | null;
  errorMessage: string | null;
}

/** `upstreamError` is the message the usage parser found in an error body or an in-stream error event. */
export function summarize(outcome: Outcome, upstreamError: string | null): OutcomeSummary {
  switch (outcome.kind) {
    case 'rejected':
    case 'upstream-unreachable':
      return { status: outcome.status, success: false, errorStatus: outcome.status, errorMessage: outcome.message };
    case 'completed': {
      const ok = outcome.status >= 200 && outcome.status < 300;
      if (ok && upstreamError === null)
        return { status: outcome.status, success: true, errorStatus: null, errorMessage: null };
      return {
        status: outcome.status,
        success: false,
        errorStatus: ok ? null : outcome.status,
        errorMessage: upstreamError ?? `upstream answered HTTP ${outcome.status}`,
      };
    }
    case 'upstream-broke':
      return { status: outcome.status, success: false, errorStatus: 502, errorMessage: outcome.message };
    case 'client-aborted':
    case 'proxy-stopped':
      return { status: outcome.status, success: false, errorStatus: null, errorMessage: outcome.message };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
