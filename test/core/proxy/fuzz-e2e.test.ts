// Fuzzing through a real proxy on loopback, with the fake upstream: fewer runs than the pure
// pieces get (usage/fuzz.test.ts), but every layer at once. Properties: the client gets exactly
// what the upstream sent (less, for a stream the proxy asked usage for, exactly what the filter's
// specification removes), the upstream gets exactly what the client sent (plus, where the proxy
// asks for usage, that one member), every request has exactly one row, and the proxy keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectStreamUsage, inspectRequest } from '../../../electron/core/proxy/usage';
import { FILTER_LIMITS } from '../../../electron/core/proxy/usage/chunk-filter';
import { cut, fuzzParams, offsets } from '../../helpers/fuzz';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';
import { FORMAT_PATHS, REQUEST_FORMATS, requestBody } from '../../helpers/request-fuzz';
import { referenceFilter, sseStream } from '../../helpers/sse-fuzz';

let h: Harness;
let sent = 0;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // The proxy still answers, and every request it was sent has exactly one row.
  expect(
    (
      await rawRequest(`${h.url}/v1/chat/completions`, {
        body: '{"model":"m","messages":[]}',
        headers: { 'x-correlation-id': 'after' },
      })
    ).status,
  ).toBe(200);
  const rows = await h.rows(sent + 1);
  const ids = rows.map((r) => r.correlationId);
  expect(ids).toHaveLength(sent + 1);
  expect(new Set(ids).size).toBe(sent + 1);
  await h.close();
});

const send = (path: string, body: Buffer) => {
  sent++;
  return rawRequest(`${h.url}${path}`, {
    headers: { 'content-type': 'application/json', 'x-correlation-id': `fuzz-${sent}` },
    body,
  });
};

describe('through the proxy', () => {
  it(
    'random request bodies: the upstream gets what the ' + 'client sent, the client what the upstream answered',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...REQUEST_FORMATS), requestBody, async (format, body) => {
          h.upstream.behave({});
          const path = FORMAT_PATHS[format];
          const direct = await rawRequest(`${h.upstream.url}${path}`, {
            headers: { 'content-type': 'application/json' },
            body,
          });
          const proxied = await send(path, body);
          expect(proxied.status).toBe(direct.status);
          expect(proxied.body.equals(direct.body)).toBe(true);
          // As the proxy reads it (no policy rules: the top level alone).
          const asked = inspectRequest(format, path, body, false).stream ? injectStreamUsage(format, body) : null;
          expect(h.upstream.requests.at(-1)!.body.equals(asked ?? body)).toBe(true);
        }),
        fuzzParams(40),
      );
    },
  );

  it(
    'random SSE streams from the upstream: the client ' + 'gets the filter`s specified output, in any packet split',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(sseStream({ longLine: FILTER_LIMITS.maxLineBytes }), sseStream({ longLine: 200 })),
          offsets,
          async (parts, at) => {
            const stream = Buffer.concat(parts);
            h.upstream.behave({ raw: { contentType: 'text/event-stream', pieces: cut(stream, at) } });
            // A stream request the proxy adds include_usage to, so the filter is in the path.
            const res = await send('/v1/chat/completions', Buffer.from('{"model":"m","stream":true,"messages":[]}'));
            expect(res.status).toBe(200);
            expect(res.body.equals(referenceFilter(stream, { stripNullUsage: true, limits: FILTER_LIMITS }))).toBe(
              true,
            );
          },
        ),
        fuzzParams(40),
      );
    },
  );
});
