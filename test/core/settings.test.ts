import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultSettings,
  isSettingsFileError,
  loadSettings,
  mergeSettings,
  saveSettings,
  type Settings,
} from '../../electron/core/settings';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const complete = {
  host: '127.0.0.1',
  port: 8080,
  upstreams: [
    {
      name: 'openai',
      baseUrl: 'https://api.openai.com',
      mount: '/',
      apiKey: 'sk-...',
      priceOverrides: { 'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 } },
    },
    {
      name: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
    },
  ],
  policyRules: [{ keyword: 'summarize', policy: 'summary' }],
  captureMaxBytes: 1048576,
  redactHeaders: ['x-team-token'],
  allowedOrigins: ['http://localhost:5173'],
  injectStreamUsage: true,
};

async function loadError(file: string): Promise<string> {
  try {
    await loadSettings(file);
  } catch (error) {
    expect(isSettingsFileError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadSettings', () => {
  it('a missing file means defaults', async () => {
    expect(await loadSettings(join(dir, 'nope.json'))).toEqual(defaultSettings());
    expect(defaultSettings()).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      captureMaxBytes: 2 * 1024 * 1024,
      injectStreamUsage: true,
      upstreams: [],
    });
  });

  it('reads the README example', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, JSON.stringify(complete));
    expect(await loadSettings(file)).toMatchObject(complete);
  });

  it('an invalid file names the file, the field and why, and is never overwritten', async () => {
    const file = join(dir, 'settings.json');
    const text = JSON.stringify({
      ...complete,
      port: 70000,
      upstreams: [
        { name: 'x', baseUrl: 'ftp://nope' },
        { name: 'y', baseUrl: 'http://a', mount: '/x' },
        { name: 'x', baseUrl: 'http://b' },
      ],
    });
    await writeFile(file, text);
    const message = await loadError(file);
    expect(message).toContain(file);
    expect(message).toMatch(/^port: .*65535/m);
    expect(message).toMatch(/^upstreams\[0\]\.baseUrl: must be an http\(s\) URL/m);
    expect(message).toMatch(/^upstreams\[2\]\.mount: mount \/x is already used by upstreams\[1\]/m);
    expect(message).toMatch(/^upstreams\[2\]\.name: name "x" is already used/m);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('unknown fields and broken JSON are errors too', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"prot": 1}');
    expect(await loadError(file)).toMatch(/prot/);
    await writeFile(file, '{"port": 1,');
    expect(await loadError(file)).toMatch(/not valid JSON/);
  });
});

describe('saveSettings', () => {
  it('writes atomically (no temp file left) and round-trips', async () => {
    const file = join(dir, 'nested', 'settings.json');
    const settings: Settings = { ...defaultSettings(), port: 9000 };
    await saveSettings(file, settings);
    await saveSettings(file, { ...settings, port: 9001 });
    expect((await loadSettings(file)).port).toBe(9001);
    expect(await readdir(join(dir, 'nested'))).toEqual(['settings.json']);
  });
});

describe('mergeSettings', () => {
  it('applies a valid patch and reports an invalid one by field', () => {
    const base = defaultSettings();
    expect(mergeSettings(base, { port: 9090 })).toEqual({ ok: true, settings: { ...base, port: 9090 } });
    expect(mergeSettings(base, { allowedOrigins: ['http://x/path'] })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^allowedOrigins\[0\]: must be an origin/),
    });
    expect(mergeSettings(base, null)).toMatchObject({ ok: false });
  });
});
