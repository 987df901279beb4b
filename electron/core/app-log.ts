// The desktop app's own log (not the request log): what main prints — startup, proxy bind
// failures, API errors, shutdown problems — also goes to a file in the app data folder, because a
// packaged app has no terminal to print to. Writes are synchronous: the volume is a few lines per
// session, and a line written just before a crash must not sit in a buffer.
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';

export const APP_LOG_NAME = 'app.log';
/** Past this the file is moved to app.old.log and a new one started: two files at most, ever. */
export const APP_LOG_MAX_BYTES = 5 * 1024 * 1024;

export type LogLevel = 'info' | 'warn' | 'error';

export interface AppLog {
  readonly path: string;
  write(level: LogLevel, ...args: unknown[]): void;
  close(): void;
}

export function appLogPath(dataDir: string): string {
  return join(dataDir, APP_LOG_NAME);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function openAppLog(path: string, maxBytes = APP_LOG_MAX_BYTES): AppLog {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const old = path.replace(/\.log$/, '') + '.old.log';
  let size = sizeOf(path);
  let fd: number | null = null;

  const open = () => {
    if (size >= maxBytes) {
      renameSync(path, old);
      size = 0;
    }
    // API errors in it can quote request details: as private as the log itself.
    fd = openSync(path, 'a', PRIVATE_FILE_MODE);
  };
  open();

  return {
    path,
    write(level, ...args) {
      if (fd === null) return;
      const line = Buffer.from(`${new Date().toISOString()} ${level.padEnd(5)} ${format(...args)}\n`);
      try {
        writeSync(fd, line);
        size += line.length;
        if (size >= maxBytes) {
          closeSync(fd);
          fd = null;
          open();
        }
      } catch {
        // A full disk or a removed folder must never take the app down with it; the console still
        // has the line. A rotation that failed leaves the log closed (fd null) rather than half-open.
      }
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/**
 * Copies console.log/info/warn/error into the log (they still print too) and returns a function that
 * puts the console back. Everything in main and core already reports through console.
 */
export function teeConsole(log: AppLog, target: Console = console): () => void {
  const levels: Record<'log' | 'info' | 'warn' | 'error', LogLevel> = {
    log: 'info',
    info: 'info',
    warn: 'warn',
    error: 'error',
  };
  const originals = new Map<keyof typeof levels, (...args: unknown[]) => void>();
  for (const [method, level] of Object.entries(levels) as [keyof typeof levels, LogLevel][]) {
    const original = target[method].bind(target);
    originals.set(method, target[method]);
    target[method] = (...args: unknown[]) => {
      original(...args);
      log.write(level, ...args);
    };
  }
  return () => {
    for (const [method, fn] of originals) target[method] = fn;
  };
}
