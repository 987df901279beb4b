// Asking OpenAI-style streams for their usage. Without stream_options.include_usage a Chat
// Completions / Completions stream reports no token counts at all, so the proxy adds it
// (and createUsageChunkFilter removes the extra chunk from what the client sees).
//
// The body is edited in place as text rather than parsed and re-serialised: a round trip
// through JSON.parse would change whitespace, key order of duplicates and, worse, the value
// of integers above 2^53 (a `seed`, a `logit_bias` token id…).

import { lastMember, scanObject } from './json-scan';
import { obj } from './state';
import type { ApiFormat } from './types';

export function injectStreamUsage(format: ApiFormat, body: Buffer): Buffer | null {
  if (format !== 'openai-chat' && format !== 'openai-completions') return null;
  const text = body.toString('utf8');
  // Invalid UTF-8 would not survive the string round trip: leave such a body alone.
  if (Buffer.byteLength(text, 'utf8') !== body.length || !Buffer.from(text, 'utf8').equals(body)) return null;
  let parsed: Record<string, unknown> | null;
  try {
    parsed = obj(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed || parsed['stream'] !== true) return null;
  const options = parsed['stream_options'];
  if (obj(options)?.['include_usage'] === true) return null;

  const layout = scanObject(text);
  if (!layout) return null;
  const member = lastMember(layout, 'stream_options');
  let out: string;
  if (!member || options === null || obj(options) === null) {
    const value = '{"include_usage":true}';
    if (member) out = text.slice(0, member.valueStart) + value + text.slice(member.valueEnd);
    else out = `${text.slice(0, layout.close)},"stream_options":${value}${text.slice(layout.close)}`;
  } else {
    const inner = scanObject(text, member.valueStart);
    if (!inner) return null;
    const flag = lastMember(inner, 'include_usage');
    if (flag) out = text.slice(0, flag.valueStart) + 'true' + text.slice(flag.valueEnd);
    else {
      const sep = inner.members.length > 0 ? ',' : '';
      out = `${text.slice(0, inner.open + 1)}"include_usage":true${sep}${text.slice(inner.open + 1)}`;
    }
  }
  return Buffer.from(out, 'utf8');
}
