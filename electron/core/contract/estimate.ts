// Token distributions and estimates as the page, the CLI, MCP and the proxy's /_inspector/v1/estimate
// endpoint see them, and the estimate call's input schema. Plain data; zod only.
import { z } from 'zod';
import type { ConversationFormat } from './conversation';
import { sourceId } from './schemas';

export interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
}

/** Requests of one input-size band of a (policy, model): input tokens in [lo, hi), hi null for "and up". */
export interface InputBand {
  lo: number;
  hi: number | null;
  sampleCount: number;
  output: Quantiles;
}

/** What the log has learned of one (policy, model): quantiles within 1 % of the exact ones. */
export interface TokenDistribution {
  /** null: requests without a policy. */
  policy: string | null;
  model: string;
  sampleCount: number;
  output: Quantiles;
  ratio: Quantiles;
  /** The histogram of output tokens: [value, count] per non-empty bin, in increasing order. */
  outputBins: [number, number][];
  bands: InputBand[];
  /**
   * How well the estimate predicted the newest `window` requests: each compared with the p90 the
   * estimate gives from the requests before the window. `underP90` null: too few requests before
   * the window to estimate from.
   */
  calibration: { window: number; underP90: number | null };
}

/** Which distribution an estimate came from, most specific first. */
export type EstimateLevel = 'policy_model' | 'model' | 'global';

export interface EstimateBasis {
  level: EstimateLevel;
  policy: string | null;
  /** null at the global level. */
  model: string | null;
  /** The input-size band used, or null when the level's whole distribution was. */
  inputBand: { lo: number; hi: number | null } | null;
  sampleCount: number;
}

export interface ModelEstimate {
  model: string;
  /** null: the log has no samples at all. */
  basis: EstimateBasis | null;
  /** Why a less specific distribution was used, e.g. "3 samples for (summarize, gpt-4o): fewer than 20". */
  fallback: string | null;
  outputTokens: Quantiles | null;
  /** USD from the price data and the settings' overrides; null when the price is unknown. */
  cost: Quantiles | null;
}

export interface EstimateResult {
  policy: string | null;
  /** The model asked for (or read from the body); null when none was named. */
  model: string | null;
  /** How the input was given: a body's format, a prompt, a token count, or a logged request's format. */
  input: ConversationFormat | 'prompt' | 'tokens';
  inputTokens: number;
  /** How inputTokens was counted. */
  tokenizer: { encoding: 'o200k_base' | 'cl100k_base' | null; exact: boolean; note: string };
  /** The requested model first (when named), then the others compared. */
  estimates: ModelEstimate[];
  notes: string[];
}

export const ESTIMATE_FORMATS = [
  'openai-chat',
  'openai-completions',
  'openai-responses',
  'anthropic-messages',
  'gemini',
  'ollama-chat',
  'ollama-generate',
] as const satisfies readonly ConversationFormat[];

/** Prompts and bodies up to 8 MiB of text: the tokenizer counts samples of anything over 256 KiB. */
export const MAX_ESTIMATE_CHARS = 8 * 1024 * 1024;
const name = z.string().min(1).max(256);

/** Exactly one of body, prompt, inputTokens, requestId says what would be sent. */
export const estimateInput = z
  .strictObject({
    /** A request body in one of the API formats, as JSON or its text. */
    body: z.union([z.record(z.string(), z.unknown()), z.string().max(MAX_ESTIMATE_CHARS)]).optional(),
    /** The body's format; omitted, it is read from `path`, else from the body's shape. */
    format: z.enum(ESTIMATE_FORMATS).optional(),
    /** The API path the body would be sent to (e.g. /v1/messages), to tell its format. */
    path: z.string().max(2_000).optional(),
    prompt: z.string().max(MAX_ESTIMATE_CHARS).optional(),
    inputTokens: z.int().min(0).max(1e9).optional(),
    /** A logged request: its body, path, model and policy. */
    requestId: z.int().min(1).optional(),
    model: name.optional(),
    /** Omitted: the logged request's policy, else no policy. */
    policy: name.nullable().optional(),
    /** Also estimate every model with enough samples under the same policy. */
    compare: z.boolean().default(false),
    /** Also estimate these models. */
    models: z.array(name).max(50).optional(),
    source: sourceId.optional(),
  })
  .refine(
    (x) => [x.body, x.prompt, x.inputTokens, x.requestId].filter((v) => v !== undefined).length === 1,
    'give exactly one of body, prompt, inputTokens or requestId',
  );

export type EstimateInput = z.input<typeof estimateInput>;
export type ParsedEstimateInput = z.output<typeof estimateInput>;
