// `npm run serve`: the core without Electron, the UI served to a browser. Prints
// `proxy listening on http://HOST:PORT` once the proxy listens (tests and scripts wait for that
// line), then `ui listening on ...`. SIGINT/SIGTERM: stop the proxy, flush and close the log, exit 0.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startUiServer, type UiServer } from './api/ui-server';
import { startCore, type Core } from './app-core';
import { defaultDbPath, defaultSettingsPath } from './paths';
import { ensurePrivateDir } from './private-files';
import { HELP, parseServeArgs, wantsHelp } from './serve-args';
import type { SettingsInput } from './contract/settings-schema';

export interface ServeIo {
  log(line: string): void;
  error(line: string): void;
}

export interface Serving {
  core: Core;
  ui: UiServer | null;
  stop(): Promise<void>;
}

/** The built renderer next to the built serve bundle (dist/electron/serve.js -> dist/renderer). */
function defaultStaticDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export async function runServe(
  argv: string[],
  io: ServeIo = { log: (l) => console.log(l), error: (l) => console.error(l) },
  staticDir = defaultStaticDir(),
): Promise<Serving> {
  const parsed = parseServeArgs(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  const { args } = parsed;
  const overrides: Partial<SettingsInput> = {};
  if (args.host !== undefined) overrides.host = args.host;
  if (args.proxyPort !== undefined) overrides.port = args.proxyPort;
  if (args.upstreams !== undefined) overrides.upstreams = args.upstreams;
  // The default data folder is ours alone (a --db elsewhere lives in a folder the user chose).
  if (args.db === undefined) ensurePrivateDir(dirname(defaultDbPath()), 'ours');
  const core = await startCore({
    settingsPath: args.config ?? defaultSettingsPath(),
    dbPath: args.db ?? defaultDbPath(),
    overrides,
    requireProxy: true,
  });
  const proxyUrl = core.proxyStatus().url;
  if (proxyUrl !== null) io.log(`proxy listening on ${proxyUrl}`);
  let ui: UiServer | null = null;
  try {
    ui = await startUiServer(core, {
      host: core.getSettings().host,
      port: args.uiPort ?? 0,
      staticDir,
      onError: (err) => io.error(`ui server: ${String(err)}`),
    });
    io.log(`ui listening on ${ui.url}`);
  } catch (error) {
    await core.stop();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    core,
    ui,
    stop() {
      stopping ??= (async () => {
        await ui?.close();
        await core.stop();
      })();
      return stopping;
    },
  };
}

/** How often serve, started by npm, looks whether its parent is still there (one getppid call). */
const PARENT_CHECK_MS = 500;

/** `serve` as a process: its output, its signals, its exit code. */
export async function serveMain(argv = process.argv.slice(2)): Promise<void> {
  if (wantsHelp(argv)) {
    console.log(HELP);
    return;
  }
  // Whoever reads our output may go away (`npm run serve | head -1`, a closed terminal); the proxy
  // must keep serving and shut down cleanly all the same, so a broken pipe is not an error here.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  // Signal handlers go in before anything starts: a script that sends SIGTERM as soon as it reads
  // `ui listening on` must not meet the default action (instant death, unflushed log) in the
  // microseconds between that line and the rest of start-up.
  let starting: Promise<Serving> | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (flushing the log)`);
    (starting ?? Promise.reject(new Error('not started')))
      .then((serving) => serving.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // Under npm (`npm run serve`, npx) a shell sits between npm and this process, and npm passes a SIGTERM
  // on to that shell alone, which dies without passing it further: serve stayed up, orphaned, holding its
  // ports and the log (a `docker stop` or a supervisor's stop of npm). So, started by npm, it stops as on
  // SIGTERM when its parent goes away. Not otherwise: `serve &` from a shell that exits (nohup) goes on.
  if (process.env.npm_lifecycle_event !== undefined && process.platform !== 'win32') {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      shutdown('parent exited');
    }, PARENT_CHECK_MS);
    watch.unref();
  }
  starting = runServe(argv);
  try {
    await starting;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// Run as its own entry (dist/electron/serve.js, or the source under tsx) only: the CLI's bundle
// inlines this module, and there import.meta.url is the CLI's file, which runs `serve` itself.
const entry = process.argv[1];
if (entry !== undefined && /(^|[\\/])serve\.[jt]s$/.test(entry) && import.meta.url === pathToFileURL(entry).href)
  void serveMain();
