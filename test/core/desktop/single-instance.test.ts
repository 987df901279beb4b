// One instance per data folder, through the app and window stand-ins: the second launch quits and
// the first comes forward, also from minimised or hidden.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance } from '../../../electron/core/desktop/single-instance';
import { StandInApp, StandInWindow } from '../../electron/app-stand-in';

describe('single instance', () => {
  it('a second launch quits and brings the running window forward, restored', async () => {
    const first = new StandInApp('/data/a');
    const win = new StandInWindow({ x: 0, y: 0, width: 800, height: 600 });
    expect(claimSingleInstance(first, () => win)).toBe(true);
    win.minimize();

    const second = new StandInApp('/data/a');
    const forward = once(first, 'second-instance');
    expect(claimSingleInstance(second, () => null)).toBe(false);
    expect(second.quitCalls).toBe(1);
    await forward;
    expect(win.isMinimized()).toBe(false);
    expect(win.focused).toBe(true);

    // A hidden window (macOS: closed to the dock, or hidden with ⌘H) is shown as well.
    win.hide();
    const again = once(first, 'second-instance');
    expect(claimSingleInstance(new StandInApp('/data/a'), () => null)).toBe(false);
    await again;
    expect(win.isVisible() && win.focused).toBe(true);
    first.quit();
  });

  it('does nothing to a window that is not there yet, and asks for the window at each launch', async () => {
    const first = new StandInApp('/data/b');
    let current: StandInWindow | null = null;
    claimSingleInstance(first, () => current);
    const early = once(first, 'second-instance');
    claimSingleInstance(new StandInApp('/data/b'), () => null);
    await early; // start-up: no window yet, nothing to focus, no crash
    current = new StandInWindow({ x: 0, y: 0, width: 800, height: 600 });
    current.hide();
    const later = once(first, 'second-instance');
    claimSingleInstance(new StandInApp('/data/b'), () => null);
    await later;
    expect(current.focused).toBe(true);
    first.quit();
  });

  it('keeps instances with different data folders apart (a test run beside the user’s app)', () => {
    const user = new StandInApp('/home/u/.config/LLM Request Inspector');
    const test = new StandInApp('/tmp/inspector-smoke-1');
    expect(claimSingleInstance(user, () => null)).toBe(true);
    expect(claimSingleInstance(test, () => null)).toBe(true);
    user.quit();
    test.quit();
  });
});
