// Browsing a log must not write beside it: it may sit in a read-only folder (a mounted share, a
// colleague's archive), and files left beside someone's log are litter at best. A read-only
// SQLite connection writes nothing for a database in rollback-journal mode (what exports are),
// so that file is read where it is. A database in WAL mode is another matter: even a read-only
// connection creates -wal and -shm beside it (and can't open it at all in a read-only folder), and
// better-sqlite3 is built without URI filenames, so `?immutable=1` is not available. A database
// with a hot journal needs a rollback, which is a write. Those are read from a private copy: the
// file and its side file, copied into a folder of our own (0700), where SQLite can do what it must.
import { constants, openSync, readSync, closeSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { StorageError, errorMessage } from './errors';

export interface ReadableFile {
  /** The file to open: `path` itself, or the private copy. */
  readonly readPath: string;
  readonly copied: boolean;
  /** Removes the private copy, if any. */
  dispose(): Promise<void>;
}

/** Bytes 18 and 19 of the header: 1 for rollback-journal mode, 2 for WAL. */
function journalMode(path: string): 'rollback' | 'wal' | 'unknown' {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 20, 0) < 20) return 'unknown';
  } finally {
    closeSync(fd);
  }
  if (header[18] === 2 && header[19] === 2) return 'wal';
  if (header[18] === 1 && header[19] === 1) return 'rollback';
  return 'unknown';
}

const nonEmpty = (path: string) => (statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 0;

/** Where to read `path` from without writing beside it. Throws StorageError io if it can't be read or copied. */
export async function readableFile(path: string): Promise<ReadableFile> {
  let mode: ReturnType<typeof journalMode>;
  try {
    mode = journalMode(path);
  } catch (e) {
    throw new StorageError('io', path, `cannot open: ${errorMessage(e)}`, { cause: e });
  }
  // 'unknown' (not a database, or an empty file) is read in place: opening it says what it is.
  if (mode !== 'wal' && !nonEmpty(`${path}-journal`)) return { readPath: path, copied: false, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'inspector-view-'));
  const copy = join(dir, basename(path));
  try {
    // The side file first: a writer that commits meanwhile only adds frames past what the copied
    // database needs. A log that is being written while copied can still be caught mid-checkpoint;
    // the copy is then refused by the checks that follow, never repaired.
    const side = mode === 'wal' ? '-wal' : '-journal';
    if (nonEmpty(`${path}${side}`)) await copyFile(`${path}${side}`, `${copy}${side}`, constants.COPYFILE_FICLONE);
    await copyFile(path, copy, constants.COPYFILE_FICLONE);
    // Folds the WAL (or rolls back the journal) into the copy and leaves it a lone file in
    // rollback mode, which read-only connections open without creating anything.
    const db = new Database(copy);
    try {
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (e instanceof StorageError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StorageError(
        'not_a_database',
        path,
        'is not a SQLite database (or is corrupt); it was left untouched',
        { cause: e },
      );
    }
    throw new StorageError('io', path, `cannot take a private copy to read: ${errorMessage(e)}`, { cause: e });
  }
  return { readPath: copy, copied: true, dispose: () => rm(dir, { recursive: true, force: true }) };
}
