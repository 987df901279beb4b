// Resend over the real core: the official OpenAI SDK sends a streamed request through the real
// proxy; the page client resends it (with a key pasted for the one send, or the upstream's key from
// settings) and the new request goes through the proxy listener like any other: it streams live,
// is logged with replay_of, and diffs against its original. The pasted key never reaches the log
// file or any event the page hears.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCore, type Core } from '../../../electron/core/app-core';
import { startUiServer, type UiServer } from '../../../electron/core/api/ui-server';
import { callNames, eventNames } from '../../../electron/core/contract/contract';
import { WS_PATH } from '../../../electron/core/contract/ws-protocol';
import { createClient, type Client } from '../../../renderer/src/api/client';
import { createWsTransport, type SocketLike } from '../../../renderer/src/api/ws-transport';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/records';
import { nextEvent } from './contract-suite';

const CLIENT_KEY = 'sk-client-key-0123456789abcdef';
const PASTED_KEY = 'sk-pasted-for-one-send-9f8e7d6c5b4a';
const SETTINGS_KEY = 'sk-settings-key-1a2b3c4d5e6f7a8b';

describe('Resend through the real proxy', () => {
  let temp: { dir: string; cleanup: () => void };
  let upstream: FakeUpstream;
  let core: Core;
  let ui: UiServer;
  let client: Client;
  /** Every event the page heard, as the JSON it arrived in. */
  let heard: string[];

  async function start(apiKey?: string) {
    temp = tempDir('inspector-resend-');
    upstream = await startFakeUpstream({ reply: 'Hello from the fake upstream', chunkDelayMs: 5 });
    const settingsFile = join(temp.dir, 'settings.json');
    const up = { name: 'openai', baseUrl: upstream.url, ...(apiKey ? { apiKey } : {}) };
    writeFileSync(settingsFile, JSON.stringify({ port: 0, upstreams: [up] }));
    core = await startCore({ settingsPath: settingsFile, dbPath: join(temp.dir, 'log.sqlite') });
    mkSite();
    ui = await startUiServer(core, { staticDir: join(temp.dir, 'site'), onError: () => {} });
    client = createClient(
      createWsTransport({
        url: `ws://127.0.0.1:${ui.port}${WS_PATH}?token=${ui.token}`,
        createSocket: (url) => new WebSocket(url, { origin: `http://127.0.0.1:${ui.port}` }) as unknown as SocketLike,
      }),
    );
    heard = [];
    for (const name of eventNames) client.on(name, (p) => heard.push(JSON.stringify(p)));
    await client.clientReady();
  }

  function mkSite() {
    const site = join(temp.dir, 'site');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html>');
  }

  afterEach(async () => {
    client.close();
    await ui.close();
    await core.stop();
    await upstream.close();
    temp.cleanup();
  });

  async function sendOriginal(): Promise<number> {
    const a = core.proxy.address()!;
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `http://127.0.0.1:${a.port}/openai/v1`, maxRetries: 0 });
    const appended = nextEvent(client, 'requestsAppended', (p) => p.rows.length > 0);
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: { 'x-trace': 'trace-1' } },
    );
    for await (const _ of stream);
    return (await appended).rows[0]!.id;
  }

  describe('the upstream has no key in settings', () => {
    beforeEach(() => start());

    it(
      'asks for a key, sends with the pasted one, streams ' +
        'live and logs the replay; the key is never stored or pushed',
      async () => {
        const id = await sendOriginal();
        const preview = await client.resendPreview({ id });
        expect(preview).toMatchObject({ needsKey: true, keyHeader: 'authorization', leftOut: ['authorization'] });

        const progress = nextEvent(client, 'requestProgress');
        const appended = nextEvent(client, 'requestsAppended', (p) => p.rows.some((r) => r.replayOf === id));
        const sent = await client.resendRequest({ id, apiKey: PASTED_KEY });
        expect(sent).toMatchObject({ replayOf: id, key: 'pasted', leftOut: ['authorization'] });
        // The reply streams into the page as it arrives, under the new request's correlation id.
        expect((await progress).id).toBe(sent.correlationId);
        const row = (await appended).rows.find((r) => r.replayOf === id)!;
        expect(row).toMatchObject({ correlationId: sent.correlationId, streaming: true, success: true, replayOf: id });
        expect(upstream.requests[1]!.headers.authorization).toBe(`Bearer ${PASTED_KEY}`);
        expect(upstream.requests[1]!.headers['x-trace']).toBe('trace-1');
        expect(upstream.requests[1]!.headers['x-inspector-replay-of']).toBeUndefined();
        expect((await client.listRequests({ filter: { query: `replay_of:${id}` } })).rows.map((r) => r.id)).toEqual([
          row.id,
        ]);

        const diff = await client.diffRequests({ a: id, b: row.id });
        expect(diff.summary.messages).toEqual({ same: 1, added: 0, removed: 0, changed: 0 });
        expect(diff.replies.b.parts[0]!.text).toBe('Hello from the fake upstream');

        await core.store.flush();
        for (const f of readdirSync(temp.dir).filter((f) => f.startsWith('log.sqlite')))
          expect(readFileSync(join(temp.dir, f)).includes(PASTED_KEY), f).toBe(false);
        expect(heard.length).toBeGreaterThan(3);
        expect(heard.some((e) => e.includes(PASTED_KEY))).toBe(false);
        expect(JSON.stringify(await client.getRequest({ id: row.id }))).not.toContain(PASTED_KEY);
        expect(callNames).toContain('resendRequest');
      },
    );
  });

  describe('the upstream has a key in settings', () => {
    beforeEach(() => start(SETTINGS_KEY));

    it('edit and resend: the edited body goes out with the configured key, and the diff shows the edit', async () => {
      const id = await sendOriginal();
      expect((await client.resendPreview({ id })).needsKey).toBe(false);
      const original = await client.getRequest({ id });
      const body = JSON.parse(original.exchange.requestBody!) as { model: string; messages: { content: string }[] };
      body.messages[0]!.content = 'hello there';
      body.model = 'gpt-4o';
      const appended = nextEvent(client, 'requestsAppended', (p) => p.rows.some((r) => r.replayOf === id));
      const sent = await client.resendRequest({ id, body: JSON.stringify(body) });
      expect(sent.key).toBe('settings');
      const row = (await appended).rows.find((r) => r.replayOf === id)!;
      expect(row.model).toBe('gpt-4o');
      expect(upstream.requests[1]!.headers.authorization).toBe(`Bearer ${SETTINGS_KEY}`);
      const diff = await client.diffRequests({ a: id, b: row.id });
      expect(diff.params.find((p) => p.name === 'model')).toMatchObject({ before: 'gpt-4o-mini', after: 'gpt-4o' });
      expect(diff.messages[0]!.op).toBe('changed');
    });
  });
});
