// Asking OpenAI-style streams for their usage. Without stream_options.include_usage a Chat
// Completions / Completions stream reports no token counts at all, so the proxy adds it
// (and createUsageChunkFilter removes the extra chunk from what the client sees).
//
// The body is edited in place as text rather than parsed and re-serialised: a round trip
// through JSON.parse would change whitespace, key order of duplicates and, worse, the value
// of integers above 2^53 (a `seed`, a `logit_bias` token id…).
//
// Only the top level is read (json-scan.ts), and stream_options' own value: this runs before the
// request is forwarded, and an agent's streamed turn carries its whole conversation (deciding from a
// whole parse took ~145 µs of an 89 KiB turn's way in; BENCHMARKS.md, "Usage parsing"). A value that
// is not valid JSON deeper in goes to the upstream, which refuses it, with the member added at its
// end: nothing before it moves.

import { isUtf8 } from 'node:buffer';
import { skipWs } from '../../json-text';
import { lastMember, scanObject } from './json-scan';
import { obj } from './state';
import type { ApiFormat } from './types';

const INCLUDE_USAGE = '{"include_usage":true}';

/**
 * The body with include_usage asked for, or null when it does not apply (not a stream, already asked, not
 * an object). `text` is the body decoded, when the caller has it already.
 */
export function injectStreamUsage(format: ApiFormat, body: Buffer, text?: string): Buffer | null {
  if (format !== 'openai-chat' && format !== 'openai-completions') return null;
  // Invalid UTF-8 would not survive the edit as text: leave such a body alone.
  if (!isUtf8(body)) return null;
  const source = text ?? body.toString('utf8');
  const layout = scanObject(source);
  if (!layout || skipWs(source, layout.close + 1) !== source.length) return null;
  const stream = lastMember(layout, 'stream');
  if (!stream || source.slice(stream.valueStart, stream.valueEnd) !== 'true') return null;

  const member = lastMember(layout, 'stream_options');
  if (!member) {
    // The usual case: a member added before the closing brace, the body's bytes copied around it. Only
    // whitespace follows the brace, one byte a character, so its byte offset is counted from the end.
    const at = body.length - (source.length - layout.close);
    return Buffer.concat([body.subarray(0, at), Buffer.from(`,"stream_options":${INCLUDE_USAGE}`), body.subarray(at)]);
  }
  let options: unknown;
  try {
    options = JSON.parse(source.slice(member.valueStart, member.valueEnd));
  } catch {
    return null;
  }
  if (obj(options)?.['include_usage'] === true) return null;
  let out: string;
  if (obj(options) === null) {
    out = source.slice(0, member.valueStart) + INCLUDE_USAGE + source.slice(member.valueEnd);
  } else {
    const inner = scanObject(source, member.valueStart);
    if (!inner) return null;
    const flag = lastMember(inner, 'include_usage');
    if (flag) out = source.slice(0, flag.valueStart) + 'true' + source.slice(flag.valueEnd);
    else {
      const sep = inner.members.length > 0 ? ',' : '';
      out = `${source.slice(0, inner.open + 1)}"include_usage":true${sep}${source.slice(inner.open + 1)}`;
    }
  }
  return Buffer.from(out, 'utf8');
}
