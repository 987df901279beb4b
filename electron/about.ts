// About window: one small, sandboxed, script-free window showing name, version and where the data
// lives. Its own window rather than only app.showAboutPanel(), whose contents differ per OS and
// which cannot show the data folder on Windows.
import { app, BrowserWindow } from 'electron';
import { aboutDataUrl } from './core/about-page';

let about: BrowserWindow | null = null;

export function showAbout(parent: BrowserWindow | null, paths: { dataDir: string; logFile: string }): void {
  if (about) {
    about.focus();
    return;
  }
  const win = new BrowserWindow({
    width: 520,
    height: 300,
    resizable: false,
    minimizable: false,
    maximizable: false,
    show: false,
    title: `About ${app.getName()}`,
    ...(parent ? { parent } : {}),
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      spellcheck: false,
    },
  });
  win.setMenu(null);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (about === win) about = null;
  });
  about = win;
  void win.loadURL(
    aboutDataUrl({
      name: app.getName(),
      version: app.getVersion(),
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
      ...paths,
    }),
  );
}
