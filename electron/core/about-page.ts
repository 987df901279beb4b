// The About window's page: name, version, the runtime versions and where this app keeps its data.
// Built as a self-contained HTML string (loaded as a data: URL) so it needs no preload, no script
// and no file of its own in the package; its CSP allows inline styles and nothing else.
import { csp } from './contract/csp';

export interface AboutInfo {
  name: string;
  version: string;
  electron: string;
  chrome: string;
  node: string;
  dataDir: string;
  logFile: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export const ABOUT_CSP = csp({ 'default-src': ["'none'"], 'style-src': ["'unsafe-inline'"], 'img-src': ['data:'] });

export function aboutHtml(info: AboutInfo): string {
  const e = escapeHtml;
  const row = (label: string, value: string) => `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${ABOUT_CSP}">
<title>About ${e(info.name)}</title>
<style>
  :root { color-scheme: light dark; font: 13px system-ui, sans-serif; }
  body { margin: 24px; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  p { margin: 0 0 16px; opacity: .75; }
  table { border-collapse: collapse; }
  th { text-align: left; font-weight: 500; padding: 2px 12px 2px 0; opacity: .75; vertical-align: top; }
  td { padding: 2px 0; user-select: text; word-break: break-all; }
</style>
</head>
<body>
<h1>${e(info.name)}</h1>
<p>Version ${e(info.version)}</p>
<table>
${row('Data folder', info.dataDir)}
${row('App log', info.logFile)}
${row('Electron', info.electron)}
${row('Chromium', info.chrome)}
${row('Node.js', info.node)}
</table>
</body>
</html>
`;
}

export function aboutDataUrl(info: AboutInfo): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(aboutHtml(info))}`;
}
