// One app per data folder. Two instances would fight over the proxy's port and write one log from
// two processes; a second launch instead hands over to the first, which brings its window forward
// and exits. Electron keys the lock on the userData folder, so a test run with a data folder of
// its own never meets the user's running app.

/** What this needs of Electron's `app`. */
export interface InstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

/** What this needs of a BrowserWindow. */
export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  show(): void;
  focus(): void;
}

/** Brings a window to the front: out of the dock or taskbar if minimised, shown if hidden. */
export function focusWindow(win: FocusableWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/**
 * True when this process is the one instance; otherwise it has asked the running one to come
 * forward and is quitting. `getWindow()` is read at each second launch: the window may not exist
 * yet (start-up) or may have been re-created (macOS, after all windows were closed).
 */
export function claimSingleInstance(app: InstanceApp, getWindow: () => FocusableWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = getWindow();
    if (win) focusWindow(win);
  });
  return true;
}
