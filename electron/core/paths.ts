// Where the app keeps its data when no path is given: the folder Electron's
// app.getPath('userData') returns for productName "LLM Request Inspector", so the desktop app
// and `npm run serve` share one database by default.
import { homedir } from 'node:os';
import { isAbsolute, join, win32 } from 'node:path';

export const PRODUCT_NAME = 'LLM Request Inspector';

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * INSPECTOR_DATA_DIR names another data folder (absolute paths only): each test run gets a fresh
 * one, and a second profile can run beside the usual one. Electron's own profile, and with it the
 * single-instance lock, follows it (main.ts sets userData to this folder).
 */
export const DATA_DIR_ENV = 'INSPECTOR_DATA_DIR';

export function appDataDir(
  from: PlatformEnv = { platform: process.platform, env: process.env, home: homedir() },
): string {
  const { platform, env, home } = from;
  const chosen = env[DATA_DIR_ENV];
  if (chosen !== undefined && chosen !== '') {
    if (!(platform === 'win32' ? win32.isAbsolute(chosen) : isAbsolute(chosen)))
      throw new Error(`${DATA_DIR_ENV} must be an absolute path, not ${JSON.stringify(chosen)}`);
    return chosen;
  }
  if (platform === 'win32') {
    return win32.join(env.APPDATA ?? win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  // Electron uses XDG_CONFIG_HOME when set (and absolute), else ~/.config.
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg.startsWith('/') ? xdg : join(home, '.config'), PRODUCT_NAME);
}

export function defaultDbPath(dir = appDataDir()): string {
  return join(dir, 'log.sqlite');
}

export function defaultSettingsPath(dir = appDataDir()): string {
  return join(dir, 'settings.json');
}
