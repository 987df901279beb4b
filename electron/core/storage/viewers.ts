// Log databases opened read-only beside the live one (an export, a colleague's file). Each gets
// an id the read calls take as `source`; the live log is never one of them, so nothing a viewer
// does can reach the live proxy's file. Closing the core closes them all.
import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { errorMessage, isStorageError } from './errors';
import { openReadOnlyLog, type LogReader } from './open-readonly';
import type { DatabaseSource } from '../contract/types';
import { ApiError } from '../contract/errors';
import { destinationConflict } from './destination';

/** Each viewer holds a reader thread (and maybe a private copy); a page can't open them without end. */
export const MAX_VIEWERS = 8;

export interface Viewers {
  open(path: string): Promise<DatabaseSource>;
  list(): DatabaseSource[];
  /** The viewer's reader; ApiError not_found for an id that isn't open (closed, or from an earlier run). */
  get(id: string): LogReader;
  close(id: string): Promise<void>;
  closeAll(): Promise<void>;
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A query that overran its budget (or met a file that changed under it) is the file's problem, told as such. */
function guarded(reader: LogReader): LogReader {
  const wrap =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      f(...args).catch((e: unknown) => {
        throw isStorageError(e) ? new ApiError('unavailable', e.message) : e;
      });
  return {
    ...reader,
    listRequests: wrap(reader.listRequests),
    listScan: wrap(reader.listScan),
    listPage: wrap(reader.listPage),
    getRequest: wrap(reader.getRequest),
    getStats: wrap(reader.getStats),
    getTokenRatios: wrap(reader.getTokenRatios),
    getTokenDistributions: wrap(reader.getTokenDistributions),
    getDistributionRows: wrap(reader.getDistributionRows),
  };
}

export function createViewers(options: { livePath: string; budgetMs?: number }): Viewers {
  const open = new Map<string, { source: DatabaseSource; reader: LogReader; real: string }>();
  // Opening takes a while (a private copy, a thread): the same file asked for twice meanwhile is opened once.
  const opening = new Map<string, Promise<DatabaseSource>>();
  let next = 1;

  const describe = (id: string, path: string, reader: LogReader): DatabaseSource => ({
    id,
    path,
    name: basename(path),
    sizeBytes: reader.databaseSize(),
  });

  async function openReader(path: string, real: string): Promise<DatabaseSource> {
    let reader: LogReader;
    try {
      reader = await openReadOnlyLog(path, { budgetMs: options.budgetMs });
    } catch (e) {
      // The storage layer's own refusals (not a database, not ours, newer/older/changed schema)
      // name the file and say what to do; they are the answer.
      if (isStorageError(e)) throw new ApiError('invalid_input', e.message, [{ path: ['path'], message: e.code }]);
      throw e;
    }
    const id = `db${next++}`;
    const source = describe(id, path, reader);
    open.set(id, { source, reader: guarded(reader), real });
    return source;
  }

  return {
    async open(path) {
      if (!isAbsolute(path))
        throw new ApiError('invalid_input', 'The path must be absolute.', [
          { path: ['path'], message: 'must be an absolute path' },
        ]);
      let info;
      try {
        // Not throwIfNoEntry: since Node 22 it also swallows ENOTDIR (a path through a file), whose reason we show.
        info = statSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not_found', `${path}: no such file.`);
        // A folder on the way we may not enter, a name too long, ...: the system's reason is the answer.
        throw new ApiError('invalid_input', `${path}: ${errorMessage(e)}`, [
          { path: ['path'], message: 'cannot be read' },
        ]);
      }
      if (!info.isFile())
        throw new ApiError('invalid_input', `${path} is not a file.`, [{ path: ['path'], message: 'not a file' }]);
      // By every name it has (a symlink, a hard link), as exports compare destinations.
      if (destinationConflict(path, [options.livePath]) !== null)
        throw new ApiError('invalid_input', `${path} is the live log; it is already shown under Live.`);
      const real = canonical(path);
      for (const v of open.values()) if (v.real === real) return describe(v.source.id, v.source.path, v.reader);
      const inFlight = opening.get(real);
      if (inFlight) return inFlight;
      if (open.size + opening.size >= MAX_VIEWERS)
        throw new ApiError('unavailable', `At most ${MAX_VIEWERS} databases can be open at once; close one first.`);
      const started = openReader(path, real).finally(() => opening.delete(real));
      opening.set(real, started);
      return started;
    },
    list: () => [...open.values()].map((v) => describe(v.source.id, v.source.path, v.reader)),
    get(id) {
      const v = open.get(id);
      if (!v)
        throw new ApiError('not_found', `No database with id ${id} is open (it was closed, or the app restarted).`);
      return v.reader;
    },
    async close(id) {
      const v = open.get(id);
      if (!v) throw new ApiError('not_found', `No database with id ${id} is open.`);
      open.delete(id);
      await v.reader.close();
    },
    async closeAll() {
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((v) => v.reader.close()));
    },
  };
}
