import { expect, it } from 'vitest';
import {
  createRedactor,
  forwardableRequestHeaders,
  forwardableResponseHeaders,
  redactPath,
} from '../../../electron/core/proxy/headers';

it('drops hop-by-hop fields, fields named in Connection, and the policy and thread headers', () => {
  expect(
    forwardableRequestHeaders({
      connection: 'close, x-drop-me',
      'keep-alive': 'timeout=5',
      'x-drop-me': '1',
      te: 'trailers',
      'transfer-encoding': 'chunked',
      'x-inspector-policy': 'p',
      'x-inspector-thread': 't',
      'content-type': 'application/json',
      authorization: 'Bearer k',
    }),
  ).toEqual({ 'content-type': 'application/json', authorization: 'Bearer k' });
  expect(
    forwardableResponseHeaders({
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'content-encoding': 'gzip',
      'set-cookie': ['a=1'],
    }),
  ).toEqual({ 'content-encoding': 'gzip', 'set-cookie': ['a=1'] });
  // Connection values are case-insensitive tokens; a lone `close` names no other field.
  expect(forwardableResponseHeaders({ connection: 'Keep-Alive, X-Hop', 'x-hop': '1', 'x-keep': '2' })).toEqual({
    'x-keep': '2',
  });
  expect(forwardableRequestHeaders({ connection: 'Close', 'content-length': '2' })).toEqual({ 'content-length': '2' });
});

it('redacts the built-in secret headers and configured extras, keeping a short fingerprint of long values', () => {
  const redact = createRedactor(['X-Team-Token']);
  expect(
    redact({
      authorization: 'Bearer sk-abcdefghijklmnop1234',
      'x-api-key': 'short',
      'set-cookie': ['a=1', 'b=2'],
      'x-team-token': 't',
      'x-goog-api-key': 'g',
      accept: '*/*',
    }),
  ).toEqual({
    authorization: 'Bearer [redacted …1234]',
    'x-api-key': '[redacted]',
    'set-cookie': ['[redacted]', '[redacted]'],
    'x-team-token': '[redacted]',
    'x-goog-api-key': '[redacted]',
    accept: '*/*',
  });
});

it(
  'redacts by default any header whose name says key, token, secret or auth; rate-limit token counts ' +
    'stay readable',
  () => {
    const redact = createRedactor([]);
    const secret = 'pk-live-0123456789abcdefWXYZ';
    const secrets = [
      'x-portkey-api-key',
      'x-auth-token',
      'x-client-secret',
      'openai-api-key',
      'x-amz-security-token',
      'x-ratelimit-token',
      'apikey',
      'X-Custom-Authn',
    ];
    const out = redact(Object.fromEntries([...secrets, 'accept'].map((n) => [n, secret])));
    for (const name of secrets) expect(out[name.toLowerCase()], name).toBe('[redacted …WXYZ]');
    expect(out.accept).toBe(secret);
    const limits = {
      'x-ratelimit-remaining-tokens': '149984',
      'anthropic-ratelimit-input-tokens-limit': '400000',
      'x-ratelimit-reset-tokens': '6ms',
    };
    expect(redact(limits)).toEqual(limits);
  },
);

it('keeps the scheme of Authorization values, so a copied request still says Bearer', () => {
  const redact = createRedactor([]);
  expect(
    redact({
      authorization: 'Basic dXNlcjpwYXNzd29yZDEyMzQ1Ng==',
      'proxy-authorization': 'Bearer t',
      'x-api-key': 'Bearer sk-abcdefghijklmnop1234',
    }),
  ).toEqual({
    authorization: 'Basic [redacted …Ng==]',
    'proxy-authorization': 'Bearer [redacted]',
    'x-api-key': '[redacted …1234]',
  });
  // A first word that is no scheme may be the key itself: the whole value goes.
  expect(redact({ authorization: 'sk-proj-abcdefghijklmnop1234 extra' })).toEqual({
    authorization: '[redacted …xtra]',
  });
  expect(redact({ authorization: 'bearer sk-abcdefghijklmnop1234' })).toEqual({
    authorization: 'bearer [redacted …1234]',
  });
});

it('redacts key-bearing query parameters in the logged path', () => {
  expect(redactPath('/v1beta/models/g:generateContent?key=AIzaSecretSecretSecret99&alt=sse')).toBe(
    '/v1beta/models/g:generateContent?key=%5Bredacted+%E2%80%A6et99%5D&alt=sse',
  );
  expect(redactPath('/v1/chat/completions')).toBe('/v1/chat/completions');
});
