import type { Media, MediaData } from '../../../electron/core/contract/conversation';
import { cleanBase64, decodeSync, sniff } from './base64';

// Media in a conversation are base64 text inside a body the page already holds. They are decoded
// only when shown, in a worker (lib/decode-worker.ts), so a 5 MB image never holds the main
// thread; the worker makes the blob: URL too, and the element gets it (the CSP allows
// blob: for img-src and media-src, and no remote origin: remote URLs stay links). Where no worker
// can start, decoding happens here in slices with a yield between them.

export interface Bodies {
  request: string | null;
  response: string | null;
}

/** The base64 text of a media part; null when it is not in the bodies (a URL, a file id). */
export function base64Of(data: MediaData, bodies: Bodies): string | null {
  if (data.kind === 'inline') return data.base64;
  const body = data.side === 'request' ? bodies.request : bodies.response;
  return body === null ? null : body.slice(data.start, data.end);
}

type Reply = { id: number; url: string } | { id: number; error: string };

let worker: Worker | null | undefined;
const pending = new Map<number, (r: Reply) => void>();
let nextId = 1;

function decoder(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker =
      typeof Worker === 'undefined'
        ? null
        : new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
  }
  if (worker) {
    worker.onmessage = (e: MessageEvent<Reply>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    };
    // A worker that can't load (a file:// page that refuses module workers): decode here from now on.
    worker.onerror = () => {
      worker = null;
      for (const [id, resolve] of pending) resolve({ id, error: 'worker unavailable' });
      pending.clear();
    };
  }
  return worker;
}

/** Base64 characters decoded per slice on the main thread: ~1 MB of bytes, a few milliseconds. */
const SLICE = 1024 * 1024 + ((4 - ((1024 * 1024) % 4)) % 4);

async function decodeHere(b64: string, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  const clean = cleanBase64(b64);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < clean.length; i += SLICE) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    parts.push(decodeSync(clean.slice(i, i + SLICE)));
    if (i + SLICE < clean.length) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}

/** URLs the worker made: only it can revoke them. */
const workerUrls = new Set<string>();

async function objectUrlOf(b64: string, type: string | null, signal?: AbortSignal): Promise<string> {
  const w = decoder();
  if (w) {
    const id = nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      w.postMessage({ id, b64, type });
    });
    if ('url' in reply) {
      workerUrls.add(reply.url);
      return reply.url;
    }
    if (reply.error !== 'worker unavailable') throw new Error(reply.error);
  }
  const bytes = await decodeHere(b64, signal);
  return URL.createObjectURL(new Blob([bytes], { type: type ?? sniff(bytes) }));
}

export function revokeMediaUrl(url: string): void {
  if (workerUrls.delete(url)) worker?.postMessage({ revoke: url });
  else URL.revokeObjectURL(url);
}

/** A blob: URL for a media part, made on demand; the caller revokes it. */
export async function blobUrlOf(media: Media, bodies: Bodies, signal?: AbortSignal): Promise<string | null> {
  if (media.source.kind !== 'base64') return null;
  const b64 = base64Of(media.source.data, bodies);
  if (b64 === null || b64 === '') return null;
  const url = await objectUrlOf(b64, media.mime, signal);
  if (signal?.aborted) {
    revokeMediaUrl(url);
    throw new DOMException('aborted', 'AbortError');
  }
  return url;
}
