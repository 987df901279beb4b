// Issue 13: an upstream API key is written by the page, never read back. Typed into Settings, it
// is saved to the file and injected by the proxy, while the page only ever shows "key set (…abcd)";
// Replace and Remove work from there, and saving other fields keeps the stored key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

let e: E2e;
beforeAll(async () => {
  e = await startE2e();
}, 180_000);
afterAll(async () => {
  await e?.stop();
});

const KEY = 'sk-proj-e2eSecretValue0123456789abcd';
const NEW_KEY = 'sk-proj-e2eReplacement9876543210wxyz';
const onDisk = () =>
  JSON.parse(readFileSync(join(e.dir, 'settings.json'), 'utf8')) as {
    captureMaxBytes?: number;
    upstreams: { apiKey?: string }[];
  };
const fileKey = () => onDisk().upstreams[0]?.apiKey;

/** Saves and waits for the file to say `done`: the "Saved." banner of the save before looks the same. */
async function save(done: () => boolean): Promise<void> {
  await e.page.getByRole('button', { name: 'Save settings' }).click();
  await expect
    .poll(() => {
      try {
        return done();
      } catch {
        return false;
      }
    })
    .toBe(true);
}

async function injectedKey(): Promise<string | undefined> {
  const res = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  return String(e.upstream.requests.at(-1)?.headers.authorization);
}

describe('API keys in Settings', () => {
  it('are masked on the page, kept when other fields are saved, replaced and removed', async () => {
    const answers: string[] = [];
    e.page.on('websocket', (ws) => ws.on('framereceived', (f) => answers.push(String(f.payload))));
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    await e.page.getByLabel('Upstream 1 API key').fill(KEY);
    await save(() => fileKey() === KEY);
    const shown = e.page.getByLabel('Upstream 1 API key');
    await e.page.locator('.key-set', { hasText: 'key set (sk-proj-\u2026abcd)' }).waitFor();
    expect(fileKey()).toBe(KEY);
    expect(await injectedKey()).toBe(`Bearer ${KEY}`);
    await e.screenshot('settings-key-set');

    // Another field saved with the form as shown: the stored key stays.
    await e.page.locator('#s-cap').fill('1048576');
    await save(() => onDisk().captureMaxBytes === 1048576);
    expect(fileKey()).toBe(KEY);

    // After a reload the page still has nothing but the mask.
    await e.page.reload();
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    await e.page.locator('.key-set', { hasText: '\u2026abcd' }).waitFor();
    expect(await e.page.content()).not.toContain(KEY);

    await e.page.getByRole('button', { name: 'Replace upstream 1 API key' }).click();
    await shown.fill(NEW_KEY);
    await save(() => fileKey() === NEW_KEY);
    await e.page.locator('.key-set', { hasText: '\u2026wxyz' }).waitFor();
    expect(fileKey()).toBe(NEW_KEY);
    expect(await injectedKey()).toBe(`Bearer ${NEW_KEY}`);

    await e.page.getByRole('button', { name: 'Remove upstream 1 API key' }).click();
    await save(() => fileKey() === undefined);
    expect(fileKey()).toBeUndefined();
    expect(await injectedKey()).toBe('Bearer dummy');
    // Nothing the server sent the page over its WebSocket ever held a key.
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) expect(a.includes(KEY) || a.includes(NEW_KEY)).toBe(false);
    expect(e.pageErrors()).toEqual([]);
  });
});
