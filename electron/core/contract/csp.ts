// Content-Security-Policy, built in one place. The renderer's policy lives here, beside the page's
// other contract with its hosts, because three places apply it: the <meta> the build puts into
// index.html (in the Electron window the page is a file:// URL, which gets no response headers, so
// the <meta> is what holds there), the Electron session's response headers, and the UI server's
// header under `npm run serve`. A browser enforces every policy it is given, so a <meta> and a
// header that disagreed would leave only what both allow.

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** `default-src 'self'; img-src data:` from `{ 'default-src': ["'self'"], 'img-src': ['data:'] }`. */
export function csp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * The page loads only its own bundle; inline style attributes are allowed (React sets them),
 * images may be data: URLs (the favicon) or blob: URLs, as may media (the conversation view shows
 * images and audio from logged bodies as blobs), and it connects only to its own origin: under CSP 3,
 * 'self' also matches ws: to the page's own host and port, which is where the UI server's
 * WebSocket is. No plugins, frames, forms or <base>.
 */
const PAGE: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ['blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-src': ["'none'"],
  'form-action': ["'none'"],
};

/** In index.html's <meta> and the Electron window's headers. */
export const PAGE_CSP = csp(PAGE);

/** The UI server's header: the same, and no framing by other sites (frame-ancestors works only in a header). */
export const PAGE_CSP_HEADER = csp({ ...PAGE, 'frame-ancestors': ["'none'"] });
