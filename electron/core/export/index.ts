// Export of the log: a SQLite snapshot or the rows of a filter as JSONL, CSV or HAR 1.2. Every
// export writes a temporary file beside the destination and renames it into place, so a reader
// never sees a half-written file and a failure leaves nothing behind.
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { open } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from '../private-files';
import { openConnection } from '../storage/database';
import { isStorageError } from '../storage/errors';

import { writeAtomically } from './atomic-file';
import { destinationConflict } from '../storage/destination';
import { ExportError, throwIfCancelled, writeFailure } from './errors';
import { countRows, rowPages } from './row-pages';
import { writeSnapshot } from './sqlite-snapshot';
import { textFormat } from './text-formats';

export { ExportError, isExportError, type ExportErrorCode } from './errors';

export type { CancelSignal, ExportFormat, ExportJob, ExportProgress, ExportSummary } from './job';
import type { ExportJob, ExportSummary } from './job';

async function writeText(job: ExportJob, temp: string): Promise<number> {
  let db;
  try {
    db = openConnection(job.source, { readonly: true });
  } catch (e) {
    throw new ExportError('source', isStorageError(e) ? e.message : `Cannot read ${job.source}.`, { cause: e });
  }
  // 'wx': the temp name is random, so an existing file there is someone else's; never clobber it.
  const file = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    const format = textFormat(job.format as 'jsonl' | 'csv' | 'har', job);
    const total = countRows(db, job.filter);
    let rows = 0;
    if (format.head) await file.write(format.head);
    job.onProgress?.({ phase: 'writing', done: 0, total });
    for (const page of rowPages(db, job)) {
      throwIfCancelled(job.signal);
      // One write per page: the page is the unit of memory, and awaiting it is the backpressure
      // (and the moment a cancel message reaches this thread).
      await file.write(format.encode(page, rows));
      rows += page.length;
      job.onProgress?.({ phase: 'writing', done: rows, total: Math.max(total, rows) });
    }
    if (format.tail) await file.write(format.tail);
    await file.sync();
    return rows;
  } finally {
    await file.close();
    db.close();
  }
}

/** Runs one export to completion; throws ExportError (with nothing left at the destination) on failure. */
export async function exportLog(job: ExportJob): Promise<ExportSummary> {
  const conflict = destinationConflict(job.destination, [job.source, ...(job.inUse ?? [])]);
  if (conflict !== null) throw new ExportError('destination_in_use', conflict);
  // Checked first so "no such folder" isn't reported as whatever the temp file's open says.
  try {
    const folder = await stat(dirname(job.destination));
    if (!folder.isDirectory())
      throw Object.assign(new Error(`${dirname(job.destination)} is not a folder`), { code: 'ENOTDIR' });
  } catch (e) {
    throw writeFailure(job.destination, e);
  }
  throwIfCancelled(job.signal);
  const rows = await writeAtomically(
    job.destination,
    async (temp) => {
      const n = job.format === 'sqlite' ? await writeSnapshot({ ...job }, temp) : await writeText(job, temp);
      // A cancel that arrived during the last step (a VACUUM can't be interrupted) still wins:
      // the temporary file goes and nothing appears at the destination.
      throwIfCancelled(job.signal);
      return n;
    },
    job.tempPath,
  );
  return { path: job.destination, rows, bytes: (await stat(job.destination)).size };
}
