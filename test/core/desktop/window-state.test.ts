// The window's size, position and maximised state across runs, through the BrowserWindow stand-in
// and real files: written once the user lets go and on close, restored only where visible.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  loadWindowState,
  restorableState,
  trackWindowState,
  windowStatePath,
} from '../../../electron/core/desktop/window-state';
import { StandInWindow } from '../../electron/app-stand-in';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inspector-window-'));
  file = windowStatePath(dir);
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const MIN = { width: 900, height: 560 };
const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: -200, width: 2560, height: 1415 };

describe('window state', () => {
  it('writes once after a burst of moves and resizes, then again on close', async () => {
    vi.useFakeTimers();
    const win = new StandInWindow({ x: 100, y: 100, width: 1280, height: 800 });
    trackWindowState(win, file, { debounceMs: 500 });
    for (let i = 1; i <= 30; i++) win.setBounds({ x: 100 + i, width: 1280 + i });
    expect(existsSync(file)).toBe(false);
    await vi.advanceTimersByTimeAsync(499);
    expect(existsSync(file)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(existsSync(file)).toBe(true));
    expect(await loadWindowState(file)).toEqual({
      bounds: { x: 130, y: 100, width: 1310, height: 800 },
      maximized: false,
    });

    // Maximised: the normal bounds are kept for un-maximising next time. The close write is
    // synchronous, so it is on disk when close() returns, before any timer runs.
    win.maximize();
    win.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      bounds: { x: 130, y: 100, width: 1310, height: 800 },
      maximized: true,
    });
    expect(readdirSync(dir)).toEqual(['window-state.json']); // no temp file left behind
    await vi.advanceTimersByTimeAsync(1000);
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('flush() writes a pending change at once (before quitting)', () => {
    vi.useFakeTimers();
    const win = new StandInWindow({ x: 10, y: 20, width: 1000, height: 700 });
    const tracker = trackWindowState(win, file);
    tracker.flush();
    expect(existsSync(file)).toBe(false); // nothing pending, nothing written
    win.setBounds({ x: 50 });
    tracker.flush();
    expect(JSON.parse(readFileSync(file, 'utf8')).bounds.x).toBe(50);
  });

  it('restores bounds that a display still shows, and drops those no display does', () => {
    const onExternal = { bounds: { x: 2000, y: 100, width: 1280, height: 800 }, maximized: true };
    expect(restorableState(onExternal, [laptop, external], MIN)).toEqual(onExternal);
    // The external monitor was unplugged: default placement instead of a window off-screen.
    expect(restorableState(onExternal, [laptop], MIN)).toBeNull();
    // A sliver on screen is not enough to grab, and a title bar above the top edge can't be grabbed.
    expect(
      restorableState({ bounds: { x: 1400, y: 100, width: 1280, height: 800 }, maximized: false }, [laptop], MIN),
    ).toBeNull();
    expect(
      restorableState({ bounds: { x: 100, y: -50, width: 1280, height: 800 }, maximized: false }, [laptop], MIN),
    ).toBeNull();
    // Partly off the edge but grabbable: kept as it was.
    expect(
      restorableState({ bounds: { x: 1200, y: 700, width: 1280, height: 800 }, maximized: false }, [laptop], MIN),
    ).not.toBeNull();
    // Smaller than the window allows (an older version, a hand-edited file): raised to the minimum.
    expect(
      restorableState({ bounds: { x: 0, y: 0, width: 300, height: 200 }, maximized: false }, [laptop], MIN)?.bounds,
    ).toEqual({ x: 0, y: 0, width: 900, height: 560 });
  });

  it('treats a missing, broken or foreign file as no state', async () => {
    expect(await loadWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds":');
    expect(await loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 'a', y: 0, width: 1, height: 1 }, maximized: false }));
    expect(await loadWindowState(file)).toBeNull();
    expect(restorableState(null, [laptop], MIN)).toBeNull();
  });
});
