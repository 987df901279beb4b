// Electron main process: thin glue. It starts the core (store, then the proxy with the saved
// settings), serves the API over IPC to one hardened window, and holds quit until the proxy has
// stopped, the writer has flushed and the database is closed. Everything else is in core/.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  screen,
  session,
  type OpenDialogOptions,
} from 'electron';
import type { MenuCommand } from './core/contract/types';
import { createDispatcher } from './core/api/dispatcher';
import { createEventHub, type EventHub } from './core/api/event-hub';
import { createHandlers } from './core/api/handlers';
import { wireIpc, type IpcWiring } from './core/api/ipc-wiring';
import { createPageCheck } from './core/api/trusted-url';
import { startCore, type Core } from './core/app-core';
import { appLogPath, openAppLog, teeConsole } from './core/app-log';
import { appMenuTemplate } from './core/desktop/app-menu';
import { claimSingleInstance } from './core/desktop/single-instance';
import { budgetNoticesPath, startBudgetNotifier } from './core/desktop/budget-notifier';
import {
  loadWindowState,
  restorableState,
  trackWindowState,
  windowStatePath,
  type WindowStateTracker,
} from './core/desktop/window-state';
import { appDataDir, defaultDbPath, defaultSettingsPath } from './core/paths';
import { ensurePrivateDir } from './core/private-files';
import { showAbout } from './about';
import { hardenContents, hardenSession } from './security';
import { setUpUpdates, type Updates } from './updater';

// Bundled layout: dist/electron/main.js beside preload.cjs, the renderer in dist/renderer.
const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, 'preload.cjs');
const PAGE_URL = pathToFileURL(join(here, '..', 'renderer', 'index.html')).toString();
const isOwnPage = createPageCheck(PAGE_URL);
const DATA_DIR = appDataDir();
const LOG_FILE = appLogPath(DATA_DIR);

interface Running {
  core: Core;
  hub: EventHub;
  wiring: IpcWiring;
}

let running: Running | null = null;
let window: BrowserWindow | null = null;
let windowState: WindowStateTracker | null = null;
let updates: Updates | null = null;

function send(command: MenuCommand): void {
  running?.wiring.broadcast('menuCommand', command);
  window?.show();
}

function buildMenu(): Menu {
  const template = appMenuTemplate({
    platform: process.platform,
    development: !app.isPackaged,
    appName: app.getName(),
    actions: {
      command: send,
      about: () => showAbout(window, { dataDir: DATA_DIR, logFile: LOG_FILE }),
      checkForUpdates: () => updates?.checkNow(),
    },
  });
  return Menu.buildFromTemplate(template);
}

// Since Electron 43 a file dialog without defaultPath opens in Downloads and the OS no longer
// remembers the last folder: both dialogs start where the last one ended (first: Documents).
let dialogDir: string | null = null;
const startDir = () => dialogDir ?? app.getPath('documents');

async function chooseSavePath(suggestedName: string): Promise<string | null> {
  const options = { defaultPath: join(startDir(), suggestedName) };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  dialogDir = dirname(result.filePath);
  return result.filePath;
}

async function chooseOpenPath(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open Log Database (read-only)',
    defaultPath: startDir(),
    properties: ['openFile'],
    filters: [
      { name: 'Log databases', extensions: ['sqlite', 'sqlite3', 'db'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? null : (result.filePaths[0] ?? null);
  if (path) dialogDir = dirname(path);
  return path;
}

async function startRunning(): Promise<Running> {
  const dir = DATA_DIR;
  ensurePrivateDir(dir, 'ours');
  // requireProxy: false: a taken port still opens the window, which shows why and lets the
  // user pick another one (the core keeps the error in its status).
  const core = await startCore({
    settingsPath: defaultSettingsPath(dir),
    dbPath: defaultDbPath(dir),
    requireProxy: false,
  });
  const hub = createEventHub(core.events);
  const dispatch = createDispatcher(createHandlers(core, { chooseSavePath, chooseOpenPath }), (err) =>
    console.error('api:', err),
  );
  const wiring = wireIpc({ ipcMain, hub, dispatch, isTrustedUrl: isOwnPage });
  // Budget thresholds as system notifications; what to say and when is decided in core/desktop.
  await startBudgetNotifier(
    core,
    ({ title, body }) => {
      if (!Notification.isSupported()) return;
      const notice = new Notification({ title, body });
      notice.on('click', () => window?.show());
      notice.show();
    },
    budgetNoticesPath(dir),
  );
  return { core, hub, wiring };
}

const MIN_SIZE = { width: 900, height: 560 };

async function createWindow(r: Running): Promise<BrowserWindow> {
  const stateFile = windowStatePath(DATA_DIR);
  const saved = restorableState(
    await loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    MIN_SIZE,
  );
  const win = new BrowserWindow({
    ...(saved ? saved.bounds : { width: 1280, height: 800 }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'LLM Request Inspector',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) win.maximize();
  windowState = trackWindowState(win, stateFile, { onError: (error) => console.error('window state:', error) });
  r.wiring.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (window === win) window = null;
  });
  void win.loadURL(PAGE_URL);
  return win;
}

let stopping: Promise<void> | null = null;

/** Proxy first (stops accepting, lets requests in flight land), then the writer and the file. */
async function shutdown(): Promise<void> {
  const r = running;
  if (!r) return;
  windowState?.flush();
  r.wiring.dispose();
  r.hub.close();
  await r.core.stop();
}

function startAppLog(): void {
  try {
    teeConsole(openAppLog(LOG_FILE));
    console.log(
      `${app.getName()} ${app.getVersion()} starting (Electron ` +
        `${process.versions.electron}, ${process.platform}-${process.arch})`,
    );
  } catch (error) {
    // An unwritable data folder is reported by startRunning with a clear message; the app log is secondary.
    console.error('app log:', error);
  }
}

function main(): void {
  // Chromium's profile and the single-instance lock live in the data folder: a run with its own
  // folder (INSPECTOR_DATA_DIR, e.g. a test) is an instance of its own. setPath throws for a
  // folder that doesn't exist yet (the first start).
  ensurePrivateDir(DATA_DIR, 'ours');
  app.setPath('userData', DATA_DIR);
  if (!claimSingleInstance(app, () => window)) return;
  startAppLog();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isOwnPage));
  app.on('before-quit', (event) => {
    if (!running) return;
    // Hold the quit until the log is safely closed, then quit for real.
    event.preventDefault();
    stopping ??= shutdown()
      .catch((error: unknown) => console.error('shutdown:', error))
      .finally(() => {
        running = null;
        app.quit();
      });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    Menu.setApplicationMenu(buildMenu());
    try {
      running = await startRunning();
    } catch (error) {
      // E.g. a settings file that isn't valid, or a database from a newer version: the
      // message names the file and the problem; nothing was changed on disk.
      dialog.showErrorBox(
        'LLM Request Inspector could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
      return;
    }
    const r = running;
    window = await createWindow(r);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow(r).then((w) => (window = w));
    });
    updates = setUpUpdates({
      dataDir: DATA_DIR,
      enabled: () => r.core.getSettings().updates.check,
      window: () => window,
    });
    updates.checkIfDue();
  });
}

main();
