// Request cost in USD from @pydantic/genai-prices' bundled price data plus per-model
// overrides from settings. Unknown price -> null, never a guess.
//
// The package only fetches newer data if updatePrices() is called, which we never do: prices
// come from the data bundled with the installed version, so cost works offline and the
// same request always costs the same.

import { calcPrice, findProvider, type ModelPrice, type Provider, type Usage } from '@pydantic/genai-prices';
import type { PriceOverride, UsageResult } from './types';

export interface CostArgs {
  /** The upstream's name from settings (e.g. 'openai', 'anthropic', 'api.openai.com', 'local'). */
  provider: string;
  baseUrl: string | null;
  model: string;
  usage: Pick<UsageResult, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>;
  override: PriceOverride | null;
}

const resolved = new Map<string, string | null>();
const MAX_RESOLVED = 1000;

/** Which price-data provider an upstream is: by base URL (api.openai.com…), else by its name,
 *  else null, leaving the package to match by model name (a loopback or custom gateway). */
function providerIdFor(provider: string, baseUrl: string | null): string | null {
  const key = `${provider}\0${baseUrl ?? ''}`;
  const hit = resolved.get(key);
  if (hit !== undefined) return hit;
  let id: string | null;
  try {
    id = (baseUrl ? findProvider({ providerApiUrl: baseUrl })?.id : undefined) ?? findProvider({ providerId: provider })?.id ?? null;
  } catch {
    id = null;
  }
  if (resolved.size >= MAX_RESOLVED) resolved.clear();
  resolved.set(key, id);
  return id;
}

function usageFor(u: CostArgs['usage']): Usage | null {
  if (u.inputTokens === null || u.outputTokens === null) return null;
  // The package requires cache counts to be parts of input_tokens; a provider that breaks
  // that would make it throw, so clamp.
  const cacheRead = Math.min(u.cacheReadTokens ?? 0, u.inputTokens);
  const cacheWrite = Math.min(u.cacheWriteTokens ?? 0, u.inputTokens - cacheRead);
  return { input_tokens: u.inputTokens, output_tokens: u.outputTokens, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite };
}

function hasOverride(o: PriceOverride | null): o is PriceOverride {
  return o !== null && (o.input !== undefined || o.output !== undefined || o.cacheRead !== undefined || o.cacheWrite !== undefined);
}

/** USD, or null when the price (or a token count) is unknown. Both input and output counts
 *  are required: the proxy estimates missing ones before asking. */
export function computeCost(args: CostArgs): number | null {
  const usage = usageFor(args.usage);
  if (!usage) return null;
  const model = args.model.trim().replace(/^models\//, '');
  if (!model) return null;
  try {
    const providerId = providerIdFor(args.provider, args.baseUrl);
    const base = calcPrice(usage, model, providerId ? { providerId } : undefined);
    if (!hasOverride(args.override)) return base ? base.total_price : null;
    // Override wins field by field; fields it leaves out keep the package's price (its
    // cache prices, tiers, per-request fees) when the package knows the model.
    const prices: ModelPrice = { ...(base?.model_price ?? {}) };
    const o = args.override;
    if (o.input !== undefined) prices['input_mtok'] = o.input;
    if (o.output !== undefined) prices['output_mtok'] = o.output;
    if (o.cacheRead !== undefined) prices['cache_read_mtok'] = o.cacheRead;
    if (o.cacheWrite !== undefined) prices['cache_write_mtok'] = o.cacheWrite;
    if (prices['input_mtok'] === undefined || prices['output_mtok'] === undefined) return null;
    const custom: Provider = {
      id: 'override',
      name: 'override',
      api_pattern: '^$',
      models: [{ id: model, match: { equals: model }, prices }],
    };
    return calcPrice(usage, model, { provider: custom })?.total_price ?? null;
  } catch {
    // Bad price data or usage the package refuses: unknown, not a crash.
    return null;
  }
}
