// What the app does with a newer version, by how it was installed. electron-updater can replace
// an AppImage (it rewrites the file $APPIMAGE names) and run a new NSIS installer without a code
// signature; a macOS update must be signed, and a deb belongs to the package manager, so there
// the app only says that a version exists and opens its release page.
import type { UpdateCheckOutcome } from './update-check';

export type InstallMode = 'in-app' | 'link';

export interface InstallContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** app.isPackaged: a development run has nothing to replace. */
  isPackaged: boolean;
}

export function installModeOf({ platform, env, isPackaged }: InstallContext): InstallMode {
  if (!isPackaged) return 'link';
  // The AppImage runtime sets APPIMAGE to the file being run; a deb install has no such variable.
  if (platform === 'linux') return env.APPIMAGE ? 'in-app' : 'link';
  // electron-builder's portable target sets PORTABLE_EXECUTABLE_DIR; only the NSIS install can update itself.
  if (platform === 'win32') return env.PORTABLE_EXECUTABLE_DIR ? 'link' : 'in-app';
  return 'link';
}

export type UpdateAction = 'download' | 'open-page' | 'none';

export interface UpdateMessage {
  /** 'info' for news the user may act on, 'error' for a failed check. */
  type: 'info' | 'error';
  message: string;
  detail: string;
  /** The first is the default; the second (when there is one) is what Escape picks. */
  buttons: { label: string; action: UpdateAction }[];
}

const OK = [{ label: 'OK', action: 'none' as const }];
const LATER = { label: 'Later', action: 'none' as const };
const OPEN_PAGE = { label: 'Open Release Page', action: 'open-page' as const };

/**
 * The dialog for an outcome, or null when there is nothing to say. An automatic check speaks
 * only when there is a new version; a check from the menu always answers.
 */
export function updateMessage(outcome: UpdateCheckOutcome, mode: InstallMode, asked: boolean): UpdateMessage | null {
  switch (outcome.kind) {
    case 'available': {
      const { release, current } = outcome;
      const message = `LLM Request Inspector ${release.version} is available (you have ${current}).`;
      return mode === 'in-app'
        ? {
            type: 'info',
            message,
            detail: 'Download it now? It is installed when you restart the app.',
            buttons: [{ label: 'Download', action: 'download' }, LATER, OPEN_PAGE],
          }
        : {
            type: 'info',
            message,
            detail: `Download it from the release page:\n${release.pageUrl}`,
            buttons: [OPEN_PAGE, LATER],
          };
    }
    case 'up-to-date':
      return asked
        ? { type: 'info', message: `You have the newest version (${outcome.current}).`, detail: '', buttons: OK }
        : null;
    case 'failed':
      return asked
        ? { type: 'error', message: 'Could not check for updates.', detail: outcome.message, buttons: OK }
        : null;
    case 'no-feed':
      return asked
        ? {
            type: 'info',
            message: 'This build has no release feed to check.',
            detail: 'Development builds are not updated; install a release to get updates.',
            buttons: OK,
          }
        : null;
    case 'disabled':
    case 'not-due':
      return null;
    default: {
      const never: never = outcome;
      throw new Error(`unexpected outcome ${JSON.stringify(never)}`);
    }
  }
}
