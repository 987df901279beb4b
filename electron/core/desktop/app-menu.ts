// The application menu as data, so what each OS gets is tested without Electron: macOS puts
// About, Settings, Check for Updates, Hide and Quit (⌘Q) in the app menu; Linux and Windows put
// Settings and Quit (Ctrl+Q) in File, About and Check for Updates in Help. Edit's roles are what
// make copy and paste work in the page at all (on macOS there are no shortcuts without them);
// reload and the developer tools are offered in development builds only.
import type { MenuCommand } from '../contract/types';

export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'close'
  | 'window'
  | 'help';

/** The subset of Electron's MenuItemConstructorOptions used here (main.ts passes it on as is). */
export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface MenuActions {
  command(command: MenuCommand): void;
  about(): void;
  checkForUpdates(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Not packaged: reload and developer tools are offered. */
  development: boolean;
  appName: string;
  actions: MenuActions;
}

const separator: MenuItemSpec = { type: 'separator' };

export function appMenuTemplate({ platform, development, appName, actions }: MenuOptions): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const about: MenuItemSpec = { label: `About ${appName}`, click: () => actions.about() };
  const updates: MenuItemSpec = { label: 'Check for Updates…', click: () => actions.checkForUpdates() };
  const settings: MenuItemSpec = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.command('settings'),
  };
  const quit: MenuItemSpec = { role: 'quit', accelerator: 'CmdOrCtrl+Q' };

  const appMenu: MenuItemSpec = {
    label: appName,
    submenu: [
      about,
      updates,
      separator,
      settings,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      quit,
    ],
  };
  const file: MenuItemSpec = {
    label: mac ? 'File' : '&File',
    submenu: [
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.command('export') },
      { label: 'Open Log Database…', accelerator: 'CmdOrCtrl+O', click: () => actions.command('open-database') },
      separator,
      ...(mac ? [] : [settings]),
      { label: 'Clear Logs…', click: () => actions.command('clear-logs') },
      ...(mac ? [separator, { role: 'close' as const }] : [separator, quit]),
    ],
  };
  const edit: MenuItemSpec = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' as const }] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemSpec = {
    label: mac ? 'View' : '&View',
    submenu: [
      ...(development
        ? [
            { role: 'reload' as const },
            { role: 'forceReload' as const },
            { role: 'toggleDevTools' as const },
            separator,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemSpec = {
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemSpec = { role: 'help', submenu: mac ? [about] : [updates, separator, about] };
  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help];
}
