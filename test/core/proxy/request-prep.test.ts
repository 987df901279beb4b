import { expect, it } from 'vitest';
import { injectKey, pickPolicy } from '../../../electron/core/proxy/request-prep';

it('injects the key where the client put its dummy, else where the API expects it', () => {
  const run = (headers: Record<string, unknown>, format: Parameters<typeof injectKey>[2], apiKeyHeader?: string) => {
    injectKey(headers, { apiKey: 'K', apiKeyHeader }, format);
    return headers;
  };
  expect(run({ 'x-api-key': 'dummy' }, 'openai-chat')).toEqual({ 'x-api-key': 'K' });
  expect(run({ authorization: 'Bearer dummy' }, 'anthropic-messages')).toEqual({ authorization: 'Bearer K' });
  expect(run({}, 'anthropic-messages')).toEqual({ 'x-api-key': 'K' });
  expect(run({}, 'gemini')).toEqual({ 'x-goog-api-key': 'K' });
  expect(run({}, 'openai-chat')).toEqual({ authorization: 'Bearer K' });
  expect(run({}, 'openai-chat', 'Api-Key')).toEqual({ 'api-key': 'K' });
  expect(run({ a: 1 }, 'unknown', undefined)).toEqual({ a: 1, authorization: 'Bearer K' });
});

it('an injected key travels alone: every key header the client sent is removed', () => {
  const run = (headers: Record<string, unknown>, format: Parameters<typeof injectKey>[2], apiKeyHeader?: string) => {
    injectKey(headers, { apiKey: 'K', apiKeyHeader }, format);
    return headers;
  };
  const all = () => ({
    authorization: 'Bearer a',
    'x-api-key': 'b',
    'x-goog-api-key': 'c',
    'api-key': 'd',
    accept: '*/*',
  });
  expect(run(all(), 'openai-chat')).toEqual({ authorization: 'Bearer K', accept: '*/*' });
  expect(run({ 'x-api-key': 'dummy', 'api-key': 'dummy' }, 'openai-chat')).toEqual({ 'x-api-key': 'K' });
  expect(run(all(), 'gemini', 'X-Goog-Api-Key')).toEqual({ 'x-goog-api-key': 'K', accept: '*/*' });
  expect(run(all(), 'openai-chat', 'x-custom-key')).toEqual({ 'x-custom-key': 'K', accept: '*/*' });
});

it('policy: header first, then the first matching rule, case-insensitively', () => {
  const rules = [
    { keyword: 'Sum', policy: 'summary' },
    { keyword: 'x', policy: 'other' },
  ];
  expect(pickPolicy(' p1 ', 'sum', rules)).toBe('p1');
  expect(pickPolicy(undefined, 'please SUMMARIZE x', rules)).toBe('summary');
  expect(pickPolicy('', 'nothing', rules)).toBeNull();
});
