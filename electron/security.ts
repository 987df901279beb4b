// Defence in depth for every web contents the app creates. The window only ever shows our
// own bundled page; anything that tries to take it elsewhere (a link, a redirect, window.open,
// a webview, a permission prompt) is refused here, whatever the renderer code does.
import { shell, type Session, type WebContents } from 'electron';
import { PAGE_CSP } from './core/contract/csp';

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Opens http(s) links in the user's browser; everything else (file:, javascript:, custom schemes) is dropped. */
export function openExternally(url: string): void {
  if (isWebUrl(url)) void shell.openExternal(url);
}

export function hardenSession(session: Session): void {
  // No camera, microphone, notifications, geolocation, clipboard-read, …: the inspector needs none.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [PAGE_CSP] } });
  });
}

export function hardenContents(contents: WebContents, isOwnPage: (url: string) => boolean): void {
  // The URL from the event itself: Electron's typings mark the listeners' url argument deprecated.
  contents.on('will-navigate', (event) => {
    if (isOwnPage(event.url)) return;
    event.preventDefault();
    openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isOwnPage(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
