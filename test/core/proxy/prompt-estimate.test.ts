import { afterEach, expect, it } from 'vitest';
import { estimateTokens } from '../../../electron/core/proxy/usage';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const messages = [
  { role: 'system', content: 'You answer in French.' },
  { role: 'user', content: 'Summarize: the quick brown fox jumps over the lazy dog. '.repeat(20) },
];
const send = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
  }).then((res) => res.text());

it('an answer without usage has its input estimated from the whole prompt, whether or not a rule read it', async () => {
  const expected = estimateTokens(messages.map((m) => m.content).join('\n'), 'gpt-4o-mini');
  expect(expected).toBeGreaterThan(100);
  for (const policyRules of [[], [{ keyword: 'summarize', policy: 'summary' }]]) {
    h = await startHarness({ settings: { policyRules }, upstream: { usage: null } });
    await send(h.url);
    // With the policy given by header, no rule reads the prompt before forwarding either.
    await send(h.url, { 'x-inspector-policy': 'given' });
    const rows = await h.rows();
    expect(rows.map((r) => [r.inputTokens, r.tokensEstimated])).toEqual([
      [expected, true],
      [expected, true],
    ]);
    expect(rows.map((r) => r.policy)).toEqual([policyRules.length > 0 ? 'summary' : null, 'given']);
    await h.close();
    h = null;
  }
});
