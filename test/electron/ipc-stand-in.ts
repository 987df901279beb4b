// An in-memory stand-in for Electron's ipcMain / ipcRenderer / webContents / contextBridge,
// faithful where it matters for our wiring:
// - arguments, results and event payloads are structured-cloned (functions, class instances
//   and prototypes do not survive, exactly as over real IPC);
// - an error thrown in a handler rejects invoke with Electron's wrapped message only;
// - invoking a channel with no handler rejects;
// - contextBridge exposes a frozen copy whose functions clone what crosses the world boundary.
import type { IpcMainInvokeEventLike, IpcMainLike, WebContentsLike } from '../../electron/core/api/ipc-wiring';
import type { IpcRendererLike } from '../../electron/core/api/preload-bridge';

type Handler = (event: IpcMainInvokeEventLike, ...args: unknown[]) => Promise<unknown>;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export interface StandInWindow {
  webContents: WebContentsLike & { destroy(): void; navigate(): void };
  ipcRenderer: IpcRendererLike;
  /** What the page sees as `window`, after the preload ran. */
  world: Record<string, unknown>;
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  /** The URL of the page the frame shows (changes what the sender check sees). */
  frameUrl: string;
}

export class StandInIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  private nextId = 1;

  handle(channel: string, listener: Handler): void {
    // Electron throws on a second handler for the same channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** A window showing `url`, with its own renderer-side ipc and page world. */
  openWindow(url: string): StandInWindow {
    const id = this.nextId++;
    const rendererListeners = new Map<string, Set<RendererListener>>();
    const contentsListeners = new Map<string, Set<(...args: unknown[]) => void>>();
    let destroyed = false;
    const emit = (name: string, ...args: unknown[]) => contentsListeners.get(name)?.forEach((l) => l(...args));

    const win: StandInWindow = {
      frameUrl: url,
      world: {},
      webContents: {
        id,
        isDestroyed: () => destroyed,
        send(channel, ...args) {
          if (destroyed) throw new Error('Object has been destroyed');
          const cloned = structuredClone(args);
          // Electron delivers asynchronously, on the renderer's next task.
          setImmediate(() => rendererListeners.get(channel)?.forEach((l) => l({ senderId: 0 }, ...cloned)));
        },
        on(event, listener) {
          let set = contentsListeners.get(event);
          if (!set) contentsListeners.set(event, (set = new Set()));
          set.add(listener as (...args: unknown[]) => void);
          return this;
        },
        destroy() {
          destroyed = true;
          emit('destroyed');
        },
        navigate() {
          emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
        },
      },
      ipcRenderer: {
        invoke: async (channel, ...args) => {
          const handler = this.handlers.get(channel);
          if (!handler)
            throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
          const event: IpcMainInvokeEventLike = {
            sender: win.webContents,
            senderFrame: destroyed ? null : { url: win.frameUrl },
          };
          try {
            return structuredClone(await handler(event, ...structuredClone(args)));
          } catch (err) {
            throw new Error(`Error invoking remote method '${channel}': ${String(err)}`, { cause: err });
          }
        },
        on(channel, listener) {
          let set = rendererListeners.get(channel);
          if (!set) rendererListeners.set(channel, (set = new Set()));
          set.add(listener);
          return this;
        },
        removeListener(channel, listener) {
          rendererListeners.get(channel)?.delete(listener);
          return this;
        },
      },
      contextBridge: {
        exposeInMainWorld(key, api) {
          win.world[key] = exposeAcrossWorlds(api);
        },
      },
    };
    return win;
  }
}

/**
 * contextBridge semantics for the values we expose: functions become proxies that clone their
 * arguments in and their (awaited) results out; functions passed in by the page (listeners) are
 * proxied back the other way; anything else is cloned; the exposed object is frozen.
 */
function exposeAcrossWorlds(value: unknown): unknown {
  if (typeof value === 'function') {
    return (...args: unknown[]) => {
      const inbound = args.map((a) =>
        typeof a === 'function'
          ? (...xs: unknown[]) => (a as (...ys: unknown[]) => unknown)(...structuredClone(xs))
          : structuredClone(a),
      );
      const result = (value as (...xs: unknown[]) => unknown)(...inbound);
      if (result instanceof Promise) return result.then((r) => exposeAcrossWorlds(r));
      return exposeAcrossWorlds(result);
    };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, exposeAcrossWorlds(v)] as const);
    if (entries.some(([, v]) => typeof v === 'function')) return Object.freeze(Object.fromEntries(entries));
  }
  return value === undefined ? undefined : structuredClone(value);
}
