// Stand-ins for Electron's `app` (the single-instance lock) and BrowserWindow (bounds, states and
// the events the window-state tracker listens to), faithful where our glue depends on them:
// - the lock is per userData folder; a second requestSingleInstanceLock() on a held folder returns
//   false and the holder gets 'second-instance' (Electron delivers it on the holder's next task);
// - a window's normal bounds survive maximise and minimise, and moving or resizing emits 'move' /
//   'resize' as the OS does; close() emits 'close' then 'closed'.
import { EventEmitter } from 'node:events';
import type { Rect } from '../../electron/core/desktop/window-state';

const locks = new Map<string, StandInApp>();

export class StandInApp extends EventEmitter {
  quitCalls = 0;
  private holds = false;

  constructor(readonly userData: string) {
    super();
  }

  requestSingleInstanceLock(): boolean {
    const holder = locks.get(this.userData);
    if (holder && holder !== this) {
      setImmediate(() => holder.emit('second-instance', {}, [], ''));
      return false;
    }
    locks.set(this.userData, this);
    this.holds = true;
    return true;
  }

  quit(): void {
    this.quitCalls++;
    if (this.holds) locks.delete(this.userData);
    this.holds = false;
  }
}

export class StandInWindow extends EventEmitter {
  private normal: Rect;
  private maximized = false;
  private minimized = false;
  private visible = true;
  focused = false;

  constructor(bounds: Rect) {
    super();
    this.normal = { ...bounds };
  }

  getNormalBounds(): Rect {
    return { ...this.normal };
  }
  setBounds(bounds: Partial<Rect>): void {
    const moved = bounds.x !== undefined || bounds.y !== undefined;
    this.normal = { ...this.normal, ...bounds };
    if (moved) this.emit('move');
    if (bounds.width !== undefined || bounds.height !== undefined) this.emit('resize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
    this.emit('resize');
  }
  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
    this.emit('resize');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
    this.focused = false;
    this.emit('minimize');
  }
  restore(): void {
    this.minimized = false;
    this.emit('restore');
  }
  isVisible(): boolean {
    return this.visible && !this.minimized;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    // The OS gives focus only to a window on screen.
    this.focused = this.isVisible();
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.emit('closed');
  }
}
