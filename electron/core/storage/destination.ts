// An export must never land on a log that is in use. The export is renamed into place, so a
// destination that is the live log (or its -wal) swaps the file under the writer: the app then
// refuses to start, or replays an old WAL onto a new file after a crash. Paths are compared by
// what they resolve to (symlinks, `..`, a symlinked folder) and, for files that exist, by device
// and inode (hard links), since a rename acts on names and a name is easy to alias.
import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The files SQLite keeps beside a database: writing over any of them corrupts it. */
export const SIDE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

/** Case-insensitive file systems are the default on macOS and Windows. */
const foldCase = process.platform === 'darwin' || process.platform === 'win32';

/**
 * The path `path` names once symlinks are resolved; for a file that doesn't exist yet, its folder's real path
 * plus its name.
 */
function resolved(path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    try {
      real = join(realpathSync(dirname(path)), basename(path));
    } catch {
      real = path;
    }
  }
  return foldCase ? real.toLowerCase() : real;
}

function identity(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Why `destination` may not be written, or null when it may: it is one of `databases` (the live
 * log, an open viewer, the export's own source) or one of their side files.
 */
export function destinationConflict(destination: string, databases: readonly string[]): string | null {
  const target = resolved(destination);
  const targetId = identity(destination);
  for (const db of databases) {
    for (const suffix of SIDE_SUFFIXES) {
      const file = `${db}${suffix}`;
      const what = suffix === '' ? `the log database ${db}` : `${db}'s ${suffix.slice(1)} file`;
      if (resolved(file) === target) return `${destination} is ${what}, which is in use; choose another file.`;
      const id = targetId && identity(file);
      if (targetId && id && id.dev === targetId.dev && id.ino === targetId.ino) {
        return `${destination} is another name (a link) for ${what}, which is in use; choose another file.`;
      }
    }
  }
  return null;
}
