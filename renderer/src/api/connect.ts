// Picks the transport at start: IPC when the Electron preload exposed window.inspector,
// otherwise the WebSocket of the headless UI server this page was loaded from.
import type { InspectorBridge } from '../../../electron/core/contract/contract';
import { TOKEN_PARAM, WS_PATH } from '../../../electron/core/contract/channels';
import { createClient, type Client } from './client';
import { createIpcTransport } from './ipc-transport';
import { createWsTransport, type SocketLike } from './ws-transport';

const TOKEN_KEY = 'inspector.token';

/**
 * The per-run token arrives in the page URL (?token=…). It is kept in sessionStorage so a reload
 * or a hash change that drops the query still connects, and removed from the address bar so it
 * isn't copied along with a link.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete(TOKEN_PARAM);
    window.history.replaceState(window.history.state, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function wsUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

export function connect(): Client {
  const bridge = (window as unknown as { inspector?: InspectorBridge }).inspector;
  if (bridge) return createClient(createIpcTransport(bridge));
  const token = takeToken() ?? '';
  return createClient(
    createWsTransport({ url: wsUrl(token), createSocket: (url) => new WebSocket(url) as unknown as SocketLike }),
  );
}
