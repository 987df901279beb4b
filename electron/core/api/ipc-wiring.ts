// Electron transport, main side, written against the shapes of ipcMain and WebContents rather
// than importing electron, so it runs (and is tested) in plain Node. One ipcMain.handle per
// contract call; each answers with an Envelope, because an Error thrown from a handler reaches
// the page as a bare message ("Error invoking remote method …") with its code lost.
import { calls, callNames, events } from '../contract/contract';
import type { Dispatch } from './dispatcher';
import type { EventHub, EventSink, HubSession } from './event-hub';
import type { Envelope } from '../contract/errors';

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'destroyed' | 'did-start-navigation', listener: (...args: never[]) => void): unknown;
}

export interface IpcMainInvokeEventLike {
  readonly sender: WebContentsLike;
  /** null when the frame navigated away or was destroyed before the call arrived. */
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcWiringOptions {
  ipcMain: IpcMainLike;
  hub: EventHub;
  dispatch: Dispatch;
  /** Whether a frame URL is our own page (parsed and compared by origin, never by substring). */
  isTrustedUrl(url: string): boolean;
}

export interface IpcWiring {
  /** Starts serving a window: events are queued for it until its page calls clientReady. */
  attach(contents: WebContentsLike): void;
  broadcast: EventSink;
  dispose(): void;
}

export function wireIpc(options: IpcWiringOptions): IpcWiring {
  const { ipcMain, hub, dispatch } = options;
  const sessions = new Map<number, HubSession>();

  const openSession = (contents: WebContentsLike) => {
    sessions.get(contents.id)?.close();
    sessions.set(
      contents.id,
      hub.attach((name, payload) => {
        if (!contents.isDestroyed()) contents.send(events[name].channel, payload);
      }),
    );
  };

  const forbidden: Envelope<never> = {
    ok: false,
    error: { code: 'forbidden', message: 'This window may not call the inspector API.' },
  };

  for (const name of callNames) {
    const channel = calls[name].channel;
    ipcMain.handle(channel, async (event, ...args) => {
      // Only windows we attached, showing our own page, may call. A frame that navigated to
      // a foreign origin (or a webview, or an iframe) keeps its ipcRenderer: this is the check.
      const session = sessions.get(event.sender.id);
      const url = event.senderFrame?.url;
      if (!session || url === undefined || !options.isTrustedUrl(url)) return forbidden;
      if (args.length > 1) return { ok: false, error: { code: 'invalid_input', message: 'Calls take one argument.' } };
      return dispatch(channel, args[0], session);
    });
  }

  return {
    attach(contents) {
      openSession(contents);
      contents.on('destroyed', () => {
        sessions.get(contents.id)?.close();
        sessions.delete(contents.id);
      });
      // A reload is a new page that will subscribe afresh: queue for it until it is ready.
      contents.on('did-start-navigation', ((details: { isMainFrame?: boolean; isSameDocument?: boolean }) => {
        if (details?.isMainFrame !== false && details?.isSameDocument !== true) openSession(contents);
      }) as (...args: never[]) => void);
    },
    broadcast: hub.broadcast,
    dispose() {
      for (const name of callNames) ipcMain.removeHandler(calls[name].channel);
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}
