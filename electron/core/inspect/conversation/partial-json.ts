// JSON that may end early: a body cut at the capture cap. JSON.parse refuses it, yet everything
// before the cut is worth showing, so this parser reads what is there, closes what was left open,
// and says where the text ended ("messages[3].content[1].image_url.url"). A syntax error before
// the end is still an error: that body is not JSON, cut or not.
//
// Strings are found with indexOf rather than char by char, so a multi-megabyte base64 string
// costs a few scans, not a loop iteration per character.

export type JsonPath = (string | number)[];

export type PartialJson = { ok: true; value: unknown; cut: JsonPath | null } | { ok: false; error: string };

class Cut extends Error {}

/** `$.messages[3].content` style, for notes a person reads. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path)
    out +=
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out || '(top level)';
}

export function parsePartialJson(text: string): PartialJson {
  const p = new Parser(text);
  try {
    p.ws();
    if (p.i >= text.length) return { ok: false, error: 'empty body' };
    const value = p.value();
    p.ws();
    if (p.i < text.length)
      return { ok: false, error: `unexpected ${JSON.stringify(text[p.i])} after the JSON value at offset ${p.i}` };
    return { ok: true, value, cut: p.cut };
  } catch (e) {
    if (e instanceof Cut) return { ok: true, value: p.root, cut: p.cut };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

class Parser {
  i = 0;
  path: JsonPath = [];
  cut: JsonPath | null = null;
  /** The outermost container, so a cut anywhere still returns everything read so far. */
  root: unknown = undefined;

  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (let c = s.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = s.charCodeAt(++i));
    this.i = i;
  }

  private end(): never {
    this.cut = [...this.path];
    throw new Cut();
  }

  private fail(what: string): never {
    throw new SyntaxError(`${what} at offset ${this.i}`);
  }

  value(): unknown {
    if (this.i >= this.s.length) this.end();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    return this.literal();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.root === undefined) this.root = out;
    this.i++;
    try {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      for (;;) {
        this.ws();
        if (this.i >= this.s.length) this.end();
        if (this.s[this.i] !== '"') this.fail('expected a property name');
        const key = this.string(true);
        this.ws();
        if (this.i >= this.s.length) this.end();
        if (this.s[this.i] !== ':') this.fail('expected ":"');
        this.i++;
        this.ws();
        this.path.push(key);
        try {
          out[key] = this.value();
        } catch (e) {
          // What was read of a cut value (a partial string, an object so far) is kept; a cut
          // number or literal sets no `partial` and is left out rather than given a wrong value.
          if (e instanceof Cut && this.partial !== undefined) out[key] = this.partial;
          throw e;
        }
        this.path.pop();
        this.ws();
        if (this.i >= this.s.length) this.end();
        const c = this.s[this.i++];
        if (c === '}') return out;
        if (c !== ',') this.fail('expected "," or "}"');
      }
    } catch (e) {
      if (e instanceof Cut) this.partial = out;
      throw e;
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    if (this.root === undefined) this.root = out;
    this.i++;
    try {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      for (;;) {
        this.ws();
        this.path.push(out.length);
        try {
          out.push(this.value());
        } catch (e) {
          if (e instanceof Cut && this.partial !== undefined) out.push(this.partial);
          throw e;
        }
        this.path.pop();
        this.ws();
        if (this.i >= this.s.length) this.end();
        const c = this.s[this.i++];
        if (c === ']') return out;
        if (c !== ',') this.fail('expected "," or "]"');
      }
    } catch (e) {
      if (e instanceof Cut) this.partial = out;
      throw e;
    }
  }

  /** The value being read when the text ended, handed to its container (see object()). */
  private partial: unknown = undefined;
  /** Position of the next backslash at or after the last search; -1 when there is none. */
  private bs = 0;

  private string(isKey = false): string {
    const s = this.s;
    const start = this.i + 1;
    let j = start;
    let escaped = false;
    for (;;) {
      const q = s.indexOf('"', j);
      // The next backslash is searched for only once it is passed: searching afresh for every
      // string would scan to the end of a body with none, once per string.
      if (this.bs !== -1 && this.bs < j) this.bs = s.indexOf('\\', j);
      const b = this.bs;
      if (b !== -1 && (q === -1 || b < q)) {
        escaped = true;
        j = b + 2;
        continue;
      }
      if (q === -1) {
        // Cut inside the string: keep what decodes (a half escape at the very end is dropped).
        if (!isKey) this.partial = decode(s.slice(start), escaped, true);
        else this.partial = undefined;
        this.i = s.length;
        this.end();
      }
      this.i = q + 1;
      return decode(s.slice(start, q), escaped, false);
    }
  }

  private literal(): unknown {
    const s = this.s;
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.i, this.i + 400));
    if (!m) {
      // `tru`, `-`, `1.` at the very end: cut, not wrong.
      if (/^(?:t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|-?\d*\.?\d*(?:[eE][+-]?\d*)?)$/.test(s.slice(this.i)))
        this.end();
      this.fail(`unexpected ${JSON.stringify(s[this.i])}`);
    }
    this.i += m[0].length;
    // A number at the very end may have lost digits.
    if (this.i >= s.length && /\d$/.test(m[0])) this.end();
    return JSON.parse(m[0]);
  }
}

function decode(raw: string, escaped: boolean, cut: boolean): string {
  if (!escaped) return raw;
  let r = raw;
  if (cut) {
    // Drop an escape the cut left unfinished: a lone backslash or a partial \uXXXX.
    r = r.replace(/\\(?:u[0-9a-fA-F]{0,3})?$/, '');
    // An odd run of backslashes at the end means the last one escapes nothing yet.
    const tail = /\\+$/.exec(r);
    if (tail && tail[0].length % 2 === 1) r = r.slice(0, -1);
  }
  try {
    return JSON.parse(`"${r}"`) as string;
  } catch {
    throw new SyntaxError('invalid escape in a string');
  }
}
