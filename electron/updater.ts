// Update glue: the check itself is core (updates/), this only shows its answer and, where the
// platform can install an unsigned update (AppImage, NSIS) and the user says Download, hands over
// to electron-updater, which fetches the files named in the release's latest*.yml, verifies their
// sha512 and installs on the next quit. Nothing is downloaded without that click.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import electronUpdater from 'electron-updater';
import { releaseFeedFromUpdateConfig } from './core/updates/feed-config';
import { createUpdateChecker, updateStatePath, type UpdateChecker } from './core/updates/update-check';
import { installModeOf, updateMessage } from './core/updates/update-offer';
import { openExternally } from './security';

function bundledUpdateConfig(): string | null {
  if (!app.isPackaged) return null;
  try {
    return readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8');
  } catch {
    return null;
  }
}

export interface Updates {
  /** On start: quiet unless a newer version exists. */
  checkIfDue(): void;
  /** From the menu: always answers. */
  checkNow(): void;
}

export function setUpUpdates(options: {
  dataDir: string;
  enabled: () => boolean;
  window: () => BrowserWindow | null;
}): Updates {
  const checker: UpdateChecker = createUpdateChecker({
    currentVersion: app.getVersion(),
    feedUrl: releaseFeedFromUpdateConfig(bundledUpdateConfig()),
    statePath: updateStatePath(options.dataDir),
    enabled: options.enabled,
  });
  const mode = installModeOf({ platform: process.platform, env: process.env, isPackaged: app.isPackaged });

  const show = async (box: MessageBoxOptions): Promise<number> => {
    const win = options.window();
    return (win ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box)).response;
  };

  const download = async (): Promise<void> => {
    const { autoUpdater } = electronUpdater;
    autoUpdater.autoDownload = false;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.logger = console;
    await autoUpdater.checkForUpdates();
    await autoUpdater.downloadUpdate();
    const restart = await show({
      type: 'info',
      message: 'The update is downloaded.',
      detail: 'It is installed when the app restarts.',
      buttons: ['Restart Now', 'Later'],
      defaultId: 0,
      cancelId: 1,
    });
    // quitAndInstall quits through before-quit, so the log is flushed and closed first as on any quit.
    if (restart === 0) autoUpdater.quitAndInstall();
  };

  const run = async (asked: boolean): Promise<void> => {
    const outcome = asked ? await checker.checkNow() : await checker.checkIfDue();
    if (outcome.kind === 'failed') console.error(`update check: ${outcome.message}`);
    const message = updateMessage(outcome, mode, asked);
    if (!message) return;
    const choice = await show({
      type: message.type,
      message: message.message,
      detail: message.detail,
      buttons: message.buttons.map((b) => b.label),
      defaultId: 0,
      cancelId: message.buttons.length > 1 ? 1 : 0,
    });
    const action = message.buttons[choice]?.action ?? 'none';
    if (outcome.kind !== 'available') return;
    if (action === 'download') {
      await download().catch(async (error: unknown) => {
        console.error('update download:', error);
        await show({
          type: 'error',
          message: 'The update could not be downloaded.',
          detail: `${String(error)}\n\nDownload it from the release page instead:\n${outcome.release.pageUrl}`,
          buttons: ['OK'],
        });
      });
    } else if (action === 'open-page') {
      openExternally(outcome.release.pageUrl);
    }
  };

  const runLogged = (asked: boolean) =>
    void run(asked).catch((error: unknown) => console.error('update check:', error));
  return { checkIfDue: () => runLogged(false), checkNow: () => runLogged(true) };
}
