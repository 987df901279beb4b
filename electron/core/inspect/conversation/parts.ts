// Small readers shared by the format parsers: JSON narrowing, tool arguments, media references.

import type { Media, MediaData, Part, ToolArguments } from '../../contract/conversation';

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** The first of several spellings present (Gemini's REST API takes camelCase and snake_case). */
export const pick = (o: Json, ...keys: string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
};

/** Arguments as sent: a JSON string (OpenAI, Anthropic streams) or an object (Anthropic, Gemini, Ollama). */
export function toolArguments(v: unknown): ToolArguments {
  if (typeof v !== 'string') return { ok: true, value: v ?? {} };
  if (v.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch (e) {
    return { ok: false, raw: v, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A value shown as text: strings as they are, anything else as compact JSON. */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v) ?? '';
}

export const text = (t: string): Part => ({ type: 'text', text: t });

export function other(label: string, v: unknown): Part {
  return { type: 'other', label, json: JSON.stringify(v, null, 2) ?? 'null' };
}

/** Decoded bytes of a base64 text of this length (padding counted as the format defines). */
export function base64Bytes(b64: string): number {
  let pad = 0;
  if (b64.endsWith('==')) pad = 2;
  else if (b64.endsWith('=')) pad = 1;
  return Math.max(0, Math.floor((b64.length * 3) / 4) - pad);
}

/** Strings below this stay inline: a span only pays for itself on large media. */
const SPAN_MIN = 4096;

/**
 * Builds media references for one body. Large base64 strings are found in the raw body text and
 * referenced by position (the parsed string is the same characters, unless the sender escaped a
 * `/` as `\/`; then the string is carried inline). Media are searched from where the previous one
 * was found, since a parser reads a body in order.
 */
export class MediaReader {
  private from = 0;

  constructor(
    private readonly side: 'request' | 'response',
    private readonly raw: string | null,
    private readonly truncated: boolean,
  ) {}

  base64(b64: string, mime: string | null, name: string | null = null): Media {
    let data: MediaData = { kind: 'inline', base64: b64 };
    let cut = false;
    if (this.raw !== null && (b64.length >= SPAN_MIN || this.truncated)) {
      const at = this.find(b64);
      if (at !== -1) {
        if (b64.length >= SPAN_MIN) data = { kind: 'span', side: this.side, start: at, end: at + b64.length };
        // A string that runs to the end of a truncated body was cut by the capture cap.
        cut = this.truncated && at + b64.length >= this.raw.length - 8;
      }
    }
    return { mime, bytes: base64Bytes(b64), source: { kind: 'base64', data }, name, cut };
  }

  /** A data: URI or a URL. Remote URLs stay links. */
  uri(uri: string, fallbackMime: string | null, name: string | null = null): Media {
    const m = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/i.exec(uri.slice(0, 200));
    if (m) return this.base64(uri.slice(m[0].length), m[1] || fallbackMime, name);
    return { mime: fallbackMime, bytes: null, source: { kind: 'url', url: uri }, name, cut: false };
  }

  private find(b64: string): number {
    const raw = this.raw!;
    // A prefix finds the candidate; the whole string confirms it (base64 of two media can share
    // a prefix, e.g. the same PNG header).
    const probe = b64.slice(0, 64);
    for (let at = raw.indexOf(probe, this.from); at !== -1; at = raw.indexOf(probe, at + 1)) {
      if (raw.startsWith(b64, at)) {
        this.from = at + b64.length;
        return at;
      }
    }
    return -1;
  }
}

export function fileMedia(id: string, mime: string | null, name: string | null = null): Media {
  return { mime, bytes: null, source: { kind: 'file', id }, name, cut: false };
}

/** Media kind by MIME type, for formats that carry every kind in one shape (Gemini inlineData). */
export function mediaPart(media: Media): Part {
  const mime = media.mime ?? '';
  if (mime.startsWith('image/')) return { type: 'image', media };
  if (mime.startsWith('audio/')) return { type: 'audio', media, transcript: null };
  return { type: 'document', media };
}

/** Params line entries: only those present, values shown compactly. */
export class Params {
  readonly list: { name: string; value: string }[] = [];

  add(name: string, v: unknown): this {
    if (v === undefined || v === null) return this;
    this.list.push({ name, value: typeof v === 'string' ? v : JSON.stringify(v) });
    return this;
  }
}
