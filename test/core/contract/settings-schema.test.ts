import { expect, it } from 'vitest';
import { formatIssues, settingsSchema } from '../../../electron/core/contract/settings-schema';

const upstream = { name: 'u', baseUrl: 'https://api.example.com' };
const problems = (patch: object) => {
  const r = settingsSchema.safeParse({ upstreams: [{ ...upstream, ...patch }] });
  return r.success ? null : formatIssues(r.error);
};

it('refuses header values that are not one line of header text: no CR/LF header injection through settings', () => {
  expect(problems({ headers: { 'x-team': 'a\r\nx-injected: 1' } })).toMatch(
    /^upstreams\[0\]\.headers\.x-team: .*CR, LF/,
  );
  expect(problems({ headers: { 'x-team': 'a\nb' } })).toMatch(/CR, LF/);
  expect(problems({ headers: { 'x-team': 'nul\u0000' } })).toMatch(/control characters/);
  expect(problems({ apiKey: 'sk-1\r\nx-evil: 1' })).toMatch(/^upstreams\[0\]\.apiKey: .*CR, LF/);
  expect(problems({ apiKeyHeader: 'x-key\r\nx-evil' })).toMatch(
    /^upstreams\[0\]\.apiKeyHeader: not a valid HTTP header name/,
  );
  // Ordinary values, tabs and Latin-1 text are fine.
  expect(
    problems({
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'x-note': 'a\tb café' },
      apiKey: 'sk-proj-abc_DEF-123',
    }),
  ).toBeNull();
});
