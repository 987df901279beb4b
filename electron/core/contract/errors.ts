// Errors cross both transports as plain data ({ code, message }) because neither structured
// clone over IPC nor JSON over WebSocket keeps an Error's class or extra fields. Each side turns
// that data back into an ApiError. No Node or DOM imports: the renderer imports this file.

export const API_ERROR_CODES = [
  'invalid_input',
  'unknown_call',
  'not_found',
  'payload_too_large',
  'forbidden',
  'internal',
  'not_implemented',
  'bind_failed',
  'unavailable',
  /** The user cancelled (an export, a file dialog): not a failure to report. */
  'cancelled',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** One validation problem, pointing at the offending field (for inline messages in forms). */
export interface ApiIssue {
  path: (string | number)[];
  message: string;
}

export interface ApiErrorData {
  code: ApiErrorCode;
  /** Human-readable, safe to show in the UI as is. */
  message: string;
  issues?: ApiIssue[];
}

/** What every call resolves to on the wire, whatever the transport. */
export type Envelope<R> = { ok: true; value: R } | { ok: false; error: ApiErrorData };

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[] | undefined;

  constructor(code: ApiErrorCode, message: string, issues?: ApiIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }

  toData(): ApiErrorData {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.issues);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** Checks untrusted data (a reply from the other side) before trusting it as ApiErrorData. */
export function isApiErrorData(value: unknown): value is ApiErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && (API_ERROR_CODES as readonly unknown[]).includes(v.code);
}

/** Anything thrown by a handler becomes data; unknown throwables are reported as internal. */
export function toErrorData(err: unknown): ApiErrorData {
  if (isApiError(err)) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'internal error' };
}
