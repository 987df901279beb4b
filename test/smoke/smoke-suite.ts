// The smoke test of the app, written once and driven through two launchers: the real Electron app
// (`npm run test:electron`, against the build or the packaged app; see electron-app.smoke.ts) and
// `npm run serve` in Chromium (test/e2e/smoke.test.ts, part of `npm test`). Each step is what a
// user does on a first start: the window loads cleanly under its CSP, a request sent with the
// official OpenAI SDK shows up, the log is exported, the proxy port is changed in Settings, and
// quitting leaves the log complete and checkpointed.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../helpers/fake-upstream';

export interface LaunchedApp {
  page: Page;
  upstream: FakeUpstream;
  /** The live log the app writes. */
  dbPath: string;
  /** A folder of the test's own, for exports. */
  dir: string;
  pageErrors(): string[];
  /** Makes the app's next "save to" question answer `file` (Electron: the main process's save dialog). */
  answerSaveDialog(file: string): Promise<void>;
  /** Quits as a user does (Electron: app.quit(); serve: SIGTERM) and waits for the process to end. */
  quit(): Promise<void>;
  /** Anything left running is stopped and the folders removed. */
  dispose(): Promise<void>;
  /** Process output, for failure messages. */
  output(): string;
}

// Functions passed to page.evaluate run in the page; the Node typecheck has no DOM types.
declare const document: {
  createElement(tag: string): { textContent: string };
  head: { appendChild(el: unknown): void };
  addEventListener(
    type: string,
    listener: (e: { violatedDirective: string; blockedURI: string }) => void,
    options?: { once: boolean },
  ): void;
  querySelector(s: string): { getAttribute(name: string): string | null } | null;
};
declare const window: Record<string, unknown>;

/** The error Chromium logs for the inline script the CSP step plants on purpose. */
const PLANTED_CSP_REFUSAL = /Executing inline script violates|Refused to execute inline script/;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh TCP connection (not a pooled keep-alive one): 'connected' or the error code. */
function connectOutcome(port: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

async function chat(baseURL: string, content: string): Promise<string> {
  const openai = new OpenAI({ baseURL, apiKey: 'sk-smoke-not-a-real-key', maxRetries: 0 });
  const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
  return res.choices[0]?.message.content ?? '';
}

export function smokeSuite(
  name: string,
  launch: () => Promise<LaunchedApp>,
  timeouts = { launch: 180_000, step: 60_000 },
): void {
  describe(`smoke: ${name}`, () => {
    let app: LaunchedApp;
    let sdkBase = '';
    const rows = () => app.page.locator('[data-testid="request-list"] .list-row[data-key^="r"]');
    const unexpectedErrors = () => app.pageErrors().filter((e) => !PLANTED_CSP_REFUSAL.test(e));

    beforeAll(async () => {
      app = await launch();
    }, timeouts.launch);
    afterAll(async () => {
      await app?.dispose();
    }, timeouts.step);

    it(
      'loads the window with no console errors',
      async () => {
        await app.page.waitForSelector('[data-testid="statusbar"]');
        await app.page.waitForSelector('[data-testid="empty-state"]');
        const text = await app.page.locator('[data-testid="empty-state"]').innerText();
        sdkBase = /OPENAI_BASE_URL=(\S+)/.exec(text)?.[1] ?? '';
        expect(sdkBase, text).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openai\/v1$/);
        expect(unexpectedErrors(), app.output()).toEqual([]);
      },
      timeouts.step,
    );

    it(
      'has its Content Security Policy in force: an inline script is refused',
      async () => {
        expect(
          await app.page.evaluate(
            () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
          ),
        ).toMatch(/script-src 'self'/);
        // A script planted the way injected markup would plant one: it must not run, and the page
        // reports the violation (awaited as an event, not a timer).
        const outcome = await app.page.evaluate(
          () =>
            new Promise<{ ran: boolean; directive: string }>((resolve) => {
              document.addEventListener(
                'securitypolicyviolation',
                (e) => resolve({ ran: window.smokeInlineRan === true, directive: e.violatedDirective }),
                { once: true },
              );
              const script = document.createElement('script');
              script.textContent = 'window.smokeInlineRan = true';
              document.head.appendChild(script);
            }),
        );
        expect(outcome).toEqual({ ran: false, directive: 'script-src-elem' });
      },
      timeouts.step,
    );

    it(
      'shows a request sent through the proxy with the official OpenAI SDK',
      async () => {
        expect(await chat(sdkBase, 'smoke one')).not.toBe('');
        await rows().first().waitFor({ timeout: 15_000 });
        expect(await rows().count()).toBe(1);
        expect(await rows().first().innerText()).toContain('gpt-4o-mini');
        expect(app.upstream.requests.map((r) => r.url)).toEqual(['/v1/chat/completions']);
        expect(unexpectedErrors(), app.output()).toEqual([]);
      },
      timeouts.step,
    );

    it(
      'exports the log',
      async () => {
        const file = join(app.dir, 'smoke-export.jsonl');
        await app.answerSaveDialog(file);
        await app.page.getByRole('button', { name: 'Export…' }).click();
        const dialog = app.page.getByRole('dialog', { name: 'Export log' });
        await dialog.getByRole('combobox').first().selectOption('jsonl');
        // The browser UI asks for a path; the desktop app asks the main process's save dialog.
        const pathField = dialog.getByPlaceholder('/absolute/path/export.sqlite');
        if ((await pathField.count()) > 0) await pathField.fill(file);
        await dialog.getByRole('button', { name: 'Export', exact: true }).click();
        await dialog.getByRole('status').waitFor();
        expect(await dialog.getByRole('status').innerText()).toMatch(
          /^Exported 1 requests? \(.+\) to .*smoke-export\.jsonl$/,
        );
        const lines = readFileSync(file, 'utf8').trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0]!)).toMatchObject({ model: 'gpt-4o-mini', success: true });
        await dialog.getByRole('button', { name: 'Close' }).click();
      },
      timeouts.step,
    );

    it(
      'moves the proxy to another port from Settings',
      async () => {
        const port = await freePort();
        const oldBase = sdkBase;
        await app.page.getByRole('tab', { name: 'Settings' }).click();
        await app.page.locator('#s-port').fill(String(port));
        await app.page.getByRole('button', { name: 'Save settings' }).click();
        await app.page.getByText('Saved. The proxy listener was restarted.').waitFor();
        sdkBase = `http://127.0.0.1:${port}/openai/v1`;
        // The old address refuses new connections; the new one proxies and logs.
        expect(await connectOutcome(new URL(oldBase).port)).toBe('ECONNREFUSED');
        expect(await chat(sdkBase, 'smoke two')).not.toBe('');
        await app.page.getByRole('tab', { name: 'Requests' }).click();
        await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(2);
        expect(await app.page.locator('[data-testid="statusbar"]').innerText()).toContain(`127.0.0.1:${port}`);
      },
      timeouts.step,
    );

    it(
      'quits with every row in the log and the WAL checkpointed',
      async () => {
        expect(unexpectedErrors(), app.output()).toEqual([]);
        const wal = `${app.dbPath}-wal`;
        // While running, committed rows sit in the WAL: the check after quitting means something.
        expect(statSync(wal).size).toBeGreaterThan(0);
        await app.quit();
        // Flushed and checkpointed: nothing left in a -wal file (absent, or empty after the checkpoint).
        expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
        const db = new Database(app.dbPath, { readonly: true, fileMustExist: true });
        try {
          const got = db.prepare('SELECT model, success FROM requests ORDER BY id').all();
          expect(got).toEqual([
            { model: 'gpt-4o-mini', success: 1 },
            { model: 'gpt-4o-mini', success: 1 },
          ]);
        } finally {
          db.close();
        }
      },
      timeouts.step,
    );
  });
}
