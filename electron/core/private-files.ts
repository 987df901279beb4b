// The log, its WAL/SHM, exports and settings hold prompts, responses and keys: other local users
// must not read them. Modes are set explicitly rather than left to the umask (a umask of 0 or 002
// is common), and the database file is created 0600 before SQLite opens it, because SQLite gives
// its -wal, -shm and -journal files the mode of the database file.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) 0700. An existing folder is made 0700 only when `own` says it is ours. */
export function ensurePrivateDir(dir: string, own: 'ours' | 'anyones' = 'anyones'): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (own === 'ours') chmodQuietly(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty if missing and sets it (and any side files given) to 0600. */
export function ensurePrivateFile(file: string, sideFiles: readonly string[] = []): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
  for (const side of sideFiles) if (statSync(side, { throwIfNoEntry: false })) chmodQuietly(side, PRIVATE_FILE_MODE);
}

function chmodQuietly(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // A file system without modes (FAT, some network shares) or a folder of another user: the
    // contents are no less private than the place the user chose for them.
  }
}
