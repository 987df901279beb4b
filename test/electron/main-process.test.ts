// The built main process (dist/electron/main.js, electron-updater and all) run in Node with the
// stand-in `electron` module (electron-module.mjs): it starts with a fresh data folder, opens one
// window with the page, serves the API over IPC, logs a request sent through its proxy, answers
// Check for Updates…, keeps a second instance out, and on quit saves the window's place and
// leaves the log flushed and checkpointed. What only real Electron shows (the page rendering, the
// CSP, dialogs) is npm run test:electron's.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { root } from '../build/electron-builder';

interface Report {
  event: string;
  [key: string]: unknown;
}

class MainProcess {
  readonly reports: Report[] = [];
  output = '';
  private waiters: { test: (r: Report) => boolean; resolve: (r: Report) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.output += `${line}\n`;
      if (!line.startsWith('@electron ')) return;
      const report = JSON.parse(line.slice('@electron '.length)) as Report;
      this.reports.push(report);
      this.waiters = this.waiters.filter((w) => (w.test(report) ? (w.resolve(report), false) : true));
    });
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** The first report (already seen or still to come) that passes `test`. */
  next(test: (r: Report) => boolean): Promise<Report> {
    const seen = this.reports.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** The report `command` leads to, not one from before it. */
  after(command: string, test: (r: Report) => boolean): Promise<Report> {
    const from = this.reports.length;
    const found = new Promise<Report>((resolve) =>
      this.waiters.push({ test: (r) => this.reports.indexOf(r) >= from && test(r), resolve }),
    );
    this.child.stdin!.write(`${command}\n`);
    return found;
  }
}

function launch(dataDir: string): MainProcess {
  const child = spawn(
    process.execPath,
    ['--import', join(root, 'test/electron/electron-hooks.mjs'), join(root, 'dist/electron/main.js')],
    {
      cwd: root,
      env: { ...process.env, INSPECTOR_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  return new MainProcess(child);
}

let dir: string;
let upstream: FakeUpstream;
let app: MainProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inspector-main-'));
  upstream = await startFakeUpstream();
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      port: 0,
      upstreams: [{ name: 'openai', baseUrl: upstream.url }],
      // Less than one request costs: the first one crosses it.
      budgets: [{ name: 'tiny', period: 'day', amountUsd: 0.000001 }],
    }),
  );
  app = launch(dir);
  await app.next((r) => r.event === 'show');
}, 60_000);

afterAll(async () => {
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built main process, with a stand-in electron module', () => {
  it('takes the data folder as its profile, holds the lock, and opens one hardened window on the page', async () => {
    expect(app.reports.find((r) => r.event === 'setPath')).toEqual({ event: 'setPath', name: 'userData', value: dir });
    expect(app.reports.find((r) => r.event === 'lock')).toEqual({ event: 'lock', got: true });
    const windows = app.reports.filter((r) => r.event === 'window');
    expect(windows).toHaveLength(1);
    // No saved state yet: the default size.
    expect(windows[0]).toMatchObject({
      bounds: { width: 1280, height: 800 },
      minWidth: 900,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(String(app.reports.find((r) => r.event === 'loadURL')?.url)).toMatch(
      /^file:\/\/.*\/dist\/renderer\/index\.html$/,
    );
    expect(app.reports.find((r) => r.event === 'menu')?.top).toEqual(
      process.platform === 'darwin'
        ? ['LLM Request Inspector', 'File', 'Edit', 'View', 'window', 'help']
        : ['&File', '&Edit', '&View', 'window', 'help'],
    );
    expect(app.reports.filter((r) => r.event === 'errorBox')).toEqual([]);
  });

  it('serves the API over IPC to its window and logs a request sent through its proxy', async () => {
    const status = await app.after('invoke status:get', (r) => r.event === 'result');
    const url = (status.result as { ok: boolean; value: { proxy: { url: string } } }).value.proxy.url;
    expect(url, app.output).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const openai = new OpenAI({ baseURL: `${url}/openai/v1`, apiKey: 'sk-not-real', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'glue' }] });
    expect(upstream.requests).toHaveLength(1);
  });

  it('shows a system notification when the request crosses a budget', async () => {
    const notice = await app.next((r) => r.event === 'notification');
    expect(notice).toMatchObject({ title: 'Budget "tiny" at 100 %' });
    expect(notice.body).toMatch(/of \$0\.00 today\.$/);
  });

  it('keeps a second instance on the same data folder out: it quits without a window', async () => {
    const second = launch(dir);
    expect(await second.exited).toBe(0);
    expect(second.reports.map((r) => r.event)).toEqual(['setPath', 'lock', 'quit', 'exit']);
    expect(second.reports[1]).toEqual({ event: 'lock', got: false });
  });

  it('answers Check for Updates… from the menu; a development build has no feed and asks nobody', async () => {
    const box = await app.after('click Check for Updates…', (r) => r.event === 'messageBox');
    expect(box).toMatchObject({ message: 'This build has no release feed to check.', buttons: ['OK'] });
    expect(existsSync(join(dir, 'update-check.json'))).toBe(false);
  });

  it('quits with the window’s place saved and the log flushed and checkpointed', async () => {
    app.child.stdin!.write('move\n');
    await app.after('quit', (r) => r.event === 'exit');
    expect(await app.exited).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 300, y: 200, width: 1000, height: 700 },
      maximized: false,
    });
    const wal = join(dir, 'log.sqlite-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new Database(join(dir, 'log.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT model, success FROM requests').all()).toEqual([{ model: 'gpt-4o-mini', success: 1 }]);
    } finally {
      db.close();
    }
  });

  it('opens the window where it was left on the next start', async () => {
    const again = launch(dir);
    await again.next((r) => r.event === 'show');
    expect(again.reports.find((r) => r.event === 'window')).toMatchObject({
      bounds: { x: 300, y: 200, width: 1000, height: 700 },
    });
    await again.after('quit', (r) => r.event === 'exit');
    expect(await again.exited).toBe(0);
  });
});
