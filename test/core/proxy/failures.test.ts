// Every way a request can end badly still yields exactly one row that says what happened,
// and the client gets a clear answer (or a cut stream) instead of a hang.
import Anthropic from '@anthropic-ai/sdk';
import type { Socket } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { sendThenDrop } from '../../helpers/http';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const claude = {
  model: 'claude-sonnet-4-20250514',
  max_tokens: 50,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

async function errorOf(promise: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; message: string };
  }
  throw new Error('expected a failure');
}

describe('upstream errors', () => {
  it('4xx: the client sees the upstream error; the row has error_status and its message', async () => {
    h = await startHarness({ upstream: { status: 400, errorMessage: 'model does not exist' } });
    const client = (url: string) => new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 });
    const direct = await errorOf(client(h.upstream.url).chat.completions.create(chat));
    const proxied = await errorOf(client(h.url).chat.completions.create(chat));
    expect([proxied.status, proxied.message]).toEqual([direct.status, direct.message]);
    const [row] = await h.rows();
    expect(row).toMatchObject({
      status: 400,
      success: false,
      errorStatus: 400,
      errorMessage: 'model does not exist',
      model: 'gpt-4o-mini',
      inputTokens: null,
      outputTokens: null,
    });
  });

  it('5xx from Anthropic: same error through the proxy', async () => {
    h = await startHarness({ upstream: { status: 529, errorMessage: 'Overloaded' } });
    const client = (url: string) => new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0 });
    const proxied = await errorOf(client(h.url).messages.create(claude));
    expect(proxied.status).toBe(529);
    expect(proxied.message).toContain('Overloaded');
    const [row] = await h.rows();
    expect(row).toMatchObject({ status: 529, success: false, errorStatus: 529, errorMessage: 'Overloaded' });
  });
});

describe('upstream unreachable or silent', () => {
  it('down: 502 JSON error naming the upstream; row says unreachable', async () => {
    h = await startHarness();
    await h.upstream.close();
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('upstream_unreachable');
    expect(body.error.message).toMatch(/fake unreachable.*ECONNREFUSED/);
    const [row] = await h.rows();
    expect(row).toMatchObject({ status: 502, success: false, errorStatus: 502, model: 'gpt-4o-mini' });
    expect(row?.errorMessage).toMatch(/ECONNREFUSED/);
  });

  it('silent past the idle timeout: 504', async () => {
    h = await startHarness({ settings: { upstreamIdleTimeoutMs: 1000 }, upstream: { delayMs: 3000 } });
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) });
    expect(res.status).toBe(504);
    const [row] = await h.rows();
    expect(row).toMatchObject({ status: 504, errorStatus: 504, success: false });
    expect(row?.errorMessage).toMatch(/did not answer within 1000 ms/);
    // The silent upstream request was cancelled, not left running.
    expect(await h.upstream.requests[0]?.closed).toEqual({ clientDisconnected: true });
  });
});

describe('cut streams', () => {
  it('upstream reset mid-stream: the client stream fails; the row keeps the counts seen so far', async () => {
    h = await startHarness({ upstream: { resetAfterChunks: 4, chunkDelayMs: 20, usage: { input: 40, output: 9 } } });
    const client = new Anthropic({ apiKey: 'k', baseURL: h.url, maxRetries: 0 });
    const seen: string[] = [];
    const failure = await errorOf(
      (async () => {
        for await (const event of await client.messages.create({ ...claude, stream: true })) seen.push(event.type);
      })(),
    );
    expect(failure.message).toBeTruthy();
    expect(seen[0]).toBe('message_start');
    const [row] = await h.rows();
    expect(row).toMatchObject({
      status: 200,
      success: false,
      errorStatus: 502,
      streaming: true,
      inputTokens: 40,
      tokensEstimated: false,
    });
    expect(row?.errorMessage).toMatch(/^upstream .*(mid-response|before the response was complete)/);
    // Absent counts stay null (never 0); message_start's running output count may be there.
    expect([null, 1]).toContain(row?.outputTokens);
  });

  it('client aborts mid-stream: the upstream sees the disconnect; the row keeps bytes so far', async () => {
    h = await startHarness({ upstream: { chunkDelayMs: 30, repeat: 50 } });
    const controller = new AbortController();
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    expect(await h.upstream.requests[0]?.closed).toEqual({ clientDisconnected: true });
    const [row] = await h.rows();
    expect(row).toMatchObject({ status: 200, success: false, errorStatus: null, streaming: true });
    expect(row?.errorMessage).toMatch(/client aborted mid-response/);
    expect(row?.responseBytes).toBeGreaterThan(0);
    expect(h.store.getRequest(row!.id)?.exchange.responseBody).toContain('chat.completion.chunk');
  });

  it('a client that leaves after the final event of a complete stream is a success', async () => {
    h = await startHarness({ upstream: { chunkDelayMs: 20 } });
    const controller = new AbortController();
    const res = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ ...claude, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('message_delta')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const [row] = await h.rows();
    expect(row).toMatchObject({ success: true, finishReason: 'end_turn', errorMessage: null });
  });
});

describe('hostile upstreams', () => {
  it('a status code Node refuses to send (099) becomes a 502, not a crash', async () => {
    const { createServer } = await import('node:net');
    const raw = createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 099 Weird\r\ncontent-length: 2\r\n\r\nok'));
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => raw.once('listening', resolve));
    h = await startHarness();
    try {
      await h.proxy.reconfigure({
        ...h.settings,
        upstreams: [
          { name: 'weird', baseUrl: `http://127.0.0.1:${(raw.address() as { port: number }).port}`, mount: '/' },
        ],
      });
      const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('proxy_error');
      // Still serving.
      await h.proxy.reconfigure(h.settings);
      expect((await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(200);
      const rows = await h.rows();
      expect(rows.map((r) => r.status)).toEqual([502, 200]);
      expect(rows[0]?.errorMessage).toMatch(/^proxy error: /);
    } finally {
      raw.close();
    }
  });
});

describe('client aborts at every phase', () => {
  const head = (path: string, length: number) =>
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

  it('during the headers: nothing to log, and the proxy keeps serving', async () => {
    h = await startHarness();
    await sendThenDrop(h.port, 'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-ty');
    expect((await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) })).status).toBe(
      200,
    );
    expect((await h.rows()).map((r) => r.status)).toEqual([200]);
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('mid-body, below the capture cap: one row saying the body failed; nothing forwarded', async () => {
    h = await startHarness();
    await sendThenDrop(h.port, head('/v1/chat/completions', 100_000), 30_000);
    const [row] = await h.rows(1);
    expect(row).toMatchObject({
      status: null,
      success: false,
      errorMessage: 'client request body failed: aborted',
      requestBytes: 30_000,
    });
    expect(h.upstream.requests).toHaveLength(0);
  });

  it(
    'mid-body, above the capture cap (10 MiB announced, 3 MiB sent): the process stays up and the ' +
      'request gets its row',
    async () => {
      h = await startHarness();
      await sendThenDrop(h.port, head('/echo', 10 * 1024 * 1024), 3 * 1024 * 1024);
      const [row] = await h.rows(1);
      expect(row).toMatchObject({ status: null, success: false, errorMessage: 'client request body failed: aborted' });
      expect(row?.requestBytes).toBe(3 * 1024 * 1024);
      // Still serving.
      expect((await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) })).status).toBe(
        200,
      );
      expect((await h.rows()).map((r) => r.status)).toEqual([null, 200]);
    },
  );
});

describe('upstream resets at every phase', () => {
  /** A raw TCP upstream: `onRequest` gets the socket once the request's head has arrived. */
  async function rawUpstream(onRequest: (socket: Socket) => void): Promise<{ url: string; close: () => void }> {
    const { createServer } = await import('node:net');
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        if (head.includes('\r\n\r\n')) return;
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) onRequest(socket);
      });
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
  }

  async function through(onRequest: (socket: Socket) => void, body = JSON.stringify({ ...chat, stream: true })) {
    const raw = await rawUpstream(onRequest);
    h = await startHarness();
    await h.proxy.reconfigure({ ...h.settings, upstreams: [{ name: 'raw', baseUrl: raw.url, mount: '/' }] });
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body }).then(
      async (r) => ({ status: r.status, text: await r.text().catch((e: Error) => `cut: ${e.message}`) }),
      (e: Error) => ({ status: 0, text: `failed: ${e.message}` }),
    );
    // Still serving: a normal upstream answers through the same proxy.
    await h.proxy.reconfigure(h.settings);
    expect((await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) })).status).toBe(
      200,
    );
    const rows = await h.rows();
    raw.close();
    expect(rows).toHaveLength(2);
    return { res, row: rows[0]! };
  }

  it('before the response headers: the client gets a 502 naming the reset; the row says so', async () => {
    const { res, row } = await through((socket) => socket.resetAndDestroy());
    expect(res.status).toBe(502);
    expect(row).toMatchObject({ status: 502, errorStatus: 502, success: false, provider: 'raw' });
    expect(row.errorMessage).toMatch(/raw unreachable: (ECONNRESET|.*socket hang up)/);
  });

  it('mid-body of a plain response: the client response is cut; the row has the status and says it broke', async () => {
    const { res, row } = await through((socket) => {
      socket.write(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"id":"x","choices":[',
      );
      setImmediate(() => socket.resetAndDestroy());
    }, JSON.stringify(chat));
    expect(res.text).toMatch(/^(cut|failed): /);
    expect(row).toMatchObject({ status: 200, errorStatus: 502, success: false, streaming: false });
    expect(row.errorMessage).toMatch(/^upstream .*(mid-response|before the response was complete)/);
    expect(row.responseBytes).toBeGreaterThan(0);
  });

  it(
    'while the client is still uploading a body above the ' + 'read-ahead: a 502, the row, and nothing left hanging',
    async () => {
      const big = JSON.stringify({ ...chat, messages: [{ role: 'user', content: 'x'.repeat(3 * 1024 * 1024) }] });
      const { res, row } = await through((socket) => socket.resetAndDestroy(), big);
      expect(res.status).toBe(502);
      expect(row).toMatchObject({
        status: 502,
        errorStatus: 502,
        success: false,
        provider: 'raw',
        model: 'gpt-4o-mini',
      });
      expect(row.errorMessage).toMatch(/^raw unreachable: (ECONNRESET|EPIPE)/);
    },
  );
});
