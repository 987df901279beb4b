// Serves the built renderer. Only GET/HEAD, only files inside the root (no traversal, no
// symlink escapes), unknown paths fall back to index.html so client-side routes reload.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { PAGE_CSP_HEADER } from '../contract/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'content-security-policy': PAGE_CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

async function fileInside(root: string, relative: string): Promise<string | null> {
  try {
    const full = await realpath(join(root, relative));
    if (full !== root && !full.startsWith(root + sep)) return null;
    return (await stat(full)).isFile() ? full : null;
  } catch {
    return null;
  }
}

export async function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed.\n');
    return;
  }
  let root: string;
  try {
    root = await realpath(resolve(dir));
  } catch {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built (expected ' + dir + ').\n');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path.\n');
    return;
  }
  const isAsset = extname(pathname) !== '';
  const file =
    (await fileInside(root, pathname === '/' ? 'index.html' : pathname)) ??
    (isAsset ? null : await fileInside(root, 'index.html'));
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('Not found.\n');
    return;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  // index.html names hashed assets: never cache it, cache the assets hard.
  const cache = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable';
  res.writeHead(200, { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done, fail) => {
    createReadStream(file).on('error', fail).on('end', done).pipe(res);
  });
}
