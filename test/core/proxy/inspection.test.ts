// Inspection (reading the request, usage, the capture, the usage-chunk filter, progress events,
// building the row) must never break an exchange: a throw anywhere in it costs that exchange's
// figures, never its bytes, its row, or the process. Each step is made to throw in turn.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as RequestModule from '../../../electron/core/proxy/usage/request';
import type * as InjectModule from '../../../electron/core/proxy/usage/inject';
import type * as ObserverModule from '../../../electron/core/proxy/usage/observer';
import type * as TapModule from '../../../electron/core/proxy/response-tap';
import type * as JsonScanModule from '../../../electron/core/proxy/usage/json-scan';
import type * as CostModule from '../../../electron/core/proxy/usage/cost';
import { rawRequest } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

const inject = vi.hoisted(() => ({ step: null as string | null }));
function maybeThrow(step: string): void {
  if (inject.step === step) throw new RangeError(`injected failure in ${step}`);
}

vi.mock('../../../electron/core/proxy/usage/request', async (load) => {
  const m = await load<typeof RequestModule>();
  return {
    ...m,
    inspectRequest: (...a: Parameters<typeof m.inspectRequest>) => (maybeThrow('request'), m.inspectRequest(...a)),
  };
});
vi.mock('../../../electron/core/proxy/usage/inject', async (load) => {
  const m = await load<typeof InjectModule>();
  return {
    ...m,
    injectStreamUsage: (...a: Parameters<typeof m.injectStreamUsage>) => (
      maybeThrow('include_usage'),
      m.injectStreamUsage(...a)
    ),
  };
});
vi.mock('../../../electron/core/proxy/usage/observer', async (load) => {
  const m = await load<typeof ObserverModule>();
  return {
    ...m,
    createResponseObserver: (...a: Parameters<typeof m.createResponseObserver>) => {
      const o = m.createResponseObserver(...a);
      return {
        write: (chunk: Buffer) => (maybeThrow('usage'), o.write(chunk)),
        drainProgress: () => (maybeThrow('progress'), o.drainProgress()),
        end: (body?: string) => (maybeThrow('usage end'), o.end(body)),
      };
    },
  };
});
vi.mock('../../../electron/core/proxy/response-tap', async (load) => {
  const m = await load<typeof TapModule>();
  return {
    ...m,
    createResponseTap: (...a: Parameters<typeof m.createResponseTap>) => {
      const t = m.createResponseTap(...a);
      return { write: (chunk: Buffer) => (maybeThrow('capture'), t.write(chunk)), end: () => t.end() };
    },
  };
});
vi.mock('../../../electron/core/proxy/usage/json-scan', async (load) => {
  const m = await load<typeof JsonScanModule>();
  // Only for the stream filter's scan of a chunk (the request rewrite scans the request body).
  return {
    ...m,
    scanObject: (text: string, from?: number) => (
      text.startsWith('{"usage":null') && maybeThrow('usage filter'),
      m.scanObject(text, from)
    ),
  };
});
vi.mock('../../../electron/core/proxy/usage/cost', async (load) => {
  const m = await load<typeof CostModule>();
  return { ...m, computeCost: (...a: Parameters<typeof m.computeCost>) => (maybeThrow('row'), m.computeCost(...a)) };
});

let h: Harness;
afterEach(async () => {
  inject.step = null;
  await h.close();
});

const chatBody = (stream: boolean) =>
  JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] });
const post = (url: string, body: string) =>
  rawRequest(`${url}/v1/chat/completions`, { headers: { 'content-type': 'application/json' }, body });

// A chunk with "usage":null first takes the filter's slow path, which scans the chunk's JSON.
const usageFirst =
  'data: {"usage":null,"id":"c","object":"chat.completion.chunk","choices":[{"index":0,' +
  '"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\n';
const usageChunk =
  'data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,' +
  '"completion_tokens":1,"total_tokens":4}}\n\n';

describe('a throw in any inspection step costs only that inspection', () => {
  // The step made to throw, the note's name for it, and which of [plain, streamed] requests reach it.
  const steps: [string, string, [boolean, boolean]][] = [
    ['request', 'request', [true, true]],
    ['include_usage', 'include_usage', [false, true]],
    ['usage', 'usage', [true, true]],
    ['usage end', 'usage', [true, true]],
    ['progress', 'progress', [false, true]],
    ['capture', 'capture', [true, true]],
    ['usage filter', 'usage filter', [false, true]],
    ['row', 'row', [true, true]],
  ];
  for (const [step, note, reached] of steps) {
    it(`${step}: the client gets every byte the upstream sent, and the request its row with a note`, async () => {
      // The filter's slow path needs a chunk the fake's own streams never send.
      const raw =
        step === 'usage filter'
          ? { contentType: 'text/event-stream', pieces: [usageFirst, usageChunk, 'data: [DONE]\n\n'] }
          : undefined;
      h = await startHarness({ upstream: { chunkDelayMs: 1, raw } });
      // The same requests straight to the upstream, without the include_usage the proxy adds: what the client must get.
      const expected = [await post(h.upstream.url, chatBody(false)), await post(h.upstream.url, chatBody(true))];
      inject.step = step;
      const got = [await post(h.url, chatBody(false)), await post(h.url, chatBody(true))];
      for (const [i, res] of got.entries()) {
        expect(res.status).toBe(200);
        expect(res.body.toString()).toBe(expected[i]!.body.toString());
      }
      const rows = await h.rows();
      expect(rows.map((r) => [r.status, r.success])).toEqual([
        [200, true],
        [200, true],
      ]);
      expect(
        rows.map(
          (r) => r.errorMessage?.startsWith(`inspection failed (${note}): injected failure in ${step}`) ?? false,
        ),
      ).toEqual(reached);
    });
  }
});

describe('hostile upstream streams', () => {
  it('400 KB of comment lines before the usage chunk: streamed through unchanged, process up, one row', async () => {
    const flood = ':\n'.repeat(200_000);
    const content =
      'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},' +
      '"finish_reason":"stop"}],"usage":null}\n\n';
    h = await startHarness({
      upstream: { raw: { contentType: 'text/event-stream', pieces: [flood, content, usageChunk, 'data: [DONE]\n\n'] } },
    });
    const res = await post(h.url, chatBody(true));
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(flood + content.replace(',"usage":null', '') + 'data: [DONE]\n\n');
    const [row] = await h.rows();
    expect(row).toMatchObject({ success: true, inputTokens: 3, outputTokens: 1, errorMessage: null });
  });

  it('a chunk whose JSON the filter cannot scan passes through as sent', async () => {
    // "usage":null first, so the fast path misses; then a key with an escape JSON does not allow.
    const odd = 'data: {"usage":null,"choices":[{"index":0,"delta":{"content":"x"}}],"\\q":1}\n\n';
    h = await startHarness({
      upstream: { raw: { contentType: 'text/event-stream', pieces: [odd, 'data: [DONE]\n\n'] } },
    });
    const res = await post(h.url, chatBody(true));
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(odd + 'data: [DONE]\n\n');
    expect(await h.rows()).toHaveLength(1);
  });
});

describe('implausible usage from the upstream', () => {
  it('completion_tokens: 1e200 -> the row is written, the reported count is dropped and the row says why', async () => {
    h = await startHarness({ upstream: { usage: { input: 12, output: 1e200 } } });
    for (const stream of [false, true]) expect((await post(h.url, chatBody(stream))).status).toBe(200);
    const rows = await h.rows();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // A count not kept is a count not reported: estimated from the answer's text, and flagged so.
      expect(row).toMatchObject({ success: true, inputTokens: 12, outputTokens: 6, tokensEstimated: true });
      expect(row.errorMessage).toMatch(/completion_tokens = 1e\+200 is not a plausible token count and was not kept/);
    }
    expect(h.store.getTokenRatios()).toMatchObject([{ sampleCount: 2, avgRatio: 0.5 }]);
  });
});
