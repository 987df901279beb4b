// The OpenTelemetry export in real Chromium against `serve`: the settings file turns it on toward a
// receiver that refuses connections, with a secret header. The status bar says the export is
// failing and why (pushed, no reload); Settings shows the header masked, never its value.
// Screenshotted light and dark into /tmp/shots-otel.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startE2e, type E2e } from './harness';

let e: E2e;
const SHOTS = '/tmp/shots-otel';
const SECRET = 'Basic cGstbGYtZTJlOnNrLWxmLXNlY3JldDEyMzQ=';

async function shot(name: string) {
  await e.screenshot(name);
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(SHOTS, `${name}.png`));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await closedPort();
  e = await startE2e({
    seed: async (dbPath) => {
      writeFileSync(
        join(dirname(dbPath), 'settings.json'),
        JSON.stringify({
          otlp: {
            enabled: true,
            endpoint: `http://127.0.0.1:${port}`,
            headers: { Authorization: SECRET, 'x-langfuse-ingestion-version': '4' },
            serviceName: 'alice-laptop',
          },
        }),
      );
    },
  });
}, 180_000);
afterAll(async () => {
  await e?.stop();
});

describe('OpenTelemetry export in the UI', () => {
  it('the status bar says the export is failing and why; Settings shows the headers masked', async () => {
    await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const item = e.page.getByTestId('otlp-status');
    await expect.poll(() => item.textContent(), { timeout: 20_000 }).toMatch(/OTLP failing · exported 0 · pending 1/);
    expect(await item.getAttribute('title')).toMatch(/ECONNREFUSED/);
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      await shot(`otlp-statusbar-${scheme}`);
    }
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    await e.page.getByTestId('otlp-editor').scrollIntoViewIfNeeded();
    expect(await e.page.getByLabel('OTLP header 1 value', { exact: true }).textContent()).toMatch(
      /^value set \(\u2026.{4}\)$/,
    );
    expect(await e.page.content()).not.toContain('cGstbGYt');
    for (const scheme of ['light', 'dark'] as const) {
      await e.page.emulateMedia({ colorScheme: scheme });
      await shot(`otlp-settings-${scheme}`);
    }
    await e.page.emulateMedia({ colorScheme: 'light' });
    expect(e.pageErrors()).toEqual([]);
  });
});
