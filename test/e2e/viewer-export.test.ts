// Export and the read-only viewer end to end: real Chromium against `npm run serve`. A log big
// enough for an export to take a while is exported with progress shown, one export is cancelled,
// and the exported file is opened beside the live log, browsed, and kept apart from live traffic.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRandomRows } from '../helpers/seed-log';
import { startE2e, type E2e } from './harness';

interface PageEl {
  textContent: string | null;
  getBoundingClientRect(): { left: number; bottom: number };
  closest(s: string): PageEl | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(s: string): PageEl | null;
  querySelectorAll(s: string): PageEl[];
  elementFromPoint(x: number, y: number): PageEl | null;
};

/** Rows written straight into the live log (as another process could): enough for exports to take seconds. */
const SEEDED = 150_000;

let e: E2e;
const exportFile = () => join(e.dir, 'export-2026.sqlite');

async function chat(model: string, content: string) {
  const res = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  expect(res.status).toBe(200);
  await res.text();
}

beforeAll(async () => {
  e = await startE2e();
  const db = new Database(join(e.dir, 'log.sqlite'));
  db.pragma('busy_timeout = 10000');
  seedRandomRows(db, { rows: SEEDED, seed: 11, stepMs: 1000, requestBody: (i) => `{"prompt":"seed ${i}"}` });
  db.close();
  await chat('gpt-4o-mini', 'before the export');
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

const dialog = () => e.page.getByRole('dialog', { name: 'Export log' });
const listRows = () => e.page.locator('[data-testid="request-list"] .list-row[data-key]');

describe('export with progress, and the read-only viewer', () => {
  it('shows a JSON Lines export’s progress and cancels it, leaving no file', async () => {
    await e.page.waitForSelector('[data-testid="request-list"] .list-row[data-key]');
    await e.page.getByRole('button', { name: 'Export…' }).click();
    await dialog().getByRole('combobox').first().selectOption('jsonl');
    await dialog().getByPlaceholder('/absolute/path/export.sqlite').fill(join(e.dir, 'cancelled.jsonl'));
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    // Rows written of the total, counting up.
    await e.page.waitForFunction(
      () =>
        /[1-9][\d,]* of 150,001 requests written/.test(
          document.querySelector('[data-testid="export-progress"]')?.textContent ?? '',
        ),
      null,
      { timeout: 60_000 },
    );
    await e.screenshot('20-export-progress-jsonl');
    await dialog().getByRole('button', { name: 'Cancel export' }).click();
    await dialog().getByRole('status').waitFor();
    expect(await dialog().getByRole('status').innerText()).toMatch(/cancelled; nothing was written/);
    expect(existsSync(join(e.dir, 'cancelled.jsonl'))).toBe(false);
    expect(readdirSync(e.dir).filter((n) => n.includes('partial'))).toEqual([]);
    await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  }, 120_000);

  it('exports a SQLite snapshot with progress through its phases, and says what it wrote', async () => {
    await e.page.getByRole('button', { name: 'Export…' }).click();
    await dialog().getByRole('checkbox').uncheck(); // without bodies: the copy is compacted, the slow phase
    await dialog().getByPlaceholder('/absolute/path/export.sqlite').fill(exportFile());
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await e.page.waitForFunction(
      () => /pages|compacting/.test(document.querySelector('[data-testid="export-progress"]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    await e.screenshot('21-export-progress-sqlite');
    await dialog().getByRole('status').waitFor({ timeout: 120_000 });
    expect(await dialog().getByRole('status').innerText()).toMatch(
      new RegExp(`^Exported 150,001 requests \\(.+\\) to ${exportFile()}$`),
    );
    await e.screenshot('22-export-done');
    await dialog().getByRole('button', { name: 'Close' }).click();
  }, 180_000);

  it('opens the export read-only beside the live log and browses it, with live traffic kept out', async () => {
    await e.page.getByRole('button', { name: 'Open database…' }).click();
    const open = e.page.getByRole('dialog', { name: 'Open log database' });
    await open.getByLabel('File path').fill(exportFile());
    await open.getByRole('button', { name: 'Open read-only' }).click();
    await e.page.getByRole('tab', { name: /export-2026\.sqlite \(read-only\)/ }).waitFor();
    expect(await e.page.getByRole('tab', { name: /export-2026/ }).getAttribute('aria-selected')).toBe('true');
    expect(await e.page.getByTestId('readonly-banner').innerText()).toContain(exportFile());
    await e.page.waitForFunction(
      () => /150,001/.test(document.querySelector('[data-testid="stats"]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    // No writing here: no Settings tab, no Clear logs.
    expect(await e.page.getByRole('tab', { name: 'Settings' }).count()).toBe(0);
    expect(await e.page.getByRole('button', { name: 'Clear logs…' }).count()).toBe(0);

    // A request logged now goes to the live log and never shows in the viewer. A second page on
    // Live sees it arrive, so the event has been pushed to this page too by then.
    const watcher = await e.context.newPage();
    try {
      await watcher.goto(e.uiUrl);
      await watcher.locator('[data-testid="request-list"] .list-row[data-key]').first().waitFor();
      await chat('live-while-viewing', 'after the export');
      await watcher.waitForFunction(
        () =>
          (document.querySelector('[data-testid="request-list"]')?.textContent ?? '').includes('live-while-viewing'),
        null,
        { timeout: 10_000 },
      );
    } finally {
      await watcher.close();
    }
    expect(await e.page.locator('[data-testid="request-list"]').innerText()).not.toContain('live-while-viewing');
    expect(await e.page.getByTestId('stats').innerText()).toContain('150,001');
    await listRows().first().dispatchEvent('mousedown');
    await e.page.locator('[data-testid="detail"]').waitFor();
    // the newest row: the live request from before the export
    expect(await e.page.locator('[data-testid="detail"]').innerText()).toContain('gpt-4o-mini');
    await e.screenshot('23-viewer');

    await e.page.keyboard.press('Escape');
    await e.page.getByRole('tab', { name: 'Token ratios' }).click();
    await e.page.getByTestId('ratios').waitFor();
    expect(await e.page.getByRole('button', { name: 'Rebuild' }).count()).toBe(0);
    await e.page.getByRole('tab', { name: 'Requests' }).click();

    // Live still has everything, the new request included.
    await e.page.getByRole('tab', { name: /Live/ }).click();
    await e.page.waitForFunction(
      () => (document.querySelector('[data-testid="request-list"]')?.textContent ?? '').includes('live-while-viewing'),
      null,
      { timeout: 10_000 },
    );
    expect(await e.page.getByTestId('readonly-banner').count()).toBe(0);
    expect(await e.page.getByRole('button', { name: 'Clear logs…' }).count()).toBe(1);
    await e.screenshot('24-back-to-live');
  }, 120_000);

  it('jumps to the oldest of 150 000 rows in one read, not a walk through every page before it', async () => {
    const ws: { sent: string[] } = { sent: [] };
    const listCalls = () => ws.sent.filter((f) => f.includes('"requests:list"'));
    const onSocket = (socket: WebSocket) =>
      socket.on('framesent', (f) => typeof f.payload === 'string' && ws.sent.push(f.payload));
    // The page's socket is already open: watch a fresh page's from its start.
    const page = await e.context.newPage();
    page.on('websocket', onSocket);
    try {
      await page.goto(e.uiUrl);
      const list = page.locator('[data-testid="request-list"]');
      await list.locator('.list-row[data-key]').first().waitFor();
      await page.waitForFunction(
        () => /150,00\d/.test(document.querySelector('[data-testid="stats"]')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
      const before = listCalls().length;
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      // The row at the very bottom is the oldest request: the first one seeded (id 1).
      await page.waitForFunction(
        () => {
          const r = document.querySelector('[data-testid="request-list"]')!.getBoundingClientRect();
          return (
            document
              .elementFromPoint(r.left + 40, r.bottom - 6)
              ?.closest('.list-row')
              ?.getAttribute('data-key') === 'r1'
          );
        },
        null,
        { timeout: 20_000 },
      );
      const after = listCalls().slice(before);
      // One far read (a skip), maybe a neighbour's page; walking 200-row pages would be 750 calls.
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after.length).toBeLessThanOrEqual(3);
      expect(after.some((f) => /"skip":[1-9]/.test(f))).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('refuses a file that is not a log database, saying why, in the dialog', async () => {
    const junk = join(e.dir, 'notes.txt');
    writeFileSync(junk, 'just some notes\n'.repeat(200));
    await e.page.getByRole('button', { name: 'Open database…' }).click();
    const open = e.page.getByRole('dialog', { name: 'Open log database' });
    await open.getByLabel('File path').fill(junk);
    await open.getByRole('button', { name: 'Open read-only' }).click();
    const alert = open.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/notes\.txt: is not a SQLite database/);
    await e.screenshot('25-open-refused');
    await open.getByRole('button', { name: 'Cancel' }).click();
    // Closing the viewer's tab takes it away; Live stays.
    await e.page.getByRole('button', { name: 'Close export-2026.sqlite' }).click();
    expect(await e.page.getByRole('tab', { name: /export-2026/ }).count()).toBe(0);
  }, 60_000);
});
