import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appLogPath, openAppLog, teeConsole } from '../../electron/core/app-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inspector-applog-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('app log', () => {
  it('lives in the data folder and appends timestamped lines across opens', () => {
    const path = appLogPath(join(dir, 'data'));
    expect(path).toBe(join(dir, 'data', 'app.log'));
    const first = openAppLog(path);
    first.write('info', 'started on port %d', 8080);
    first.close();
    const second = openAppLog(path);
    second.write('error', 'proxy:', new Error('EADDRINUSE'));
    second.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info {2}started on port 8080$/);
    expect(lines[1]).toMatch(/ error proxy: Error: EADDRINUSE/);
  });

  it('keeps at most two files: past the limit the log moves to app.old.log', () => {
    const path = appLogPath(dir);
    const log = openAppLog(path, 200);
    for (let i = 0; i < 10; i++) log.write('info', `line ${i} ${'x'.repeat(40)}`);
    log.close();
    const current = readFileSync(path, 'utf8');
    const old = readFileSync(join(dir, 'app.old.log'), 'utf8');
    expect(current.length).toBeLessThan(200);
    expect(old).not.toContain('line 0 ');
    expect(current).toContain('line 9 ');
    expect(old.length).toBeGreaterThanOrEqual(200);
  });

  it('a write after close, or to a folder that is gone, does not throw', () => {
    const sub = join(dir, 'gone');
    const log = openAppLog(join(sub, 'app.log'), 100);
    rmSync(sub, { recursive: true });
    // The next rotation has no folder to rename in: swallowed, the app keeps running.
    expect(() => log.write('info', 'x'.repeat(150))).not.toThrow();
    log.close();
    expect(() => log.write('info', 'after close')).not.toThrow();
    expect(existsSync(sub)).toBe(false);
  });

  it('teeConsole copies console output into the file and restores the console', () => {
    const path = appLogPath(dir);
    const log = openAppLog(path);
    const printed: unknown[][] = [];
    const fake = {
      log: (...a: unknown[]) => printed.push(a),
      info: () => {},
      warn: () => {},
      error: (...a: unknown[]) => printed.push(a),
    } as unknown as Console;
    const restore = teeConsole(log, fake);
    fake.log('hello', { port: 1 });
    fake.error('api:', 'bad input');
    restore();
    fake.log('not logged');
    log.close();
    expect(printed).toEqual([['hello', { port: 1 }], ['api:', 'bad input'], ['not logged']]);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/ info {2}hello \{ port: 1 \}\n/);
    expect(text).toMatch(/ error api: bad input\n/);
    expect(text).not.toContain('not logged');
  });
});
