// `npm run test:electron`: the smoke steps (smoke-suite.ts) against the real Electron app, driven by
// Playwright's _electron. Not part of `npm test`: Electron's binary can't be downloaded everywhere
// the tests run. What it launches:
//   INSPECTOR_SMOKE_APP unset     the build in dist/ with the `electron` package's binary (npm start's app)
//   INSPECTOR_SMOKE_APP=packaged  the unpacked app electron-builder wrote to release/ (the release workflow)
//   INSPECTOR_SMOKE_APP=/path/exe that executable
// Playwright drives the main process through Node's inspector, so a packaged app must be built with
// the nodeCliInspect fuse on (electron-builder.smoke.yml); the installers are built without it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { startFakeUpstream } from '../helpers/fake-upstream';
import { smokeSuite } from './smoke-suite';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** The executable inside electron-builder's unpacked output for this OS. */
function packagedExecutable(releaseDir: string): string {
  const dirs = readdirSync(releaseDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const pick = (test: (name: string) => boolean) => {
    const found = dirs.find(test);
    if (!found)
      throw new Error(
        `no unpacked app in ${releaseDir} (found: ${dirs.join(', ') || 'nothing'}); run electron-builder --dir first`,
      );
    return join(releaseDir, found);
  };
  if (process.platform === 'win32')
    return join(
      pick((n) => /^win.*-unpacked$/.test(n)),
      'LLM Request Inspector.exe',
    );
  if (process.platform === 'darwin')
    return join(
      pick((n) => /^mac/.test(n)),
      'LLM Request Inspector.app',
      'Contents',
      'MacOS',
      'LLM Request Inspector',
    );
  return join(
    pick((n) => /^linux.*-unpacked$/.test(n)),
    'llm-request-inspector',
  );
}

function launchOptions(): { executablePath: string; args: string[] } {
  const choice = process.env.INSPECTOR_SMOKE_APP;
  if (choice === undefined || choice === '') {
    // The `electron` package's main export is the path of its binary (it throws when the binary
    // was never downloaded, which is the case wherever `npm test` runs).
    const electronBinary = createRequire(import.meta.url)('electron') as string;
    return { executablePath: electronBinary, args: [join(ROOT, 'dist', 'electron', 'main.js')] };
  }
  return { executablePath: choice === 'packaged' ? packagedExecutable(join(ROOT, 'release')) : choice, args: [] };
}

smokeSuite(
  process.env.INSPECTOR_SMOKE_APP ? `packaged app (${process.platform})` : `Electron app (${process.platform})`,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inspector-smoke-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const upstream = await startFakeUpstream();
    // A fresh data folder: proxy on a free port, the fake API as upstream, and no update check
    // (the smoke test sends nothing beyond this machine).
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({ port: 0, upstreams: [{ name: 'openai', baseUrl: upstream.url }], updates: { check: false } }),
    );

    let log = '';
    let app: ElectronApplication | null = null;
    const errors: string[] = [];
    const dispose = async () => {
      await app?.close().catch(() => undefined);
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const { executablePath, args } = launchOptions();
      app = await _electron.launch({
        executablePath,
        args,
        env: { ...process.env, INSPECTOR_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
        timeout: 120_000,
      });
      const proc = app.process();
      proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const page = await app.firstWindow();
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      // The window may have started loading before the listeners above were attached: load it again
      // under watch, so an error at start-up can't slip by.
      await page.reload();
      const running = app;
      return {
        page,
        upstream,
        dbPath: join(dataDir, 'log.sqlite'),
        dir,
        pageErrors: () => [...errors],
        async answerSaveDialog(file) {
          // The one thing a test can't click: the OS's save dialog. Its answer is given in the main process.
          await running.evaluate(({ dialog }, path) => {
            dialog.showSaveDialog = (async () => ({
              canceled: false,
              filePath: path,
            })) as unknown as typeof dialog.showSaveDialog;
          }, file);
        },
        async quit() {
          await page
            .screenshot({ path: join(SCREENSHOTS, `electron-${process.platform}-before-quit.png`) })
            .catch(() => undefined);
          // app.quit() in the main process, then the process's exit: the app's before-quit holds the
          // quit until the proxy has stopped and the log is flushed and closed.
          await running.close();
          app = null;
        },
        dispose,
        output: () => `${log}\npage errors:\n${errors.join('\n')}`,
      };
    } catch (error) {
      await dispose();
      throw new Error(`the app did not start: ${String(error)}\n${log}`, { cause: error });
    }
  },
);
