import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError, isApiErrorData } from '../../../electron/core/contract/errors';
import { startUiServer, type UiServer } from '../../../electron/core/api/ui-server';
import { MAX_MESSAGE_BYTES, WS_PATH, type ServerFrame } from '../../../electron/core/contract/ws-protocol';
import { createClient } from '../../../renderer/src/api/client';
import { createWsTransport, type SocketLike } from '../../../renderer/src/api/ws-transport';
import { tempDir } from '../../helpers/records';
import { contractSuite } from './contract-suite';
import { openTestCore, type TestCore } from './test-core';

/** A built-renderer stand-in, with a file beside it (outside the root) that must stay unreachable. */
function staticDir(): { dir: string; cleanup: () => void } {
  const t = tempDir('inspector-ui-');
  const dir = join(t.dir, 'site');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>inspector</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'secret.js'), 'SECRET');
  return { dir, cleanup: t.cleanup };
}

const origin = (server: UiServer) => `http://127.0.0.1:${server.port}`;
const wsUrl = (server: UiServer, token = server.token) => `ws://127.0.0.1:${server.port}${WS_PATH}?token=${token}`;

/** Opens a raw socket; resolves once open, rejects with the refusal status. */
function rawSocket(url: string, headers: { origin?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      ...(headers.origin ? { origin: headers.origin } : {}),
      headers: headers.host ? { host: headers.host } : {},
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<ServerFrame> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerFrame)));
}

contractSuite('WebSocket', async (core, host) => {
  const files = staticDir();
  const server = await startUiServer(core, { staticDir: files.dir, handlerHost: host, onError: () => {} });
  const createSocket = (url: string) => new WebSocket(url, { origin: origin(server) }) as unknown as SocketLike;
  const client = createClient(createWsTransport({ url: wsUrl(server), createSocket }));
  const raw = await rawSocket(wsUrl(server), { origin: origin(server) });
  let nextId = 1;
  return {
    client,
    broadcast: server.broadcast,
    async rawCall(channel, input) {
      const id = nextId++;
      const reply = new Promise<ServerFrame>((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          const frame = JSON.parse(String(data)) as ServerFrame;
          if (frame.type !== 'reply' || frame.id !== id) return;
          raw.off('message', onMessage);
          resolve(frame);
        };
        raw.on('message', onMessage);
      });
      raw.send(JSON.stringify({ id, call: channel, input }));
      const frame = await reply;
      if (frame.type !== 'reply') throw new Error('unreachable');
      if (frame.ok) return frame.value;
      if (!isApiErrorData(frame.error)) throw new Error('malformed error');
      throw ApiError.fromData(frame.error);
    },
    async close() {
      client.close();
      raw.close();
      await server.close();
      files.cleanup();
    },
  };
});

describe('UI server security and robustness', () => {
  let core: TestCore;
  let server: UiServer;
  let files: { dir: string; cleanup: () => void };

  beforeEach(async () => {
    core = await openTestCore();
    files = staticDir();
    server = await startUiServer(core, { staticDir: files.dir, onError: () => {} });
  });
  afterEach(async () => {
    await server.close();
    await core.dispose();
    files.cleanup();
  });

  function get(
    path: string,
    host = `127.0.0.1:${server.port}`,
  ): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('prints a loopback URL with a random token and serves the renderer with a CSP', async () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{20,}$`));
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>inspector</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await get('/assets/app.js')).status).toBe(200);
    expect((await get('/requests/42')).body).toContain('<title>inspector</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
    for (const path of ['/../secret.js', '/..%2fsecret.js', '/%2e%2e/secret.js', '/assets/..%2f..%2fsecret.js']) {
      const res = await get(path);
      expect({ path, leaked: res.body.includes('SECRET') }).toEqual({ path, leaked: false });
    }
    expect((await get('/', `localhost:${server.port}`)).status).toBe(200);
  });

  it("on a wildcard bind, accepts this machine's names and still refuses foreign ones", async () => {
    const wide = await startUiServer(core, { host: '0.0.0.0', staticDir: files.dir, onError: () => {} });
    try {
      const at = (host: string) =>
        new Promise<number>((resolve, reject) => {
          request({ host: '127.0.0.1', port: wide.port, path: '/', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on('error', reject)
            .end();
        });
      expect(await at(`127.0.0.1:${wide.port}`)).toBe(200);
      expect(await at(`evil.example:${wide.port}`)).toBe(403);
    } finally {
      await wide.close();
    }
  });

  it('refuses a foreign Host on plain requests and on upgrades (DNS rebinding)', async () => {
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(403);
    await expect(
      rawSocket(wsUrl(server), { origin: origin(server), host: `evil.example:${server.port}` }),
    ).rejects.toThrow('status 403');
  });

  it('refuses upgrades with a foreign or missing Origin, or a wrong or missing token', async () => {
    await expect(rawSocket(wsUrl(server), { origin: 'http://evil.example' })).rejects.toThrow('status 403');
    await expect(rawSocket(wsUrl(server))).rejects.toThrow('status 403');
    await expect(rawSocket(wsUrl(server, 'wrong'), { origin: origin(server) })).rejects.toThrow('status 403');
    await expect(rawSocket(`ws://127.0.0.1:${server.port}${WS_PATH}`, { origin: origin(server) })).rejects.toThrow(
      'status 403',
    );
    const ok = await rawSocket(wsUrl(server), { origin: origin(server) });
    ok.close();
  });

  it('answers malformed and oversized frames with errors and keeps serving', async () => {
    const ws = await rawSocket(wsUrl(server), { origin: origin(server) });
    const expectError = async (send: () => void, code: string) => {
      const frame = nextFrame(ws);
      send();
      expect(await frame).toMatchObject({ type: 'reply', ok: false, error: { code } });
    };
    await expectError(() => ws.send('not json{'), 'invalid_input');
    await expectError(() => ws.send('{"call":"status:get"}'), 'invalid_input');
    await expectError(() => ws.send(JSON.stringify({ id: 7, call: 42 })), 'invalid_input');
    await expectError(() => ws.send(Buffer.from([1, 2, 3]), { binary: true }), 'invalid_input');
    await expectError(
      () =>
        ws.send(
          JSON.stringify({ id: 8, call: 'requests:list', input: { filter: { text: 'x'.repeat(MAX_MESSAGE_BYTES) } } }),
        ),
      'payload_too_large',
    );
    const ok = nextFrame(ws);
    ws.send(JSON.stringify({ id: 9, call: 'status:get' }));
    expect(await ok).toMatchObject({ type: 'reply', id: 9, ok: true });
    // Beyond the hard limit the socket is closed (1009), the server lives on.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_MESSAGE_BYTES * 4 + 1));
    expect(await closed).toBe(1009);
    const again = await rawSocket(wsUrl(server), { origin: origin(server) });
    again.close();
  });
});
