// The one place that says how a logged request becomes a GenAI client span. The GenAI semantic
// conventions are marked "development" and keep renaming things, so every name they define is
// written here once, in tables: following a newer version means editing this file (and its test).
//
// Followed: OpenTelemetry semantic conventions v1.41.0, docs/gen-ai ("Semantic conventions for
// generative client AI spans", inference span), the last release before the GenAI conventions
// moved to open-telemetry/semantic-conventions-genai; the names match the constants of
// @opentelemetry/semantic-conventions 1.45.0's incubating entry point. What they have no name for
// goes under PRIVATE_PREFIX.
import type { Conversation, ConversationFormat } from '../../contract/conversation';
import type { RequestRow } from '../../contract/model';

export const GENAI_CONVENTIONS_VERSION = '1.41.0';
export const SCHEMA_URL = `https://opentelemetry.io/schemas/${GENAI_CONVENTIONS_VERSION}`;
export const PRIVATE_PREFIX = 'llm_inspector.';

export type AttributeValue = string | number | boolean | string[];

/** What a span is built from: the row, and what reading its exchange found. */
export interface SpanFacts {
  row: RequestRow;
  format: ConversationFormat | null;
  /** The request read as a conversation (params, reply model, finish); null when it can't be. */
  conversation: Conversation | null;
  /** The upstream's host and port, when the exporter knows the upstream's base URL. */
  server: { address: string; port: number } | null;
}

/** `gen_ai.operation.name` per wire format. */
export const OPERATION_BY_FORMAT: Record<ConversationFormat, string> = {
  'openai-chat': 'chat',
  'openai-responses': 'chat',
  'openai-completions': 'text_completion',
  'anthropic-messages': 'chat',
  gemini: 'generate_content',
  'ollama-chat': 'chat',
  'ollama-generate': 'text_completion',
};

/**
 * Well-known `gen_ai.provider.name` values, keyed by what users name their upstreams. Any other
 * upstream name is sent as it is: the conventions ask for a custom value when none applies.
 */
export const PROVIDER_NAMES: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  claude: 'anthropic',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  mistral: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  grok: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  watsonx: 'ibm.watsonx.ai',
};

/** Request parameters the conversation parsers list (by their wire names), as span attributes. */
export const REQUEST_PARAMETERS: readonly {
  params: readonly string[];
  key: string;
  type: 'double' | 'int' | 'strings';
}[] = [
  { params: ['temperature'], key: 'gen_ai.request.temperature', type: 'double' },
  { params: ['top_p', 'topP'], key: 'gen_ai.request.top_p', type: 'double' },
  { params: ['top_k', 'topK'], key: 'gen_ai.request.top_k', type: 'int' },
  {
    params: ['max_tokens', 'max_output_tokens', 'maxOutputTokens', 'num_predict'],
    key: 'gen_ai.request.max_tokens',
    type: 'int',
  },
  { params: ['seed'], key: 'gen_ai.request.seed', type: 'int' },
  { params: ['n', 'candidateCount'], key: 'gen_ai.request.choice.count', type: 'int' },
  { params: ['stop', 'stop_sequences', 'stopSequences'], key: 'gen_ai.request.stop_sequences', type: 'strings' },
];

/**
 * A request cut before its answer was whole: the answer had begun well (2xx) or not at all (the
 * client left first), and it still failed. A stream whose upstream broke off is one (its row keeps
 * the 200 the client got, and 502 as the error).
 */
export function interrupted(row: RequestRow): boolean {
  return !row.success && (row.status === null || (row.status >= 200 && row.status < 300));
}

/** `error.type`: `interrupted` for a cut answer, else the HTTP status the error ended with. */
function errorType(row: RequestRow): string | null {
  if (row.success) return null;
  if (interrupted(row)) return 'interrupted';
  return row.errorStatus !== null ? String(row.errorStatus) : '_OTHER';
}

const nonEmpty = (s: string | null | undefined) => (s === null || s === undefined || s === '' ? null : s);

/** Span attributes, in the order they are written. A null value leaves the attribute out. */
export const SPAN_ATTRIBUTES: readonly { key: string; value: (f: SpanFacts) => AttributeValue | null | undefined }[] = [
  { key: 'gen_ai.operation.name', value: (f) => (f.format ? OPERATION_BY_FORMAT[f.format] : null) },
  {
    key: 'gen_ai.provider.name',
    value: (f) => PROVIDER_NAMES[f.row.provider.toLowerCase()] ?? nonEmpty(f.row.provider),
  },
  { key: 'gen_ai.request.model', value: (f) => nonEmpty(f.row.model) },
  { key: 'gen_ai.response.model', value: (f) => nonEmpty(f.conversation?.reply?.model) },
  { key: 'gen_ai.request.stream', value: (f) => f.row.streaming },
  { key: 'gen_ai.usage.input_tokens', value: (f) => f.row.inputTokens },
  { key: 'gen_ai.usage.output_tokens', value: (f) => f.row.outputTokens },
  { key: 'gen_ai.usage.cache_read.input_tokens', value: (f) => f.row.cacheReadTokens },
  // v1.41.0's name for tokens written to a provider's prompt cache (Anthropic's cache_creation_input_tokens).
  { key: 'gen_ai.usage.cache_creation.input_tokens', value: (f) => f.row.cacheWriteTokens },
  { key: 'gen_ai.usage.reasoning.output_tokens', value: (f) => f.row.reasoningTokens },
  {
    key: 'gen_ai.response.finish_reasons',
    value: (f) => {
      const reason = f.row.finishReason ?? f.conversation?.reply?.finishReason ?? null;
      return reason === null ? null : [reason];
    },
  },
  // Seconds from the request to the first byte of a streamed answer.
  {
    key: 'gen_ai.response.time_to_first_chunk',
    value: (f) => (f.row.streaming && f.row.ttfbMs !== null ? f.row.ttfbMs / 1000 : null),
  },
  { key: 'server.address', value: (f) => f.server?.address ?? null },
  { key: 'server.port', value: (f) => f.server?.port ?? null },
  { key: 'http.response.status_code', value: (f) => f.row.status },
  { key: 'error.type', value: (f) => errorType(f.row) },
  { key: `${PRIVATE_PREFIX}request_id`, value: (f) => f.row.id },
  { key: `${PRIVATE_PREFIX}correlation_id`, value: (f) => f.row.correlationId },
  { key: `${PRIVATE_PREFIX}upstream`, value: (f) => f.row.provider },
  { key: `${PRIVATE_PREFIX}policy`, value: (f) => f.row.policy },
  { key: `${PRIVATE_PREFIX}cost`, value: (f) => f.row.cost },
  { key: `${PRIVATE_PREFIX}provider_cost`, value: (f) => f.row.providerCost },
  { key: `${PRIVATE_PREFIX}tokens_estimated`, value: (f) => f.row.tokensEstimated },
  { key: `${PRIVATE_PREFIX}interrupted`, value: (f) => (interrupted(f.row) ? true : null) },
  // The conversation a request belongs to in this log (the id of its first request) and its place in it.
  { key: `${PRIVATE_PREFIX}thread_id`, value: (f) => f.row.threadId },
  { key: `${PRIVATE_PREFIX}turn`, value: (f) => f.row.turn },
];

/** Content attributes, sent only when the user opts in (settings `otlp.content`). */
export const CONTENT_ATTRIBUTES = {
  input: 'gen_ai.input.messages',
  output: 'gen_ai.output.messages',
  system: 'gen_ai.system_instructions',
  /** Which content attributes were cut to the size cap (a private name: the conventions have none). */
  truncated: `${PRIVATE_PREFIX}content_truncated`,
} as const;

/** The span's name: `{gen_ai.operation.name} {gen_ai.request.model}`, or the HTTP call for other endpoints. */
export function spanName(f: SpanFacts): string {
  const operation = f.format ? OPERATION_BY_FORMAT[f.format] : null;
  if (operation) return f.row.model ? `${operation} ${f.row.model}` : operation;
  return `${f.row.method} ${f.row.path.split('?')[0]}`;
}
