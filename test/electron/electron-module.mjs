// A stand-in for the `electron` module, for running the built main process (dist/electron/main.js)
// in plain Node: Electron's binary can't be downloaded where the tests run. It keeps what main.ts
// relies on (app's quit sequence with a preventable before-quit, windows with bounds and events,
// ipcMain handlers, menus, dialogs) and reports what the app did as `@electron {json}` lines on
// stdout. It reads commands from stdin: `quit`, `move`, `click <menu label>`, `invoke <channel>`.
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const report = (event, detail = {}) => process.stdout.write(`@electron ${JSON.stringify({ event, ...detail })}\n`);
const preventable = () => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

const windows = new Set();
const paths = new Map();
let menu = null;
let quitting = false;

class App extends EventEmitter {
  isPackaged = false;
  lockFile = null;
  getName() {
    return 'LLM Request Inspector';
  }
  getVersion() {
    return '0.0.0';
  }
  // Electron throws for a folder that doesn't exist.
  setPath(name, value) {
    if (!existsSync(value)) throw new Error(`Failed to set path: ${value} does not exist`);
    paths.set(name, value);
    report('setPath', { name, value });
  }
  getPath(name) {
    return paths.get(name) ?? tmpdir();
  }
  // Electron keys the lock on userData; here a file created exclusively in that folder.
  requestSingleInstanceLock() {
    const file = join(this.getPath('userData'), 'stand-in.lock');
    try {
      closeSync(openSync(file, 'wx'));
      this.lockFile = file;
      report('lock', { got: true });
      return true;
    } catch {
      report('lock', { got: false });
      return false;
    }
  }
  whenReady() {
    return Promise.resolve();
  }
  // Electron's order: before-quit (preventable), then every window closes, then the process exits.
  quit() {
    report('quit');
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    quitting = true;
    for (const win of [...windows]) win.close();
    this.exit(0);
  }
  exit(code) {
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    report('exit', { code });
    process.exit(code);
  }
}

export const app = new App();

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  send(channel) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    report('send', { channel });
  }
  setWindowOpenHandler() {}
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows];
  }
  constructor(options = {}) {
    super();
    this.bounds = {
      x: options.x ?? 80,
      y: options.y ?? 60,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    this.maximized = false;
    this.minimized = false;
    this.visible = false;
    this.url = null;
    this.webContents = new WebContents();
    windows.add(this);
    app.emit('web-contents-created', {}, this.webContents);
    report('window', { bounds: this.bounds, minWidth: options.minWidth, webPreferences: options.webPreferences });
  }
  loadURL(url) {
    this.url = url;
    report('loadURL', { url });
    setTimeout(() => this.emit('ready-to-show'), 0);
    return Promise.resolve();
  }
  show() {
    this.visible = true;
    report('show');
  }
  focus() {}
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  maximize() {
    this.maximized = true;
    this.emit('maximize');
    this.emit('resize');
    report('maximize');
  }
  isMaximized() {
    return this.maximized;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  setBounds(bounds) {
    Object.assign(this.bounds, bounds);
    this.emit('move');
    this.emit('resize');
  }
  setMenu() {}
  close() {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    windows.delete(this);
    this.webContents.destroy();
    this.emit('closed');
    if (windows.size === 0 && !quitting) app.emit('window-all-closed');
  }
}

const handlers = new Map();
export const ipcMain = {
  handle(channel, listener) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(m) {
    menu = m;
    report('menu', { top: m.template.map((i) => i.label ?? i.role) });
  },
};

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const session = {
  defaultSession: {
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    webRequest: { onHeadersReceived() {} },
  },
};
export const dialog = {
  showErrorBox(title, content) {
    report('errorBox', { title, content });
  },
  async showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0];
    report('messageBox', { message: options.message, buttons: options.buttons });
    return { response: options.cancelId ?? 0 };
  },
  async showSaveDialog() {
    return { canceled: true };
  },
  async showOpenDialog() {
    return { canceled: true, filePaths: [] };
  },
};
export const shell = {
  async openExternal(url) {
    report('openExternal', { url });
  },
};
export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    report('notification', { title: this.options.title, body: this.options.body });
  }
}
export const contextBridge = {};
export const ipcRenderer = {};
export const net = {};

function findItem(items, label) {
  for (const item of items ?? []) {
    if (item.label === label) return item;
    const inner = findItem(item.submenu, label);
    if (inner) return inner;
  }
  return null;
}

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const [command, ...rest] = line.trim().split(' ');
  const arg = rest.join(' ');
  const win = [...windows][0];
  if (command === 'quit') app.quit();
  else if (command === 'move') win?.setBounds({ x: 300, y: 200, width: 1000, height: 700 });
  else if (command === 'click') findItem(menu?.template, arg)?.click?.();
  else if (command === 'invoke') {
    // As the page's preload would: from the window's own frame, showing the page main.ts loaded.
    const handler = handlers.get(arg);
    const event = { sender: win.webContents, senderFrame: { url: win.url } };
    Promise.resolve(handler ? handler(event) : Promise.reject(new Error(`No handler registered for '${arg}'`))).then(
      (result) => report('result', { channel: arg, result }),
      (error) => report('result', { channel: arg, error: String(error) }),
    );
  } else console.error(`stand-in electron: unknown command ${line}`);
});
// stdin closing (the test went away) must not keep a finished app alive, nor end a running one.
commands.on('close', () => undefined);
process.stdin.unref?.();

export default {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  screen,
  session,
  dialog,
  shell,
  contextBridge,
  ipcRenderer,
  net,
};
