// Secrets in the settings (upstream API keys, and header values whose name says they are one)
// are written by the page, never read back: the page gets a mask that tells keys apart
// ("sk-…abcd") and says one is set, and sends the mask back unchanged to keep the stored value.
// The mask holds "…" (U+2026), which no real key holds: it can't be sent as an HTTP header
// value, so a mask is never mistaken for a key. Node-free: the renderer shows masks with it.
import { z } from 'zod';

const ELLIPSIS = '\u2026';

/** Header names whose values are treated as secrets (the same words the log redacts by). */
export const SECRET_HEADER_NAME = /key|token|secret|auth|password|cookie/i;

/**
 * `sk-proj-…abcd`: a short vendor prefix and the last four characters, enough to tell two keys
 * apart and no more. Keys shorter than 16 characters show only the ellipsis: four characters of
 * a short secret are too large a part of it.
 */
export function maskSecret(value: string): string {
  const prefix = /^[A-Za-z]{2,4}-(?:[A-Za-z]{2,5}-)?/.exec(value)?.[0] ?? '';
  return value.length >= 16 ? `${prefix}${ELLIPSIS}${value.slice(-4)}` : ELLIPSIS;
}

export function isMaskedSecret(value: unknown): value is string {
  return typeof value === 'string' && value.includes(ELLIPSIS);
}

/**
 * A mask as the page sends it back ("keep the stored value"). Not a valid header value (the
 * ellipsis is outside Latin-1), so it needs its own place in the patch schema (settings-patch.ts).
 */
export const maskedSecretSchema = z.string().regex(/^[A-Za-z-]{0,12}\u2026[\x21-\x7e]{0,4}$/, 'not a masked value');
