import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCore } from '../../electron/core/app-core';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';

let dir: string;
let upstream: FakeUpstream;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'core-test-'));
  upstream = await startFakeUpstream();
});
afterEach(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

it('CLI overrides apply for the run but are not written back; a user change is', async () => {
  const settingsPath = join(dir, 'settings.json');
  await writeFile(
    settingsPath,
    JSON.stringify({ port: 18080, upstreams: [{ name: 'file', baseUrl: 'http://127.0.0.1:9' }] }),
  );
  const core = await startCore({
    settingsPath,
    dbPath: join(dir, 'log.sqlite'),
    overrides: { port: 0, upstreams: [{ name: 'cli', baseUrl: upstream.url, mount: '/' }] },
  });
  try {
    const port = core.proxy.address()!.port;
    expect(port).not.toBe(18080);
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const outcome = await core.updateSettings({ policyRules: [{ keyword: 'hi', policy: 'greeting' }] });
    expect(outcome).toMatchObject({ kind: 'applied', restarted: false });
    expect(core.getSettings().policyRules).toEqual([{ keyword: 'hi', policy: 'greeting' }]);
    const onDisk = JSON.parse(await readFile(settingsPath, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({
      port: 18080,
      upstreams: [{ name: 'file', baseUrl: 'http://127.0.0.1:9' }],
      policyRules: [{ keyword: 'hi', policy: 'greeting' }],
    });
    expect(await core.updateSettings({ port: 'x' })).toMatchObject({ kind: 'invalid', issues: [{ path: ['port'] }] });
  } finally {
    await core.stop();
  }
  await expect(core.stop()).resolves.toBeUndefined();
});

it('a taken port: the core still starts (desktop) and binds once the port is changed', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const busy = (blocker.address() as { port: number }).port;
  const core = await startCore({
    settingsPath: join(dir, 'settings.json'),
    dbPath: join(dir, 'log.sqlite'),
    overrides: { port: busy },
  });
  try {
    expect(core.proxyStatus()).toMatchObject({ state: 'bind_failed', error: expect.stringMatching(/EADDRINUSE/) });
    expect(await core.updateSettings({ port: 0 })).toMatchObject({ kind: 'applied', restarted: true });
    expect(core.proxyStatus()).toMatchObject({ state: 'listening' });
  } finally {
    blocker.close();
    await core.stop();
  }
});
