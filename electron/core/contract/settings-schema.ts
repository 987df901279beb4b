// The settings contract: the zod schema, its TS type and the defaults. No Node imports, so the
// API contract (and through it the renderer) can validate `updateSettings(patch)` with the same
// schema the settings file is checked against.
import { z } from 'zod';
import { otlpSettingsSchema } from './otlp-settings';

/** USD per 1M tokens. */
export const priceOverrideSchema = z.strictObject({
  input: z.number().nonnegative().optional(),
  output: z.number().nonnegative().optional(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

const upstreamNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
    'letters, digits, ".", "_", ":" or "-" (max 64), starting with a letter or digit',
  );

const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name');

/**
 * What an HTTP field value may hold (RFC 9110 §5.5, as Node checks it): tab, visible ASCII and
 * Latin-1. A CR or LF would end the header early and start another one the user never wrote.
 */
const headerValueSchema = z
  .string()
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be one line of header text: no CR, LF or other control characters');

const baseUrlSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials, query or fragment');

export const upstreamSchema = z.strictObject({
  name: upstreamNameSchema,
  baseUrl: baseUrlSchema,
  /** '/' or '/NAME'; defaults to '/NAME'. */
  mount: z
    .string()
    .regex(/^\/([A-Za-z0-9._~-]+)?$/, 'must be "/" or "/segment"')
    .optional(),
  /** Injected into forwarded requests so clients can send a dummy key. */
  apiKey: headerValueSchema.min(1).optional(),
  /** Which header carries apiKey; by default the one the client sent, else the API format's usual one. */
  apiKeyHeader: headerNameSchema.optional(),
  /** Extra headers added to every forwarded request. */
  headers: z.record(headerNameSchema, headerValueSchema).optional(),
  /** Per-model prices that win over the price data. */
  priceOverrides: z.record(z.string().min(1), priceOverrideSchema).optional(),
});

export const policyRuleSchema = z.strictObject({
  keyword: z.string().min(1),
  policy: z.string().min(1),
});

export const BUDGET_PERIODS = ['day', 'month'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/**
 * A spending budget over the machine's local day or month: overall, or for one provider (an
 * upstream's name), one policy, or both. Crossing 50/80/100 % raises an alert; with `hardCap`, new
 * requests in its scope are refused (HTTP 429) once it is reached, until the period ends.
 */
export const budgetSchema = z.strictObject({
  /** Names the budget in alerts and in the 429 body. */
  name: z.string().trim().min(1).max(64),
  period: z.enum(BUDGET_PERIODS),
  amountUsd: z.number().positive().max(1_000_000_000),
  provider: upstreamNameSchema.optional(),
  policy: z.string().min(1).max(200).optional(),
  hardCap: z.boolean().default(false),
});

const originSchema = z.string().refine((value) => {
  try {
    return new URL(value).origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'must be an origin such as "http://localhost:5173" (scheme, host, optional port; no path)');

export const settingsSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    upstreams: z.array(upstreamSchema).default([]),
    policyRules: z.array(policyRuleSchema).default([]),
    /** Per body (request and response), in bytes; larger bodies are still proxied in full. */
    captureMaxBytes: z
      .number()
      .int()
      .min(0)
      .max(256 * 1024 * 1024)
      .default(2 * 1024 * 1024),
    /** Header names redacted in the log on top of the built-in list. */
    redactHeaders: z.array(headerNameSchema).default([]),
    /** Browser origins allowed to call the proxy; any other Origin gets 403. */
    allowedOrigins: z.array(originSchema).default([]),
    /** Add stream_options.include_usage to OpenAI streams (the extra chunk is hidden from the client). */
    injectStreamUsage: z.boolean().default(true),
    /**
     * A request whose upstream socket stays silent this long is cut (504 before headers). Active streams are
     * never cut.
     */
    upstreamIdleTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 3600 * 1000)
      .default(10 * 60 * 1000),
    /**
     * Whether the desktop app asks GitHub's releases feed for a newer version (on start, at most
     * daily). Off: it never contacts the feed on its own; Help ▸ Check for Updates… still asks when clicked.
     */
    updates: z.strictObject({ check: z.boolean().default(true) }).default({ check: true }),
    /** OpenTelemetry (OTLP/HTTP) export of every finished request as a GenAI span; absent: off. */
    otlp: otlpSettingsSchema.optional(),
    /** Pruning of old rows, in the background; absent (the default) keeps everything. */
    retention: z
      .strictObject({
        /** Delete requests older than this many days. */
        maxAgeDays: z.number().positive().max(36_500).optional(),
        /** Delete the oldest requests while the database uses more than this many MiB. */
        maxSizeMB: z.number().positive().max(10_000_000).optional(),
      })
      .optional(),
    /** Spending budgets (see budgetSchema); spend is what the log records, over requests of known price. */
    budgets: z.array(budgetSchema).max(100).default([]),
  })
  .superRefine((settings, ctx) => {
    const seenBudgets = new Map<string, number>();
    settings.budgets.forEach((budget, index) => {
      const previous = seenBudgets.get(budget.name);
      if (previous !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', index, 'name'],
          message: `name "${budget.name}" is already used by budgets[${previous}]`,
        });
      }
      seenBudgets.set(budget.name, index);
    });
    const seenMounts = new Map<string, number>();
    const seenNames = new Map<string, number>();
    settings.upstreams.forEach((upstream, index) => {
      const mount = mountOf(upstream);
      const previousMount = seenMounts.get(mount);
      if (previousMount !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['upstreams', index, 'mount'],
          message: `mount ${mount} is already used by upstreams[${previousMount}]`,
        });
      }
      seenMounts.set(mount, index);
      const previousName = seenNames.get(upstream.name);
      if (previousName !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['upstreams', index, 'name'],
          message: `name "${upstream.name}" is already used by upstreams[${previousName}]`,
        });
      }
      seenNames.set(upstream.name, index);
    });
  });

export type PriceOverride = z.infer<typeof priceOverrideSchema>;
export type UpstreamSettings = z.infer<typeof upstreamSchema>;
export type PolicyRule = z.infer<typeof policyRuleSchema>;
export type Budget = z.infer<typeof budgetSchema>;
export type Settings = z.infer<typeof settingsSchema>;
/** What a settings file or an update may contain: every field optional. */
export type SettingsInput = z.input<typeof settingsSchema>;

export function mountOf(upstream: Pick<UpstreamSettings, 'name' | 'mount'>): string {
  return upstream.mount ?? `/${upstream.name}`;
}

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** One line per problem: `upstreams[0].baseUrl: must be an http(s) URL ...`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`),
        '',
      );
      return `${path === '' ? '(root)' : path}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Applies a shallow patch (top-level fields replace, arrays included) and validates the result.
 * Returns a discriminated outcome so callers can show `message` without try/catch.
 */
export function mergeSettings(
  base: Settings,
  patch: unknown,
): { ok: true; settings: Settings } | { ok: false; message: string } {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return { ok: false, message: '(root): expected an object' };
  }
  const result = settingsSchema.safeParse({ ...base, ...patch });
  return result.success ? { ok: true, settings: result.data } : { ok: false, message: formatIssues(result.error) };
}
