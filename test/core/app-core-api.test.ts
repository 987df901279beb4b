// The API over the real core (startCore): a real store, the real ProxyServer in front of the fake
// upstream, requests sent by the official OpenAI SDK, and the page's client over the real WS UI server.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventPayload } from '../../electron/core/contract/contract';
import { startCore, type Core } from '../../electron/core/app-core';
import { isApiError } from '../../electron/core/contract/errors';
import { startUiServer, type UiServer } from '../../electron/core/api/ui-server';
import { WS_PATH } from '../../electron/core/contract/ws-protocol';
import { loadSettings } from '../../electron/core/settings';
import { createClient, type Client } from '../../renderer/src/api/client';
import { createWsTransport, type SocketLike } from '../../renderer/src/api/ws-transport';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { tempDir } from '../helpers/records';
import { nextEvent } from './api/contract-suite';

describe('API over the real proxy and store', () => {
  let temp: { dir: string; cleanup: () => void };
  let upstream: FakeUpstream;
  let core: Core;
  let ui: UiServer;
  let client: Client;
  let settingsFile: string;

  beforeEach(async () => {
    temp = tempDir('inspector-api-core-');
    upstream = await startFakeUpstream({ reply: 'Hello from the fake upstream', chunkDelayMs: 5 });
    // In a folder of its own, so a test can take the folder away and make saving fail.
    mkdirSync(join(temp.dir, 'conf'));
    settingsFile = join(temp.dir, 'conf', 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ port: 0, upstreams: [{ name: 'openai', baseUrl: upstream.url }] }));
    core = await startCore({ settingsPath: settingsFile, dbPath: join(temp.dir, 'log.sqlite') });
    const site = join(temp.dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<!doctype html>');
    ui = await startUiServer(core, { staticDir: site, onError: () => {} });
    const origin = `http://127.0.0.1:${ui.port}`;
    client = createClient(
      createWsTransport({
        url: `ws://127.0.0.1:${ui.port}${WS_PATH}?token=${ui.token}`,
        createSocket: (url) => new WebSocket(url, { origin }) as unknown as SocketLike,
      }),
    );
    await client.clientReady();
  });

  afterEach(async () => {
    client.close();
    await ui.close();
    await core.stop();
    await upstream.close();
    temp.cleanup();
  });

  const proxyUrl = () => {
    const a = core.proxy.address();
    if (!a) throw new Error('proxy not listening');
    return `http://127.0.0.1:${a.port}`;
  };

  it('shows a streamed SDK request live: started, progress, appended row, detail with reassembled text', async () => {
    const started = nextEvent(client, 'requestStarted');
    const progress: EventPayload<'requestProgress'>[] = [];
    client.on('requestProgress', (p) => progress.push(p));
    const finished = nextEvent(client, 'requestFinished');
    const appended = nextEvent(client, 'requestsAppended', (p) => p.rows.length > 0);

    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${proxyUrl()}/openai/v1`, maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake upstream');

    const s = await started;
    expect(s).toMatchObject({
      method: 'POST',
      path: '/openai/v1/chat/completions',
      provider: 'openai',
      streaming: true,
    });
    const { rows } = await appended;
    expect(rows[0]).toMatchObject({ correlationId: s.id, model: 'gpt-4o-mini', streaming: true, success: true });
    expect(await finished).toEqual({ id: s.id });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.textDelta).join('')).toBe(text);

    const detail = await client.getRequest({ id: rows[0]!.id });
    expect(detail.stream?.format).toBe('openai-chat');
    expect(detail.stream?.text).toBe(text);
    expect((await client.getStatus()).proxy).toMatchObject({ state: 'listening', port: core.proxy.address()?.port });
  });

  it('pushes the status as the log changes: the page never has to ask again', async () => {
    const before = await client.getStatus();
    const grown = nextEvent(
      client,
      'statusChanged',
      (s) => s.writer.committed === before.writer.committed + 1 && s.writer.queued === 0,
    );
    const res = await fetch(`${proxyUrl()}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    await res.text();
    const after = await grown;
    expect(after.database.sizeBytes).toBe(core.store.databaseSize());
    expect(after.database.sizeBytes).toBeGreaterThanOrEqual(before.database.sizeBytes);

    // A clear changes the log without a commit: its status is pushed too, once the clear is done.
    await client.clearLogs({ confirm: true });
    const cleared = await nextEvent(client, 'statusChanged');
    expect(cleared.database.sizeBytes).toBe(core.store.databaseSize());
  });

  it(
    'moves the proxy to a new port without a restart, ' + 'saves it, and keeps the old listener when a port is taken',
    async () => {
      // A port that is certainly free right after: bind one, note it, release it.
      const probe: Server = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const freePort = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const moved = nextEvent(client, 'statusChanged', (s) => s.proxy.port === freePort);
      const result = await client.updateSettings({ port: freePort });
      expect(result).toMatchObject({ restarted: true, settings: { port: freePort } });
      expect((await moved).proxy.state).toBe('listening');
      expect((await loadSettings(settingsFile)).port).toBe(freePort);

      let failure: unknown;
      try {
        await client.updateSettings({ port: upstream.port });
      } catch (err) {
        failure = err;
      }
      expect(isApiError(failure) && failure.code).toBe('bind_failed');
      expect((await client.getStatus()).proxy.port).toBe(freePort);
      expect((await loadSettings(settingsFile)).port).toBe(freePort);
      const res = await fetch(`http://127.0.0.1:${freePort}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [] }),
      });
      expect(res.status).toBe(200);
    },
  );

  it(
    'sends secrets to the page masked; a masked value sent back keeps the stored one, which the ' +
      'proxy still injects',
    async () => {
      const key = 'sk-proj-Zx9Q2mL7vB4nK1pR8tY6wE3abcd';
      const openai = {
        name: 'openai',
        baseUrl: upstream.url,
        apiKey: key,
        headers: { 'x-portkey-api-key': 'pk-live-1234567890wxyz', 'anthropic-beta': 'caching' },
      };
      const saved = await client.updateSettings({ upstreams: [openai] });
      // Nothing the page receives holds the key: not the update's answer, not settings:get.
      for (const view of [saved.settings, await client.getSettings()]) {
        expect(JSON.stringify(view)).not.toContain(key);
        expect(JSON.stringify(view)).not.toContain('pk-live-1234567890wxyz');
        expect(view.upstreams[0]).toMatchObject({
          apiKey: 'sk-proj-\u2026abcd',
          headers: { 'x-portkey-api-key': 'pk-live-\u2026wxyz', 'anthropic-beta': 'caching' },
        });
      }
      // The form saved as shown (mask unchanged, another field edited) keeps the stored secrets.
      const shown = (await client.getSettings()).upstreams[0]!;
      await client.updateSettings({ upstreams: [{ ...shown, mount: '/oa' }] });
      const onDisk = await loadSettings(settingsFile);
      expect(onDisk.upstreams[0]).toMatchObject({
        apiKey: key,
        mount: '/oa',
        headers: { 'x-portkey-api-key': 'pk-live-1234567890wxyz' },
      });
      const res = await fetch(`${proxyUrl()}/oa/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' },
        body: JSON.stringify({ model: 'm', messages: [] }),
      });
      expect(res.status).toBe(200);
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
      // A mask that stands for no stored key is refused, not saved as the key.
      const bogus = await client
        .updateSettings({ upstreams: [{ ...shown, apiKey: 'sk-\u2026zzzz' }] })
        .catch((e: unknown) => e);
      expect(isApiError(bogus) && bogus.code).toBe('invalid_input');
      expect((await loadSettings(settingsFile)).upstreams[0]?.apiKey).toBe(key);
      // Remove: the key is gone from the file.
      await client.updateSettings({ upstreams: [{ ...shown, apiKey: undefined }] });
      expect((await loadSettings(settingsFile)).upstreams[0]?.apiKey).toBeUndefined();
    },
  );

  it(
    'a settings update that cannot be saved changes ' + 'nothing: not the settings, not the proxy, not the file',
    async () => {
      await client.updateSettings({ policyRules: [{ keyword: 'before', policy: 'kept' }] });
      const before = await client.getSettings();
      const port = core.proxy.address()?.port;
      // A real failing write: the settings file's folder is now a file, so the temp file can't be created.
      rmSync(join(temp.dir, 'conf'), { recursive: true });
      writeFileSync(join(temp.dir, 'conf'), 'not a folder');

      let failure: unknown;
      try {
        await client.updateSettings({
          upstreams: [{ name: 'other', baseUrl: upstream.url, mount: '/other' }],
          policyRules: [],
        });
      } catch (err) {
        failure = err;
      }
      expect(isApiError(failure) && failure.code).toBe('unavailable');
      expect((failure as Error).message).toMatch(/not saved.*nothing changed/i);
      expect(await client.getSettings()).toEqual(before);
      expect(core.proxy.address()?.port).toBe(port);
      // The proxy still routes by the old upstreams: /openai answers, /other is no mount.
      const post = (mount: string) =>
        fetch(`${proxyUrl()}${mount}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [] }),
        });
      expect((await post('/openai')).status).toBe(200);
      expect((await post('/other')).status).toBe(404);
    },
  );

  it(
    'opens a file read-only over the page client, and ' + 'stop() closes viewers and cancels exports, leaving no file',
    async () => {
      const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${proxyUrl()}/openai/v1`, maxRetries: 0 });
      const logged = nextEvent(client, 'requestsAppended', (p) => p.rows.length > 0);
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      await logged;
      const copy = join(temp.dir, 'copy.sqlite');
      await client.exportDatabase({ format: 'sqlite', destination: copy });
      const viewer = await client.openDatabase({ path: copy });
      expect((await client.listRequests({ source: viewer.id })).rows.map((r) => r.model)).toEqual(['gpt-4o-mini']);
      expect(await client.listDatabases()).toEqual([viewer]);

      // An export still running when the core goes away is cancelled, and its file never appears.
      const running = core.exports.run({
        source: core.store.path,
        destination: join(temp.dir, 'late.jsonl'),
        format: 'jsonl',
        filter: {},
        includeBodies: true,
        includeHeaders: true,
      });
      await core.stop();
      expect(
        await running.then(
          () => 'finished',
          (e: unknown) => (isApiError(e) ? e.code : String(e)),
        ),
      ).toBe('cancelled');
      expect(readdirSync(temp.dir).filter((n) => n.includes('late'))).toEqual([]);
      expect(core.viewers.list()).toEqual([]);
      expect(() => core.viewers.get(viewer.id)).toThrow(/No database with id/);
    },
  );
});
