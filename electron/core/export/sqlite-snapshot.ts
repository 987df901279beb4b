import Database from 'better-sqlite3';
import { ensurePrivateFile } from '../private-files';
import { openConnection } from '../storage/database';
import { filterSql } from '../storage/filter-sql';
import { createBodyIndex } from '../storage/body-index';
import { storeBodiesWhole } from '../storage/body-store';
import { rebuildRollups } from '../storage/stats-rollup';
import { rebuildRatios } from '../storage/token-ratios';
import type { RequestFilter } from '../contract/model';
import { throwIfCancelled } from './errors';
import type { ExportJob } from './job';

/** An export job, minus where it ends up: the snapshot is written to a path the caller gives. */
export type SnapshotOptions = Omit<ExportJob, 'destination' | 'format'>;

/** Pages per backup step while nothing interferes: 16 MiB at 4 KiB pages, a few ms of copying. */
const STEP_PAGES = 4096;
/**
 * "Everything that is left", as a page count: better-sqlite3 clamps a step to this and SQLite
 * copies what remains. The database's size at the last callback would not do: by the next step
 * the writer may have grown it, the step ends short, and the next commit restarts it again.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the live log to `temp` with SQLite's online backup API, from a read-only connection
 * of our own (the writer thread never waits on it: in WAL mode readers don't block writers).
 *
 * Why the step size changes: the backup releases its read lock between steps, and a commit by
 * another connection in between makes it start over. The proxy's writer commits every few ms, so
 * small steps alone could restart forever. Small steps keep the event loop free while nothing is
 * written; after the first restart the rest goes in one step, which holds a single read snapshot
 * and so always finishes. The copy is then exactly the database as of that step's start.
 */
async function backup(options: SnapshotOptions, temp: string): Promise<void> {
  // Created 0600 before SQLite writes to it: its journal inherits the mode, and the rename keeps it.
  ensurePrivateFile(temp);
  const src = openConnection(options.source, { readonly: true });
  try {
    // How far the copy would be had nothing restarted it. A restart shows as less done than that
    // (a restart on the first step looks like no restart, and costs nothing).
    let expected = 0;
    await src.backup(temp, {
      progress: ({ totalPages, remainingPages }) => {
        // Thrown here, better-sqlite3 closes the backup and rejects: the cancel lands between steps.
        throwIfCancelled(options.signal);
        const done = totalPages - remainingPages;
        const restarted = done < expected;
        options.onProgress?.({ phase: 'copying', done, total: totalPages });
        const step = restarted ? ALL_PAGES : STEP_PAGES;
        expected = done + step;
        return step;
      },
    });
  } finally {
    src.close();
  }
}

function isWholeLog(filter: RequestFilter): boolean {
  return Object.values(filter).every((v) => v === undefined);
}

/**
 * Narrows the copy to what was asked: rows outside the filter go (their exchanges by cascade),
 * bodies are stored whole again (or blanked, with their full-text index, if excluded), headers blanked if
 * excluded, token_ratios and the stats rollup
 * are re-derived
 * from what is left,
 * and VACUUM gives the freed pages back so the file is as small as its content. Runs on the
 * private temp copy, which no one else can see yet.
 */
function narrow(temp: string, options: SnapshotOptions): void {
  const db = new Database(temp);
  try {
    // The copy carries the source's WAL flag; a lone file in rollback mode is what gets mailed
    // around, and opens read-only anywhere (WAL readers need to create a -shm beside it).
    db.pragma('journal_mode = DELETE');
    db.pragma('foreign_keys = ON');
    const whole = isWholeLog(options.filter);
    const templated =
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'body_templates'").pluck().get() === 1 &&
      db.prepare('SELECT EXISTS (SELECT 1 FROM body_templates)').pluck().get() === 1;
    if (whole && options.includeBodies && options.includeHeaders && !templated) return;
    throwIfCancelled(options.signal);
    options.onProgress?.({ phase: 'compacting', done: 0, total: 0 });
    db.transaction(() => {
      // Rows that go release their body parts (a trigger), so filter first, then put the kept
      // bodies back whole: a snapshot is read by other tools (a notebook, the sqlite3 shell), which
      // should find request_body where the column table says, without knowing the body store.
      if (!whole) {
        const where = filterSql(options.filter);
        // coalesce: a filter term on a NULL column (cost >= x with unknown cost) is NULL, not false,
        // and NOT NULL would keep a row the filter does not select.
        db.prepare(`DELETE FROM requests AS r WHERE NOT coalesce((${where.sql}), 0)`).run(...where.params);
        rebuildRatios(db, new Date().toISOString());
        rebuildRollups(db);
      }
      if (options.includeBodies) {
        if (templated) {
          storeBodiesWhole(db);
          createBodyIndex(db).rebuild();
        }
      } else {
        db.exec('DELETE FROM body_templates; DELETE FROM body_part_refs');
        db.exec('UPDATE exchanges SET request_body = NULL, response_body = NULL');
        // The index holds the bodies' words: rebuilt from no bodies, it is empty, and none leaks.
        createBodyIndex(db).rebuild();
      }
      if (!options.includeHeaders) db.exec("UPDATE exchanges SET request_headers = '{}', response_headers = NULL");
    })();
    throwIfCancelled(options.signal);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

/** Writes a snapshot of the log to `temp` (which the caller renames into place); returns its row count. */
export async function writeSnapshot(options: SnapshotOptions, temp: string): Promise<number> {
  await backup(options, temp);
  narrow(temp, options);
  const db = new Database(temp, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  } finally {
    db.close();
  }
}
