// Finding where a JSON value ends in text without parsing it, for the places that must keep the
// bytes as they are (the proxy rewriting a request or filtering a client's stream, the writer
// cutting a body into stored parts) or that hold only part of the text. Nothing is allocated: the
// callers' texts are bounded by them.

export function isJsonWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function skipWs(text: string, i: number): number {
  while (i < text.length && isJsonWs(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`, or -1 when it is incomplete. */
export function stringEnd(text: string, i: number): number {
  // indexOf jumps over long strings (a 2 MB message) much faster than a loop over every character.
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 0x5c; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * End (exclusive) of the JSON value starting at `i`, or -1 when it is incomplete. Brackets are
 * counted, not matched by kind: callers that need a valid value parse the span afterwards.
 */
export function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = stringEnd(text, j) - 1;
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isJsonWs(d)) break;
    j++;
  }
  return j > i ? j : -1;
}
