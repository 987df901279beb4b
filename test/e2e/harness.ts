// End-to-end fixture: the real headless server (`npm run serve`) on port 0 with a temp database and
// settings file, the fake LLM API as its upstreams, and Debian's Chromium driven by playwright-core
// with a fresh profile. Everything is torn down by `stop()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export interface E2e {
  upstream: FakeUpstream;
  proxyUrl: string;
  uiUrl: string;
  dir: string;
  page: Page;
  context: BrowserContext;
  output: () => string;
  /** Console errors and uncaught exceptions in the page so far. */
  pageErrors: () => string[];
  /** SIGTERM to the server and its exit (the log flushed and closed); stop() still cleans up after it. */
  stopServe(): Promise<void>;
  screenshot(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What `npm run serve` runs once it has built: the built headless entry. The test run builds dist/
 * once before any test starts (test/global-build.ts); rebuilding here, per test file, would swap
 * dist/ out from under other test files reading it.
 */
function serveCommand(args: string[]): [string, string[]] {
  return [process.execPath, ['dist/electron/serve.js', ...args]];
}

/** The fake upstream mounted twice, at /openai and /anthropic. */
const namedMounts = (url: string) => [`openai=${url}`, `anthropic=${url}`];

async function startServe(
  dir: string,
  upstream: FakeUpstream,
  extra: string[],
  upstreams: (url: string) => string[],
): Promise<{ child: ChildProcess; proxyUrl: string; uiUrl: string; output: () => string }> {
  const args = [
    '--host',
    '127.0.0.1',
    '--proxy-port',
    '0',
    '--ui-port',
    '0',
    '--db',
    join(dir, 'log.sqlite'),
    '--config',
    join(dir, 'settings.json'),
    ...upstreams(upstream.url).flatMap((spec) => ['--upstream', spec]),
    ...extra,
  ];
  const [cmd, argv] = serveCommand(args);
  // Its own process group, so stopping it takes anything it started along.
  const child = spawn(cmd, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    detached: true,
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  let proxyUrl = '';
  let uiUrl = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 120 s:\n${log}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
    lines.on('line', (line) => {
      log += `${line}\n`;
      proxyUrl ||= /proxy listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      uiUrl ||= /ui listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      if (proxyUrl && uiUrl) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, proxyUrl, uiUrl, output: () => log };
}

/** SIGTERM to the server (its own process group, so nothing it started outlives it), then its exit. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-pid, 'SIGTERM');
  // A server that ignores SIGTERM for 15 s is killed, so a broken shutdown can't hang the suite.
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface E2eOptions {
  colorScheme?: 'light' | 'dark';
  serveArgs?: string[];
  /** `--upstream` specs given the fake upstream's URL; by default it is mounted at /openai and /anthropic. */
  upstreams?: (url: string) => string[];
  /** Writes the log file (`--db`) before the server starts, e.g. a log too long to fill through the proxy. */
  seed?: (dbPath: string) => Promise<void>;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  const dir = mkdtempSync(join(tmpdir(), 'inspector-e2e-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const upstream = await startFakeUpstream();
  let serve: Awaited<ReturnType<typeof startServe>> | null = null;
  let context: BrowserContext | null = null;
  const stop = async () => {
    await context?.close().catch(() => undefined);
    if (serve) await stopGroup(serve.child);
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await options.seed?.(join(dir, 'log.sqlite'));
    serve = await startServe(dir, upstream, options.serveArgs ?? [], options.upstreams ?? namedMounts);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(serve.uiUrl);
    const s = serve;
    return {
      upstream,
      dir,
      page,
      context,
      proxyUrl: s.proxyUrl,
      uiUrl: s.uiUrl,
      output: () => `${s.output()}\npage errors:\n${errors.join('\n')}`,
      pageErrors: () => [...errors],
      stopServe: () => stopGroup(s.child),
      screenshot: async (name) => void (await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
