// Electron main process: thin glue. It opens the store, starts the proxy with the saved
// settings, serves the API over IPC to one hardened window, and holds quit until the proxy has
// stopped, the writer has flushed and the database is closed. Everything else is in core/.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './core/api/contract-types';
import { adaptCore, type AdaptedCore } from './core/api/core-adapter';
import { createDispatcher } from './core/api/dispatcher';
import { createEventHub, type EventHub } from './core/api/event-hub';
import { createHandlers } from './core/api/handlers';
import { wireIpc, type IpcWiring } from './core/api/ipc-wiring';
import { createPageCheck } from './core/api/trusted-url';
import { appDataDir, defaultDbPath, defaultSettingsPath } from './core/paths';
import { ProxyServer } from './core/proxy';
import { isSettingsFileError, loadSettings, saveSettings, settingsSchema, type Settings } from './core/settings';
import { openLogStore, type LogStore } from './core/storage';
import { hardenContents, hardenSession } from './security';

// Bundled layout: dist/electron/main.js beside preload.cjs, the renderer in dist/renderer.
const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, 'preload.cjs');
const PAGE_URL = pathToFileURL(join(here, '..', 'renderer', 'index.html')).toString();
const isOwnPage = createPageCheck(PAGE_URL);

interface Running {
  store: LogStore;
  proxy: ProxyServer;
  core: AdaptedCore;
  hub: EventHub;
  wiring: IpcWiring;
}

let running: Running | null = null;
let window: BrowserWindow | null = null;

function send(command: MenuCommand): void {
  running?.wiring.broadcast('menuCommand', command);
  window?.show();
}

function buildMenu(): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send('export') },
        { label: 'Open Log Database…', accelerator: 'CmdOrCtrl+O', click: () => send('open-database') },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => send('settings') },
        { label: 'Clear Logs…', click: () => send('clear-logs') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

async function chooseSavePath(suggestedName: string): Promise<string | null> {
  const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

async function readSettings(file: string): Promise<Settings> {
  try {
    return await loadSettings(file);
  } catch (error) {
    if (!isSettingsFileError(error)) throw error;
    // Keep the user's file untouched (it is only rewritten when they save new settings) and
    // run with defaults, saying why.
    dialog.showErrorBox('Settings could not be read', `${error.message}\n\nThe app starts with default settings.`);
    return settingsSchema.parse({});
  }
}

async function startCore(): Promise<Running> {
  const dir = appDataDir();
  await mkdir(dir, { recursive: true });
  const settingsFile = defaultSettingsPath(dir);
  const settings = await readSettings(settingsFile);
  const store = await openLogStore(defaultDbPath(dir));
  const proxy = new ProxyServer(settings, store);
  const core = adaptCore({ store, proxy, settings, saveSettings: (s) => saveSettings(settingsFile, s) });
  try {
    await proxy.start();
  } catch (error) {
    // The window still opens: it shows the banner and lets the user pick another port.
    core.setProxyError(error instanceof Error ? error.message : String(error));
  }
  const hub = createEventHub(core);
  const dispatch = createDispatcher(createHandlers(core, { chooseSavePath }), (err) => console.error('api:', err));
  const wiring = wireIpc({ ipcMain, hub, dispatch, isTrustedUrl: isOwnPage });
  return { store, proxy, core, hub, wiring };
}

function createWindow(r: Running): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
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
  r.wiring.dispose();
  r.hub.close();
  r.core.dispose();
  await r.proxy.stop();
  await r.store.close();
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
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
      running = await startCore();
    } catch (error) {
      dialog.showErrorBox('LLM Request Inspector could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    const r = running;
    window = createWindow(r);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createWindow(r);
    });
  });
}

main();
