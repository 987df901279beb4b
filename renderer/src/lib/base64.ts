// Base64 to bytes, for media in message bodies. Uint8Array.fromBase64 (Chromium 140+) decodes
// natively; older engines go through atob.

type FromBase64 = (s: string) => Uint8Array<ArrayBuffer>;

/** Whitespace (MIME-style line breaks) is legal in some senders' base64, not in the decoders. */
export function cleanBase64(b64: string): string {
  const clean = /\s/.test(b64.slice(0, 200)) ? b64.replace(/\s+/g, '') : b64;
  // A body cut at the capture cap can end mid-quantum: decode the whole quanta.
  return clean.length % 4 === 0 ? clean : clean.slice(0, clean.length - (clean.length % 4));
}

export function decodeSync(b64: string): Uint8Array<ArrayBuffer> {
  const clean = cleanBase64(b64);
  const native = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;
  if (native) return native(clean);
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let j = 0; j < bin.length; j++) out[j] = bin.charCodeAt(j);
  return out;
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
