// Is this frame URL our own page? Compared on the parsed URL, never by substring
// ("file:///app/index.html.evil" or "http://127.0.0.1:5173.evil.example" must not pass).
// file: URLs have an opaque origin ("null"), so for them the exact file path is what counts.
export function createPageCheck(pageUrl: string): (url: string) => boolean {
  const page = new URL(pageUrl);
  return (candidate) => {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return false;
    }
    if (page.protocol === 'file:')
      return url.protocol === 'file:' && url.host === page.host && url.pathname === page.pathname;
    return url.origin === page.origin;
  };
}
