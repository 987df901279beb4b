import type { Media, MediaData } from '../../../electron/core/contract/conversation';

// Media in a conversation are base64 text inside a body the page already holds. They are decoded
// only when shown, in slices with a yield between them, so a 5 MB image never holds the main
// thread for long; the bytes become a Blob and the element gets a blob: URL (the CSP allows
// blob: for img-src and media-src, and never a remote origin: remote URLs stay links).

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

/** Base64 characters decoded per slice: ~1 MB of bytes, a few milliseconds of work. */
const SLICE = 1024 * 1024 + (4 - ((1024 * 1024) % 4)) % 4;

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Decodes in slices, yielding between them; rejects when `signal` aborts or the text isn't base64. */
export async function decodeBase64(b64: string, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  // Whitespace (MIME-style line breaks) is legal in some senders' base64 but not in atob's slices.
  const clean = /\s/.test(b64.slice(0, 200)) ? b64.replace(/\s+/g, '') : b64;
  const padded = clean.length % 4 === 0 ? clean : clean.slice(0, clean.length - (clean.length % 4));
  const out = new Uint8Array(Math.floor((padded.length * 3) / 4));
  let n = 0;
  for (let i = 0; i < padded.length; i += SLICE) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const bin = atob(padded.slice(i, i + SLICE));
    for (let j = 0; j < bin.length; j++) out[n++] = bin.charCodeAt(j);
    if (i + SLICE < padded.length) await yieldToPage();
  }
  return out.subarray(0, n);
}

/** A blob: URL for a media part, made on demand; the caller revokes it. */
export async function blobUrlOf(media: Media, bodies: Bodies, signal?: AbortSignal): Promise<string | null> {
  if (media.source.kind !== 'base64') return null;
  const b64 = base64Of(media.source.data, bodies);
  if (b64 === null || b64 === '') return null;
  const bytes = await decodeBase64(b64, signal);
  return URL.createObjectURL(new Blob([bytes], { type: media.mime ?? sniff(bytes) }));
}

/** The MIME type from the first bytes, for media sent without one (Ollama images, OpenAI audio). */
export function sniff(b: Uint8Array): string {
  const at = (i: number, ...bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x41, 0x56, 0x45)) return 'audio/wav';
  if (at(0, 0x49, 0x44, 0x33) || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (at(0, 0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  return 'application/octet-stream';
}
