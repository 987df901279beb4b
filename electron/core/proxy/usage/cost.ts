// Request cost in USD from @pydantic/genai-prices' bundled price data plus per-model
// overrides from settings. Unknown price -> null, never a guess.
//
// The package only fetches newer data if updatePrices() is called, which we never do: prices
// come from the data bundled with the installed version, so cost works offline and the
// same request always costs the same.

import {
  calcPrice,
  findProvider,
  type ModelInfo,
  type ModelPrice,
  type Provider,
  type Usage,
} from '@pydantic/genai-prices';
import { plausibleCost } from '../../storage/plausible';
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
    id =
      (baseUrl ? findProvider({ providerApiUrl: baseUrl })?.id : undefined) ??
      findProvider({ providerId: provider })?.id ??
      null;
  } catch {
    id = null;
  }
  if (resolved.size >= MAX_RESOLVED) resolved.clear();
  resolved.set(key, id);
  return id;
}

/** Price of 1M tokens of each kind plus a fixed per-request part: cost is linear in the counts
 *  for a model with plain (untiered, undated) prices, so these reproduce the package exactly. */
interface Linear {
  fixed: number;
  uncached: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

interface Entry {
  /** The model's price entry as a one-model provider, so the package need not search its data. */
  provider: Provider;
  linear: Linear | null;
}

/** (provider id, model) -> entry, or null when the data has no price for the model. Looking a
 *  model up in the full data costs ~0.3 ms (hundreds of match rules, regexes compiled per call)
 *  and even a one-model calcPrice ~30 µs of unit bookkeeping; the proxy prices every request on
 *  its event loop, so plain prices go through the linear form (well under 1 µs). */
const entries = new Map<string, Entry | null>();

function linearFor(provider: Provider, model: string, info: ModelInfo): Linear | null {
  if (Array.isArray(info.prices) || Object.values(info.prices).some((v) => typeof v !== 'number')) return null;
  const at = (input: number, cacheRead: number, cacheWrite: number, output: number): number =>
    calcPrice(
      { input_tokens: input, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite, output_tokens: output },
      model,
      { provider },
    )?.total_price ?? NaN;
  const fixed = at(0, 0, 0, 0);
  const l = {
    fixed,
    uncached: at(1e6, 0, 0, 0) - fixed,
    cacheRead: at(1e6, 1e6, 0, 0) - fixed,
    cacheWrite: at(1e6, 0, 1e6, 0) - fixed,
    output: at(0, 0, 0, 1e6) - fixed,
  };
  return Object.values(l).every(Number.isFinite) ? l : null;
}

function entryFor(providerId: string | null, model: string): Entry | null {
  const key = `${providerId ?? ''}\0${model}`;
  const hit = entries.get(key);
  if (hit !== undefined) return hit;
  const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, providerId ? { providerId } : undefined);
  let entry: Entry | null = null;
  if (found) {
    const info: ModelInfo = { ...found.model, match: { equals: model } };
    const provider: Provider = { id: found.provider.id, name: found.provider.name, api_pattern: '^$', models: [info] };
    entry = { provider, linear: linearFor(provider, model, info) };
  }
  if (entries.size >= MAX_RESOLVED) entries.clear();
  entries.set(key, entry);
  return entry;
}

function packagePrice(
  usage: Usage,
  model: string,
  entry: Entry | null,
): { total: number; modelPrice: ModelPrice } | null {
  if (!entry) return null;
  const info = entry.provider.models[0];
  const l = entry.linear;
  if (l && info && !Array.isArray(info.prices)) {
    const input = usage['input_tokens'] ?? 0;
    const read = usage['cache_read_tokens'] ?? 0;
    const write = usage['cache_write_tokens'] ?? 0;
    const total =
      l.fixed +
      (l.uncached * (input - read - write) +
        l.cacheRead * read +
        l.cacheWrite * write +
        l.output * (usage['output_tokens'] ?? 0)) /
        1e6;
    return { total, modelPrice: info.prices };
  }
  const r = calcPrice(usage, model, { provider: entry.provider });
  return r ? { total: r.total_price, modelPrice: r.model_price } : null;
}

function usageFor(u: CostArgs['usage']): Usage | null {
  if (u.inputTokens === null || u.outputTokens === null) return null;
  // The package requires cache counts to be parts of input_tokens; a provider that breaks
  // that would make it throw, so clamp.
  const cacheRead = Math.min(u.cacheReadTokens ?? 0, u.inputTokens);
  const cacheWrite = Math.min(u.cacheWriteTokens ?? 0, u.inputTokens - cacheRead);
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
  };
}

function hasOverride(o: PriceOverride | null): o is PriceOverride {
  return (
    o !== null &&
    (o.input !== undefined || o.output !== undefined || o.cacheRead !== undefined || o.cacheWrite !== undefined)
  );
}

/** USD, or null when the price (or a token count) is unknown, or the result is no plausible cost
 *  (an override of 1e300 per token). Both input and output counts are required: the proxy
 *  estimates missing ones before asking. */
export function computeCost(args: CostArgs): number | null {
  return plausibleCost(priceOf(args));
}

/**
 * The last request's (provider, base URL, model) and what they resolved to: traffic comes in runs of one
 * model, and comparing three short strings costs less than building two keys and hashing them.
 */
let last: { provider: string; baseUrl: string | null; given: string; model: string; entry: Entry | null } | null = null;

function priceOf(args: CostArgs): number | null {
  const usage = usageFor(args.usage);
  if (!usage) return null;
  let hit = last;
  if (hit === null || hit.given !== args.model || hit.provider !== args.provider || hit.baseUrl !== args.baseUrl) {
    const model = args.model.trim().replace(/^models\//, '');
    if (!model) return null;
    let entry: Entry | null;
    try {
      entry = entryFor(providerIdFor(args.provider, args.baseUrl), model);
    } catch {
      // Bad price data: unknown, not a crash (and not remembered: the next request asks again).
      return null;
    }
    hit = { provider: args.provider, baseUrl: args.baseUrl, given: args.model, model, entry };
    last = hit;
  }
  const { model, entry } = hit;
  try {
    const base = packagePrice(usage, model, entry);
    if (!hasOverride(args.override)) return base ? base.total : null;
    // Override wins field by field; fields it leaves out keep the package's price (its
    // cache prices, tiers, per-request fees) when the package knows the model.
    const prices: ModelPrice = { ...(base?.modelPrice ?? {}) };
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
