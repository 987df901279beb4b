// Settings of the OpenTelemetry export (settings.json `otlp`). Header values are secrets (an
// `Authorization: Basic …` for Langfuse, an API key for a vendor): masked on their way to the page
// like upstream keys (api/settings-secrets.ts), never logged.
import { z } from 'zod';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

// The same rules as settings-schema.ts's header schemas (imported there from here would be a cycle).
export const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name');
export const headerValue = z
  .string()
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be one line of header text: no CR, LF or other control characters');

const endpointSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials (put them in a header)');

/** A day (`2026-03-01`, UTC midnight) or an ISO-8601 time with its offset. */
const sinceSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date such as 2026-03-01 or an ISO-8601 time such as 2026-03-01T09:00:00Z',
});

/** The fields, without the rule that joins them (settings-patch.ts extends this for masked headers). */
export const otlpSettingsObject = z.strictObject({
  enabled: z.boolean().default(false),
  /**
   * The collector's OTLP/HTTP address. A URL ending in /v1/traces is used as it is; any other
   * gets /v1/traces appended (as OTEL_EXPORTER_OTLP_ENDPOINT does): `http://127.0.0.1:4318`.
   */
  endpoint: endpointSchema.optional(),
  protocol: z.enum(OTLP_PROTOCOLS).default('http/protobuf'),
  /** Sent with every export request; values are secrets. */
  headers: z.record(headerName, headerValue).default({}),
  /** Also send message content (gen_ai.input.messages, .output.messages, .system_instructions). */
  content: z.boolean().default(false),
  /** Characters per content attribute; longer values are cut (and marked so). */
  contentMaxChars: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(32 * 1024),
  serviceName: z.string().min(1).max(256).default('llm-request-inspector'),
  /** Also send the requests logged before the export was set up, from this date on. */
  backfillFrom: sinceSchema.optional(),
});

export const otlpSettingsSchema = otlpSettingsObject.refine((o) => !o.enabled || o.endpoint !== undefined, {
  path: ['endpoint'],
  message: 'is needed to turn the export on',
});

export type OtlpSettings = z.infer<typeof otlpSettingsSchema>;

/** Where spans are POSTed: `/v1/traces` under the endpoint unless it already names it. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!/\/v1\/traces\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/** The backfill date as the log's timestamps spell it (UTC ISO with ms), for text comparison. */
export function backfillTimestamp(since: string): string {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : since).toISOString();
}

/**
 * The export as the status bar shows it. `exporting`: sending or caught up; `failing`: the last
 * attempt failed and is retried (lastError says why; header values never appear in it).
 */
export interface OtlpExportStatus {
  state: 'exporting' | 'failing';
  /** The traces URL spans go to. */
  destination: string;
  /** Spans the receiver accepted since the app started. */
  exported: number;
  /** Requests logged but not yet accepted (backfill included). */
  pending: number;
  lastError: string | null;
  /** When the receiver last accepted a batch (ISO-8601), null before the first. */
  lastExportAt: string | null;
}
