// Turns what an Exchange saw into the one LogRecord the writer stores for it: outcome, usage,
// token estimation when the upstream reported none, and cost.
import type { UpstreamSettings } from '../contract/settings-schema';
import type { Headers, LogRecord } from '../contract/model';
import { replayOfHeader } from './headers';
import { summarize, type Outcome } from './outcome';
import type { TapResult } from './response-tap';
import { computeCost, estimateTokens, type RequestInfo, type UsageResult } from './usage';

export interface RecordInput {
  outcome: Outcome;
  usage: UsageResult | null;
  tapped: TapResult | null;
  id: string;
  timestamp: string;
  method: string;
  path: string;
  upstream: UpstreamSettings | null;
  info: RequestInfo | null;
  /**
   * The prompt's text, worked out only when an input count must be estimated (info.promptText is '' unless a
   * policy rule needed it); '' when unknown. Absent: info.promptText.
   */
  prompt?: () => string;
  policy: string | null;
  streamed: boolean;
  requestHeaders: Headers;
  responseHeaders: Headers | null;
  requestBody: { text: string | null; truncated: boolean; bytes: number | null };
  responseBytes: number | null;
  timings: { latencyMs: number | null; ttfbMs: number | null; streamDurationMs: number | null };
}

interface Tokens {
  inputTokens: number | null;
  outputTokens: number | null;
  estimated: boolean;
}

/**
 * Estimation only fills a gap in a complete, successful answer: a stream cut off midway keeps
 * the counts it reported, and absent counts stay null, never a guess dressed as a fact.
 */
function tokensFor(input: RecordInput, success: boolean, model: string): Tokens {
  const usage = input.usage;
  const reported: Tokens = {
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    estimated: false,
  };
  if (!success || usage === null || (reported.inputTokens !== null && reported.outputTokens !== null)) return reported;
  // The prompt is only fully known when its body was read whole.
  const prompt =
    reported.inputTokens === null && input.info !== null && !input.requestBody.truncated
      ? (input.prompt?.() ?? input.info.promptText)
      : '';
  const canEstimateOutput = !usage.outputTextTruncated && usage.outputText !== '';
  const inputTokens = reported.inputTokens ?? (prompt !== '' ? estimateTokens(prompt, model || null) : null);
  const outputTokens =
    reported.outputTokens ?? (canEstimateOutput ? estimateTokens(usage.outputText, model || null) : null);
  return {
    inputTokens,
    outputTokens,
    estimated: inputTokens !== reported.inputTokens || outputTokens !== reported.outputTokens,
  };
}

export function buildRecord(input: RecordInput): LogRecord {
  const usage = input.usage;
  let outcome = input.outcome;
  // A client that hangs up right after the final event of a complete stream got everything.
  if (
    outcome.kind === 'client-aborted' &&
    input.streamed &&
    usage?.finishReason != null &&
    outcome.status !== null &&
    outcome.status < 300
  ) {
    outcome = { kind: 'completed', status: outcome.status };
  }
  const summary = summarize(outcome, usage?.errorMessage ?? null);
  const model = input.info?.model ?? usage?.model ?? '';
  const tokens = tokensFor(input, summary.success, model);
  const upstream = input.upstream;
  const cost =
    upstream !== null && model !== '' && (tokens.inputTokens !== null || tokens.outputTokens !== null)
      ? computeCost({
          provider: upstream.name,
          baseUrl: upstream.baseUrl,
          model,
          usage: {
            inputTokens: tokens.inputTokens,
            outputTokens: tokens.outputTokens,
            cacheReadTokens: usage?.cacheReadTokens ?? null,
            cacheWriteTokens: usage?.cacheWriteTokens ?? null,
          },
          override: upstream.priceOverrides?.[model] ?? null,
        })
      : null;
  const tapped = input.tapped;
  return {
    correlationId: input.id,
    timestamp: input.timestamp,
    method: input.method,
    path: input.path,
    model,
    provider: upstream?.name ?? '',
    policy: input.policy,
    streaming: input.streamed,
    status: summary.status,
    success: summary.success,
    errorStatus: summary.errorStatus,
    errorMessage: summary.errorMessage,
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    cacheReadTokens: usage?.cacheReadTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    reasoningTokens: usage?.reasoningTokens ?? null,
    tokensEstimated: tokens.estimated,
    cost,
    providerCost: usage?.providerCost ?? null,
    latencyMs: input.timings.latencyMs,
    ttfbMs: input.timings.ttfbMs,
    streamDurationMs: input.timings.streamDurationMs,
    finishReason: usage?.finishReason ?? null,
    requestBytes: input.requestBody.bytes,
    responseBytes: input.responseBytes,
    replayOf: replayOfHeader(input.requestHeaders),
    exchange: {
      requestHeaders: input.requestHeaders,
      responseHeaders: input.responseHeaders,
      requestBody: input.requestBody.text,
      requestBodyTruncated: input.requestBody.truncated,
      responseBody: tapped?.body ?? null,
      responseBodyTruncated: tapped?.truncated ?? false,
    },
  };
}
