// The estimate: input tokens counted from what would be sent, output tokens' p50/p90/p99 from the
// distributions the log has learned (inspect/distributions/model.ts: the request's (policy, model) and input
// band, falling back to the model's, then to all requests'), and cost at each from the price data.
// The same function answers the contract's `estimate` call, the proxy's /_inspector/v1/estimate, the
// CLI and the MCP tool.
import { ApiError } from '../../contract/errors';
import type {
  EstimateInput,
  EstimateResult,
  ModelEstimate,
  ParsedEstimateInput,
  Quantiles,
} from '../../contract/estimate';
import type { RequestDetail } from '../../contract/model';
import type { Settings } from '../../contract/settings-schema';
import { computeCost } from '../../proxy/usage/cost';
import { pickPolicy } from '../../proxy/request-prep';
import { indexRows, modelsUnder, predict } from '../distributions/model';
import type { DistributionRow } from '../distributions/bands';
import { countBody, countPrompt, tokenizerFor, type CountedInput } from './input-tokens';

export type { EstimateInput, ParsedEstimateInput };

export interface EstimateSource {
  getDistributionRows(): Promise<DistributionRow[]>;
  getRequest(id: number): Promise<RequestDetail | null> | RequestDetail | null;
}

/** The upstream whose price data and overrides price `model`: the one with an override for it, else none (by name). */
function pricing(settings: Pick<Settings, 'upstreams'>, model: string) {
  const u = settings.upstreams.find((x) => x.priceOverrides?.[model] !== undefined);
  return { provider: u?.name ?? '', baseUrl: u?.baseUrl ?? null, override: u?.priceOverrides?.[model] ?? null };
}

function costs(
  settings: Pick<Settings, 'upstreams'>,
  model: string,
  input: number,
  output: Quantiles,
): Quantiles | null {
  const p = pricing(settings, model);
  const at = (outputTokens: number) =>
    computeCost({
      ...p,
      model,
      usage: { inputTokens: input, outputTokens: Math.round(outputTokens), cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  const [p50, p90, p99] = [at(output.p50), at(output.p90), at(output.p99)];
  return p50 === null || p90 === null || p99 === null ? null : { p50, p90, p99 };
}

type Counted = Pick<CountedInput, 'model' | 'inputTokens' | 'notes'> & {
  input: EstimateResult['input'];
  promptText: string;
  policy: string | null | undefined;
};

async function count(input: Omit<ParsedEstimateInput, 'source'>, source: EstimateSource): Promise<Counted> {
  const wrap = (f: () => CountedInput) => {
    try {
      return f();
    } catch (e) {
      throw new ApiError('invalid_input', `Cannot read the body: ${e instanceof Error ? e.message : String(e)}.`, [
        { path: ['body'], message: e instanceof Error ? e.message : String(e) },
      ]);
    }
  };
  if (input.body !== undefined) {
    const c = wrap(() => countBody(input.body!, input));
    return { ...c, input: c.format, policy: undefined };
  }
  if (input.requestId !== undefined) {
    const row = await source.getRequest(input.requestId);
    if (!row) throw new ApiError('not_found', `No request with id ${input.requestId}.`);
    const body = row.exchange.requestBody;
    if (body === null || body === '' || row.exchange.requestBodyTruncated) {
      throw new ApiError(
        'invalid_input',
        `Request ${input.requestId} has ` +
          `${body ? 'only part of its body' : 'no body'} in the log; estimate from its input tokens instead.`,
      );
    }
    const c = wrap(() => countBody(body, { path: row.path, model: input.model ?? (row.model || undefined) }));
    const notes = [...c.notes];
    if (row.inputTokens !== null && !row.tokensEstimated)
      notes.push(
        `the upstream reported ${row.inputTokens} input tokens for this request; counted here: ${c.inputTokens}`,
      );
    return { ...c, notes, input: c.format, policy: row.policy };
  }
  const model = input.model ?? null;
  if (input.prompt !== undefined)
    return {
      model,
      inputTokens: countPrompt(input.prompt, model),
      notes: [],
      input: 'prompt',
      promptText: input.prompt,
      policy: undefined,
    };
  return { model, inputTokens: input.inputTokens!, notes: [], input: 'tokens', promptText: '', policy: undefined };
}

export async function runEstimate(
  input: Omit<ParsedEstimateInput, 'source'>,
  source: EstimateSource,
  settings: Pick<Settings, 'upstreams' | 'policyRules'>,
): Promise<EstimateResult> {
  const counted = await count(input, source);
  // The policy the proxy would pick: the one given, else the logged request's, else the keyword rules'.
  const policy =
    input.policy !== undefined
      ? input.policy
      : counted.policy !== undefined
        ? counted.policy
        : pickPolicy(undefined, counted.promptText, settings.policyRules);
  const index = indexRows(await source.getDistributionRows());
  const models: string[] = [];
  const add = (m: string) => !models.includes(m) && models.push(m);
  if (counted.model !== null) add(counted.model);
  for (const m of input.models ?? []) add(m);
  if (input.compare) for (const m of modelsUnder(index, policy ?? '')) add(m);
  const notes = [...counted.notes];
  if (models.length === 0) notes.push('no model named: give model, models or compare to get estimates');
  const estimates: ModelEstimate[] = models.map((model) => {
    const p = predict(index, policy ?? '', model, counted.inputTokens);
    if (p.basis === null) return { model, basis: null, fallback: p.fallback, outputTokens: null, cost: null };
    return {
      model,
      basis: p.basis,
      fallback: p.fallback,
      outputTokens: p.output,
      cost: costs(settings, model, counted.inputTokens, p.output!),
    };
  });
  return {
    policy,
    model: counted.model,
    input: counted.input,
    inputTokens: counted.inputTokens,
    tokenizer:
      counted.input === 'tokens'
        ? { encoding: null, exact: true, note: 'given as a count' }
        : tokenizerFor(counted.model),
    estimates,
    notes,
  };
}
