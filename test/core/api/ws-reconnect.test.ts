// The browser transport across a server restart: the page hears 'closed' then 'open', calls
// made while down go out on reconnect, and the new server session is told the page is ready
// without the page asking again (else the event below would stay queued and the test time out).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startUiServer, type UiServer } from '../../../electron/core/api/ui-server';
import { WS_PATH } from '../../../electron/core/contract/ws-protocol';
import type { ConnectionState } from '../../../renderer/src/api/transport';
import { createClient, type Client } from '../../../renderer/src/api/client';
import { createWsTransport, type SocketLike } from '../../../renderer/src/api/ws-transport';
import { tempDir } from '../../helpers/records';
import { nextEvent } from './contract-suite';
import { openTestCore, type TestCore } from './test-core';

describe('WebSocket transport reconnects', () => {
  let core: TestCore;
  let files: { dir: string; cleanup: () => void };
  let server: UiServer;
  let client: Client;
  const token = 'fixed-token-for-the-restart-test';

  const start = (port = 0) => startUiServer(core, { port, token, staticDir: files.dir, onError: () => {} });

  beforeEach(async () => {
    core = await openTestCore();
    files = tempDir('inspector-ws-');
    mkdirSync(join(files.dir, 'site'));
    writeFileSync(join(files.dir, 'site', 'index.html'), '<!doctype html>');
    files.dir = join(files.dir, 'site');
    server = await start();
    const origin = `http://127.0.0.1:${server.port}`;
    client = createClient(
      createWsTransport({
        url: `ws://127.0.0.1:${server.port}${WS_PATH}?token=${token}`,
        createSocket: (url) => new WebSocket(url, { origin }) as unknown as SocketLike,
        backoffMs: 20,
        maxBackoffMs: 100,
      }),
    );
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await core.dispose();
    files.cleanup();
  });

  function nextState(want: ConnectionState): Promise<void> {
    return new Promise((resolve) => {
      const off = client.onConnection((state) => {
        if (state !== want) return;
        off();
        resolve();
      });
    });
  }

  it('survives a server restart on the same port and resumes events without a second clientReady', async () => {
    await client.clientReady();
    const port = server.port;
    const closed = nextState('closed');
    await server.close();
    await closed;

    // A call made while down waits for the connection instead of failing.
    const status = client.getStatus();
    const reopened = nextState('open');
    server = await start(port);
    await reopened;
    expect((await status).proxy.state).toBe('listening');

    const menu = nextEvent(client, 'menuCommand');
    server.broadcast('menuCommand', 'settings');
    expect(await menu).toBe('settings');
  });
});
