// Token estimates for responses that report no usage. gpt-tokenizer is exact for OpenAI
// models and a fair approximation for others (the row is flagged tokens_estimated anyway).
//
// Two guards keep the event loop responsive, since this runs in the proxy's process:
//  - BPE merging is quadratic in the length of one pre-tokenized piece, and a run of
//    whitespace or a base64 blob is one piece: 200 000 spaces took 43 s in one call on this
//    machine. Text is therefore counted in slices of at most SLICE_CHARS, cut where a word
//    starts so the slices tokenize as the whole would;
//  - above MAX_EXACT_CHARS, evenly spaced samples are counted and scaled up.

//
// Each encoding is loaded on first use, and only the one a model needs: built, o200k adds ~30 MB to
// the process (14 MB of heap) and cl100k ~25 MB (8 MB), and most responses report their usage, so a
// proxy that never estimates never pays for them.

import { createRequire } from 'node:module';

const SLICE_CHARS = 2000;
const MAX_EXACT_CHARS = 256 * 1024;
const SAMPLES = 16;
// Special-token text such as "<|endoftext|>" in a prompt is plain text here, not an error.
const PLAIN = { disallowedSpecial: new Set<string>() };

type Counter = (text: string, options: typeof PLAIN) => number;
type Encoding = { countTokens: Counter };

// A synchronous load on first use. In the bundles the app runs, `require` is the banner's (see
// scripts/bundle-config.mjs) and esbuild turns each literal require() below into the lazy start of a
// module inlined in the bundle (nothing is read from node_modules); run from source (tests, tsx),
// Node's own require loads the package's CommonJS build. A dynamic import() would make every
// caller (row building, estimates) asynchronous for a one-time cost.
declare const require: NodeJS.Require | undefined;
const sourceRequire = (id: string) => createRequire(import.meta.url)(id) as Encoding;
let cl100k: Counter | null = null;
let o200k: Counter | null = null;

function loadCl100k(): Counter {
  return (cl100k ??= (
    typeof require === 'function'
      ? (require('gpt-tokenizer/encoding/cl100k_base') as Encoding)
      : sourceRequire('gpt-tokenizer/encoding/cl100k_base')
  ).countTokens);
}

function loadO200k(): Counter {
  return (o200k ??= (
    typeof require === 'function'
      ? (require('gpt-tokenizer/encoding/o200k_base') as Encoding)
      : sourceRequire('gpt-tokenizer/encoding/o200k_base')
  ).countTokens);
}

/** cl100k for the GPT-3.5/GPT-4 generation; o200k (GPT-4o onwards) for everything else. */
function counterFor(model: string | null): Counter {
  const m = (model ?? '').toLowerCase().replace(/^openai\//, '');
  if (/^(gpt-3\.5|gpt-4(?![o.])|gpt-4-|text-embedding-(ada|3)|text-davinci)/.test(m)) return loadCl100k();
  return loadO200k();
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** " word" after a letter or digit: both tokenizers' pre-token patterns start a new piece at
 *  that space (the space belongs to the word), so cutting there changes no token. */
function isCleanCut(text: string, i: number): boolean {
  const prev = text.charCodeAt(i - 1);
  return (
    text.charCodeAt(i) === 0x20 &&
    isAsciiLetter(text.charCodeAt(i + 1)) &&
    (isAsciiLetter(prev) || (prev >= 0x30 && prev <= 0x39))
  );
}

/** Counts `text` slice by slice, cutting at clean cuts where there are any. */
function countSliced(text: string, count: Counter): number {
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = Math.min(text.length, pos + SLICE_CHARS);
    if (end < text.length) {
      let cut = end;
      while (cut > pos + SLICE_CHARS / 2 && !isCleanCut(text, cut)) cut--;
      if (cut > pos + SLICE_CHARS / 2) end = cut;
      // Never split a surrogate pair.
      else if (text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end--;
    }
    total += count(text.slice(pos, end), PLAIN);
    pos = end;
  }
  return total;
}

export function estimateTokens(text: string, model: string | null): number {
  if (text.length === 0) return 0;
  const count = counterFor(model);
  if (text.length <= MAX_EXACT_CHARS) return countSliced(text, count);
  const sampleLen = Math.floor(MAX_EXACT_CHARS / SAMPLES);
  const stride = Math.floor(text.length / SAMPLES);
  let sampled = 0;
  for (let i = 0; i < SAMPLES; i++) sampled += countSliced(text.slice(i * stride, i * stride + sampleLen), count);
  return Math.round((sampled * text.length) / (sampleLen * SAMPLES));
}
