// @vitest-environment jsdom
// The Settings page's update switch: shown from the settings, and saved as a patch of that one
// field (the merge is the real one the core applies).
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, mergeSettings, type Settings } from '../../electron/core/contract/settings-schema';
import { maskSettings, unmaskPatch } from '../../electron/core/api/settings-secrets';
import type { Client } from '../../renderer/src/api/client';
import { SettingsPage } from '../../renderer/src/components/settings-page';
import { ClientContext } from '../../renderer/src/lib/hooks';

afterEach(cleanup);

/** A stand-in client whose settings live in memory and are merged as the core merges them. */
function settingsClient(initial: Settings) {
  let current = initial;
  const patches: unknown[] = [];
  const client = {
    // Secrets go out masked and come back resolved, as the handlers do it.
    getSettings: async () => maskSettings(current),
    // The MCP lines name the log's path (Settings ▸ MCP).
    getStatus: async () => ({ database: { path: '/data/log.sqlite', sizeBytes: 0 } }),
    updateSettings: async (patch: unknown) => {
      patches.push(patch);
      const unmasked = unmaskPatch(patch as Record<string, unknown>, current);
      if (!unmasked.ok) throw new Error(unmasked.issues[0]!.message);
      const merged = mergeSettings(current, unmasked.patch);
      if (!merged.ok) throw new Error(merged.message);
      current = merged.settings;
      return { settings: maskSettings(current), restarted: false };
    },
  } as unknown as Client;
  return { client, patches, current: () => current };
}

describe('Settings ▸ Updates', () => {
  it('is on by default, and turning it off saves updates.check = false and nothing else', async () => {
    const s = settingsClient(defaultSettings());
    render(
      <ClientContext.Provider value={s.client}>
        <SettingsPage />
      </ClientContext.Provider>,
    );
    const box = (await screen.findByLabelText(/check GitHub releases/)) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByText(/Nothing else is sent anywhere/)).toBeTruthy();
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(s.patches).toEqual([{ updates: { check: false } }]);
    expect(s.current().updates).toEqual({ check: false });
    expect(box.checked).toBe(false);
  });
});

describe('Settings ▸ OpenTelemetry export', () => {
  it('shows a stored header value masked; turning the export on keeps it, the page never holding it', async () => {
    const secret = 'Basic cGstbGYtMTIzNDpzay1sZi01Njc4OTA=';
    const s = settingsClient({
      ...defaultSettings(),
      otlp: {
        enabled: false,
        endpoint: 'https://cloud.langfuse.com/api/public/otel',
        protocol: 'http/protobuf',
        headers: { Authorization: secret },
        content: false,
        contentMaxChars: 32768,
        serviceName: 'llm-request-inspector',
      },
    });
    render(
      <ClientContext.Provider value={s.client}>
        <SettingsPage />
      </ClientContext.Provider>,
    );
    const on = (await screen.findByLabelText(/send spans over OTLP/)) as HTMLInputElement;
    expect(screen.getByLabelText('OTLP header 1 value').textContent).toBe('value set (\u2026OTA=)');
    expect(document.body.textContent).not.toContain('cGst');
    fireEvent.click(on);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(s.patches).toEqual([
      { otlp: expect.objectContaining({ enabled: true, headers: { Authorization: '\u2026OTA=' } }) },
    ]);
    expect(s.current().otlp).toMatchObject({ enabled: true, headers: { Authorization: secret } });
  });
});
