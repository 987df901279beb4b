// Reading token_distributions as predictions: the quantiles of output tokens for a request of a
// given (policy, model) and input size, falling back to less specific distributions when a group has
// too few samples. Pure functions over decoded rows, so the estimate, the ratios page's calibration
// and the calibration test all predict the same way.
//
// Input-size bands are used where they predict better. Measured on the synthetic log of
// test/core/inspect/estimate-calibration.test.ts (6 000 training and 3 000 held-out requests per
// policy, inputs from 50 to 50 000 tokens): where output is proportional to input, p90 from the
// request's band covered 87–91 % of the held-out requests in each band, p90 from the whole
// (policy, model) 48 % in the largest band and 98.5–100 % in the others; where output does not depend
// on input, both covered 86–92 % in each band. So a band with enough samples is used, else the group.
import type { EstimateBasis, EstimateLevel, InputBand, Quantiles, TokenDistribution } from '../../contract/estimate';
import { bandOf, bandRange, type DistributionRow, type Sample } from './bands';
import { addValue, binsOf, merge, quantile, type Sketch } from './sketch';

/** Fewer samples than this and a distribution is not used: its p90 would be one of a handful of values. */
export const MIN_SAMPLES = 20;
/** The same for one input-size band. */
export const MIN_BAND_SAMPLES = 30;
/** The newest requests of a group that its calibration is measured on. */
export const CALIBRATION_WINDOW = 100;

interface Dist {
  count: number;
  output: Sketch;
  ratio: Sketch;
}

interface Group {
  total: Dist;
  bands: Map<number, Dist>;
}

const emptyDist = (): Dist => ({ count: 0, output: new Map(), ratio: new Map() });

function addDist(into: Dist, d: Dist, sign: 1 | -1 = 1): void {
  into.count += sign * d.count;
  merge(into.output, d.output, sign);
  merge(into.ratio, d.ratio, sign);
}

function addToGroup(groups: Map<string, Group>, key: string, band: number, d: Dist, sign: 1 | -1 = 1): void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { total: emptyDist(), bands: new Map() }));
  addDist(g.total, d, sign);
  let b = g.bands.get(band);
  if (!b) g.bands.set(band, (b = emptyDist()));
  addDist(b, d, sign);
}

const pmKey = (policy: string, model: string) => `${policy}\u0000${model}`;
const GLOBAL = '';

/** The three levels an estimate can come from, summed from the stored (policy, model, band) rows. */
export interface DistributionIndex {
  policyModel: Map<string, Group>;
  model: Map<string, Group>;
  global: Map<string, Group>;
}

export function indexRows(rows: readonly DistributionRow[]): DistributionIndex {
  const index: DistributionIndex = { policyModel: new Map(), model: new Map(), global: new Map() };
  for (const r of rows) {
    addToGroup(index.policyModel, pmKey(r.policy, r.model), r.band, r);
    addToGroup(index.model, r.model, r.band, r);
    addToGroup(index.global, GLOBAL, r.band, r);
  }
  return index;
}

function quantiles(s: Sketch): Quantiles {
  return { p50: quantile(s, 0.5)!, p90: quantile(s, 0.9)!, p99: quantile(s, 0.99)! };
}

export type Prediction =
  | { basis: EstimateBasis; fallback: string | null; output: Quantiles }
  /** No distribution has enough samples; `fallback` says how many each had. */
  | { basis: null; fallback: string; output: null };

const label = (policy: string, model: string) => `(${policy || 'no policy'}, ${model || 'unknown model'})`;

/** Output-token quantiles for a request, from the most specific distribution with enough samples. */
export function predict(
  index: DistributionIndex,
  policy: string,
  model: string,
  inputTokens: number | null,
): Prediction {
  const band = inputTokens !== null && inputTokens > 0 ? bandOf(inputTokens) : null;
  const levels: [EstimateLevel, Group | undefined, string][] = [
    ['policy_model', index.policyModel.get(pmKey(policy, model)), label(policy, model)],
    ['model', index.model.get(model), `${model || 'unknown model'} under any policy`],
    ['global', index.global.get(GLOBAL), 'all requests'],
  ];
  const reasons: string[] = [];
  for (const [level, group, what] of levels) {
    const n = group?.total.count ?? 0;
    if (!group || n < MIN_SAMPLES) {
      reasons.push(`${n} samples for ${what}: fewer than ${MIN_SAMPLES}`);
      continue;
    }
    const b = band === null ? undefined : group.bands.get(band);
    const useBand = b !== undefined && b.count >= MIN_BAND_SAMPLES;
    const d = useBand ? b : group.total;
    return {
      basis: {
        level,
        policy: level === 'global' ? null : policy === '' ? null : policy,
        model: level === 'global' ? null : model,
        inputBand: useBand ? bandRange(band!) : null,
        sampleCount: d.count,
      },
      fallback: reasons.length > 0 ? reasons.join('; ') : null,
      output: quantiles(d.output),
    };
  }
  return { basis: null, fallback: reasons.join('; '), output: null };
}

/** Models with at least MIN_SAMPLES samples under `policy`, most samples first. */
export function modelsUnder(index: DistributionIndex, policy: string): string[] {
  const out: [string, number][] = [];
  for (const [key, g] of index.policyModel) {
    const [p, m] = key.split('\u0000') as [string, string];
    if (p === policy && g.total.count >= MIN_SAMPLES) out.push([m, g.total.count]);
  }
  return out.sort((a, b) => b[1] - a[1]).map(([m]) => m);
}

/**
 * The page's view of each (policy, model): quantiles, histogram, bands, and calibration over its
 * `recent` samples (newest CALIBRATION_WINDOW), each checked against the p90 predicted from the
 * log without the window, the way estimate() would have predicted it before they arrived.
 */
export function describeDistributions(
  rows: readonly DistributionRow[],
  recent: ReadonlyMap<string, readonly Sample[]>,
): TokenDistribution[] {
  const index = indexRows(rows);
  const out: TokenDistribution[] = [];
  for (const [key, g] of index.policyModel) {
    const [policy, model] = key.split('\u0000') as [string, string];
    const bands: InputBand[] = [...g.bands.entries()]
      .filter(([, d]) => d.count > 0)
      .sort((a, b) => a[0] - b[0])
      .map(([band, d]) => ({ ...bandRange(band), sampleCount: d.count, output: quantiles(d.output) }));
    out.push({
      policy: policy === '' ? null : policy,
      model,
      sampleCount: g.total.count,
      output: quantiles(g.total.output),
      ratio: quantiles(g.total.ratio),
      outputBins: binsOf(g.total.output),
      bands,
      calibration: calibrate(index, policy, model, recent.get(key) ?? []),
    });
  }
  return out.sort((a, b) => b.sampleCount - a.sampleCount);
}

function calibrate(
  index: DistributionIndex,
  policy: string,
  model: string,
  window: readonly Sample[],
): TokenDistribution['calibration'] {
  if (window.length === 0) return { window: 0, underP90: null };
  // The log as it was before the window: every level loses the window's samples.
  const before: DistributionIndex = {
    policyModel: new Map([[pmKey(policy, model), cloneGroup(index.policyModel.get(pmKey(policy, model)))]]),
    model: new Map([[model, cloneGroup(index.model.get(model))]]),
    global: new Map([[GLOBAL, cloneGroup(index.global.get(GLOBAL))]]),
  };
  for (const s of window) {
    const d = emptyDist();
    d.count = 1;
    addValue(d.output, s.outputTokens);
    addValue(d.ratio, s.outputTokens / s.inputTokens);
    const band = bandOf(s.inputTokens);
    addToGroup(before.policyModel, pmKey(policy, model), band, d, -1);
    addToGroup(before.model, model, band, d, -1);
    addToGroup(before.global, GLOBAL, band, d, -1);
  }
  let under = 0;
  for (const s of window) {
    const p = predict(before, policy, model, s.inputTokens);
    if (p.basis === null) return { window: window.length, underP90: null };
    if (s.outputTokens <= p.output!.p90) under++;
  }
  return { window: window.length, underP90: under };
}

function cloneGroup(g: Group | undefined): Group {
  const out: Group = { total: emptyDist(), bands: new Map() };
  if (!g) return out;
  addDist(out.total, g.total);
  for (const [b, d] of g.bands) {
    const c = emptyDist();
    addDist(c, d);
    out.bands.set(b, c);
  }
  return out;
}
