// Calibration: on a synthetic log where output length depends on the policy and the input size,
// drawn from known distributions (seeded), the estimate's p90 covers 90 % ± 3 % of held-out requests
// and its p50 50 % ± 3 %. The training rows go through the real writer into token_distributions; the
// held-out requests are predicted the way the estimate predicts (inspect/distributions/model.ts).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { indexRows, predict, type DistributionIndex } from '../../../electron/core/inspect/distributions/model';
import { bandOf } from '../../../electron/core/storage/token-distributions';
import { makeRecord, rng, tempDir } from '../../helpers/records';

/** Standard normal by Box–Muller, from the seeded uniform source. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Output tokens given policy and input: proportional to input, independent of it, or a mix. */
const POLICIES: Record<string, (input: number, rand: () => number) => number> = {
  summarize: (input, rand) => 0.15 * input * Math.exp(0.4 * normal(rand)),
  chat: (_input, rand) => 300 * Math.exp(0.6 * normal(rand)),
  extract: (input, rand) => 20 + 0.02 * input * Math.exp(0.3 * normal(rand)),
};

interface Req {
  policy: string;
  input: number;
  output: number;
}

function draw(rand: () => number, n: number): Req[] {
  const out: Req[] = [];
  for (let i = 0; i < n; i++) {
    for (const [policy, f] of Object.entries(POLICIES)) {
      // Input sizes log-uniform from 50 to 50 000 tokens.
      const input = Math.round(Math.exp(Math.log(50) + rand() * Math.log(1000)));
      out.push({ policy, input, output: Math.max(1, Math.round(f(input, rand))) });
    }
  }
  return out;
}

let store: LogStore;
let cleanup: () => void;
let index: DistributionIndex;
const rand = rng(20261206);
const TRAIN = 6000;
const HELD_OUT = 3000;
let heldOut: Req[];

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  store = await openLogStore(join(dir, 'log.sqlite'));
  for (const r of draw(rand, TRAIN))
    store.enqueue(makeRecord({ policy: r.policy, model: 'm', inputTokens: r.input, outputTokens: r.output }));
  await store.flush();
  index = indexRows(await store.getDistributionRows());
  heldOut = draw(rand, HELD_OUT);
}, 120_000);
afterAll(async () => {
  await store.close();
  cleanup();
});

const coverage = (reqs: Req[], q: (r: Req) => number) => reqs.filter((r) => r.output <= q(r)).length / reqs.length;

describe('estimate calibration on a synthetic log', () => {
  it('p90 covers 90 % ± 3 % and p50 50 % ± 3 % of held-out requests, per policy', () => {
    for (const policy of Object.keys(POLICIES)) {
      const reqs = heldOut.filter((r) => r.policy === policy);
      const p = (r: Req) => predict(index, policy, 'm', r.input);
      expect(p(reqs[0]!).basis?.level).toBe('policy_model');
      const c90 = coverage(reqs, (r) => p(r).output!.p90);
      const c50 = coverage(reqs, (r) => p(r).output!.p50);
      expect(Math.abs(c90 - 0.9), `${policy} p90 covers ${c90}`).toBeLessThanOrEqual(0.03);
      expect(Math.abs(c50 - 0.5), `${policy} p50 covers ${c50}`).toBeLessThanOrEqual(0.03);
    }
  });

  it('conditioning on the input band is what keeps p90 right at every input size when output depends on it', () => {
    const worst = (policy: string, conditioned: boolean) => {
      const reqs = heldOut.filter((r) => r.policy === policy);
      const byBand = new Map<number, Req[]>();
      for (const r of reqs) byBand.set(bandOf(r.input), [...(byBand.get(bandOf(r.input)) ?? []), r]);
      let far = 0;
      for (const band of byBand.values()) {
        if (band.length < 300) continue;
        // Without an input size the estimate reads the whole (policy, model) distribution.
        const c = coverage(band, (r) => predict(index, policy, 'm', conditioned ? r.input : null).output!.p90);
        far = Math.max(far, Math.abs(c - 0.9));
      }
      return far;
    };
    // Output proportional to input: one p90 for all sizes misses badly at both ends; per band it holds.
    expect(worst('summarize', false)).toBeGreaterThan(0.1);
    expect(worst('summarize', true)).toBeLessThan(0.05);
    // Output independent of input: both hold.
    expect(worst('chat', false)).toBeLessThan(0.05);
    expect(worst('chat', true)).toBeLessThan(0.05);
  });
});
