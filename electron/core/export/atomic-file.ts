import { randomBytes } from 'node:crypto';
import { rm, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFailure } from './errors';

/**
 * Runs `write(tempPath)` against a temporary file beside `destination`, then renames it into
 * place. Same folder, so the rename is atomic: a reader sees the old file or the whole new one,
 * never a half-written one. On any failure the temporary file (and SQLite's side files) is
 * removed and the error is mapped to an ExportError naming the destination.
 */
export async function writeAtomically<T>(
  destination: string,
  write: (tempPath: string) => Promise<T>,
  temp = tempPathBeside(destination),
): Promise<T> {
  try {
    const result = await write(temp);
    await rename(temp, destination);
    return result;
  } catch (e) {
    await removeQuietly(temp);
    throw writeFailure(destination, e);
  } finally {
    await removeSideFiles(temp);
  }
}

/** A hidden, random name in the destination's folder (same file system, so the rename is atomic). */
export function tempPathBeside(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.partial`);
}

/** Removes a temporary file and its SQLite side files; for a writer that died without cleaning up. */
export async function removeTempFiles(temp: string): Promise<void> {
  await removeQuietly(temp);
  await removeSideFiles(temp);
}

async function removeSideFiles(temp: string): Promise<void> {
  // A SQLite temp copy in rollback-journal mode may leave a journal if its connection died mid-write.
  await removeQuietly(`${temp}-journal`);
  await removeQuietly(`${temp}-wal`);
  await removeQuietly(`${temp}-shm`);
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch {
    // Nothing more can be done; the caller is already reporting the real failure.
  }
}
