import { errorMessage } from '../storage/errors';

export type ExportErrorCode =
  | 'permission_denied' // the folder can't be written (read-only, not ours)
  | 'disk_full'
  | 'no_such_folder' // the destination's folder doesn't exist, or a part of its path is a file
  | 'source' // the log database couldn't be read
  | 'cancelled' // the user cancelled it
  | 'destination_in_use' // the destination is a log database in use (or one of its side files)
  | 'io'; // anything else the file system said

/** An export that failed and left nothing behind at the destination; the message is fit for the UI. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isExportError(e: unknown): e is ExportError {
  return e instanceof ExportError;
}

/** Thrown at the next checkpoint (a page, a backup step, before the rename) once `signal` is aborted. */
export function throwIfCancelled(signal: { readonly aborted: boolean } | undefined): void {
  if (signal?.aborted) throw new ExportError('cancelled', 'Export cancelled; nothing was written.');
}

/** Maps what Node or SQLite said about a write to a reason a person can act on. */
export function writeFailure(destination: string, e: unknown): ExportError {
  if (e instanceof ExportError) return e;
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS' ||
    code === 'SQLITE_READONLY' ||
    code === 'SQLITE_CANTOPEN'
  ) {
    return new ExportError(
      'permission_denied',
      `Cannot write ${destination}: permission denied (${errorMessage(e)}).`,
      { cause: e },
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new ExportError('disk_full', `Cannot write ${destination}: the disk is full.`, { cause: e });
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ExportError(
      'no_such_folder',
      `Cannot write ${destination}: its folder does not exist (${errorMessage(e)}).`,
      { cause: e },
    );
  }
  return new ExportError('io', `Cannot write ${destination}: ${errorMessage(e)}`, { cause: e });
}
