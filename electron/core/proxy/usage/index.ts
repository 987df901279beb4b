// Usage extraction for the proxy: which API a request speaks, what it asks for, what the
// response reports (tokens, cost, text), and the include_usage round trip for OpenAI streams.

export type {
  ApiFormat,
  PriceOverride,
  RequestInfo,
  ResponseObserver,
  SseEvent,
  StreamProgress,
  UsageResult,
} from './types';
export { detectFormat, modelFromPath } from './detect';
export { inspectRequest, promptOfBody, promptText } from './request';
export { injectStreamUsage } from './inject';
export { createUsageChunkFilter, type UsageChunkFilterOptions } from './chunk-filter';
export { createResponseObserver } from './observer';
export { parseSseEvents } from './sse';
export { streamText } from './reassemble';
export { estimateTokens } from './tokens';
export { computeCost, type CostArgs } from './cost';
export { extractErrorMessage } from './formats';
