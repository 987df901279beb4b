// The main window's size, position and maximised state across runs, kept in window-state.json in
// the data folder. Saved (atomically) half a second after the user stops moving or resizing, and
// once more on close; restored only where it is still visible, since a monitor unplugged since
// the last run would otherwise open the window off-screen, out of reach.
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, writeStateFileSync } from './state-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The bounds when neither maximised nor minimised (what un-maximising returns to). */
  bounds: Rect;
  maximized: boolean;
}

const rectSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const stateSchema = z.object({ bounds: rectSchema, maximized: z.boolean() });

export function windowStatePath(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

export async function loadWindowState(file: string): Promise<WindowState | null> {
  const parsed = stateSchema.safeParse(await readStateFile(file));
  return parsed.success ? parsed.data : null;
}

/** How much of the window must lie on one display's work area: enough of the title bar to grab it. */
const GRAB = { width: 100, height: 40 };

/**
 * The saved state to open with, or null for the default placement: the size is raised to the
 * window's minimum, and bounds that no display shows enough of are dropped.
 */
export function restorableState(
  saved: WindowState | null,
  workAreas: Rect[],
  min: { width: number; height: number },
): WindowState | null {
  if (!saved) return null;
  const bounds = {
    ...saved.bounds,
    width: Math.max(saved.bounds.width, min.width),
    height: Math.max(saved.bounds.height, min.height),
  };
  const visible = workAreas.some((area) => {
    const w = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    // The top edge must be on the display: that is where the window is dragged from.
    const topOnScreen = bounds.y >= area.y && bounds.y < area.y + area.height;
    const h = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return topOnScreen && w >= Math.min(GRAB.width, bounds.width) && h >= Math.min(GRAB.height, bounds.height);
  });
  return visible ? { bounds, maximized: saved.maximized } : null;
}

/** What the tracker needs of a BrowserWindow. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface WindowStateTracker {
  /** Writes a pending change now (e.g. before quitting). */
  flush(): void;
}

export function trackWindowState(
  win: TrackedWindow,
  file: string,
  options: { debounceMs?: number; onError?: (error: unknown) => void } = {},
): WindowStateTracker {
  const debounceMs = options.debounceMs ?? 500;
  const onError = options.onError ?? (() => undefined);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const snapshot = (): WindowState => ({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    // Moving or resizing fires dozens of events a second: write once the user has let go.
    timer = setTimeout(() => {
      timer = null;
      writeStateFile(file, snapshot()).catch(onError);
    }, debounceMs);
  };
  const flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = null;
    try {
      writeStateFileSync(file, snapshot());
    } catch (error) {
      onError(error);
    }
  };

  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, schedule);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    timer = null;
    closed = true;
    // Synchronous: after the last window closes the app may exit before an async write lands.
    try {
      writeStateFileSync(file, snapshot());
    } catch (error) {
      onError(error);
    }
  });
  return { flush };
}
