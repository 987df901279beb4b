// Every buffer on the proxy side that holds bytes from a client or an upstream has a stated
// bound; each test here feeds ten times that bound, in the shapes that would grow it, and checks
// the buffer after every write. The bounds are the named constants in the source files.
import { once } from 'node:events';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRequestBody } from '../../../electron/core/proxy/request-body';
import { createResponseTap } from '../../../electron/core/proxy/response-tap';
import { createResponseObserver } from '../../../electron/core/proxy/usage';
import { createUsageChunkFilter } from '../../../electron/core/proxy/usage/chunk-filter';
import { JsonElementSplitter } from '../../../electron/core/proxy/usage/json-stream';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type LineSink } from '../../../electron/core/proxy/usage/lines';
import { MAX_BODY_BYTES, MAX_PROGRESS_CHARS } from '../../../electron/core/proxy/usage/observer';
import { HEAD_BYTES, MAX_FIELD_CHARS, SseParser, TAIL_BYTES } from '../../../electron/core/proxy/usage/sse';
import { MAX_OUTPUT_TEXT_CHARS, MAX_TEXT_DELTA_CHARS } from '../../../electron/core/proxy/usage/state';

const KiB = 1024;
const nothing: LineSink = { line: () => undefined, lfAfterCr: () => undefined, overflow: () => undefined };

/** `total` bytes of `pattern` repeated, in chunks of `size`. */
function* chunksOf(pattern: string, total: number, size = 16 * KiB): Generator<Buffer> {
  const whole = Buffer.from(pattern.repeat(Math.ceil(total / pattern.length)).slice(0, total));
  for (let i = 0; i < whole.length; i += size) yield whole.subarray(i, i + size);
}

describe('line buffers', () => {
  it('LineSplitter holds at most maxLineBytes of a line that never ends', () => {
    const max = 4 * KiB;
    const lines = new LineSplitter(max);
    for (const c of chunksOf('x', 10 * max, 1000)) {
      lines.push(c, nothing);
      expect(lines.bufferedBytes).toBeLessThanOrEqual(max);
    }
  });

  it(
    'the usage-chunk filter holds at most maxHeldBytes ' + 'of held lines plus maxLineBytes of a partial line',
    async () => {
      const limits = { maxLineBytes: 2 * KiB, maxHeldBytes: 1 * KiB, maxHeldLines: 32 };
      const bound = limits.maxHeldBytes + limits.maxLineBytes;
      // A comment flood, long held lines, a line that never ends: each ten times its bound.
      for (const pattern of [':\n', `event: ${'e'.repeat(900)}\n`, ': '.padEnd(1500, 'c') + '\n', 'x']) {
        const f = createUsageChunkFilter({ limits });
        f.resume();
        for (const c of chunksOf(pattern, 10 * bound, 700)) {
          f.write(c);
          expect(f.bufferedBytes, JSON.stringify(pattern.slice(0, 10))).toBeLessThanOrEqual(bound);
        }
        f.end();
        await once(f, 'end');
      }
      // The real limits hold too.
      const f = createUsageChunkFilter();
      f.resume();
      for (const c of chunksOf(':\n', 10 * 72 * KiB)) {
        f.write(c);
        expect(f.bufferedBytes).toBeLessThanOrEqual(8 * KiB + 64 * KiB);
      }
    },
  );
});

describe('stream readers', () => {
  it(
    'SseParser: a partial line and one event`s data at most, plus a tail of an oversized line and ' +
      'two short fields',
    () => {
      const max = 8 * KiB;
      const bound = 2 * max + TAIL_BYTES + HEAD_BYTES + 2 * MAX_FIELD_CHARS;
      const shapes = [
        'data: x\n',
        `data: ${'d'.repeat(max * 2)}\n`,
        `event: ${'e'.repeat(5000)}\nid: ${'i'.repeat(5000)}\n`,
        'data',
        ':\n',
      ];
      for (const pattern of shapes) {
        const sse = new SseParser(max);
        for (const c of chunksOf(pattern, 10 * bound, 3000)) {
          sse.write(c, () => undefined);
          expect(sse.bufferedBytes, pattern.slice(0, 10)).toBeLessThanOrEqual(bound);
        }
      }
    },
  );

  it('JsonElementSplitter holds at most maxElementBytes of an element', () => {
    // (An element over the cap keeps its last TAIL_BYTES, so the cap is meant to be above that.)
    const max = 2 * TAIL_BYTES;
    for (const pattern of ['[{"a":"' + 'x'.repeat(100), '{"a":[' + '1,'.repeat(100), '[[[[[[[[']) {
      const s = new JsonElementSplitter(max);
      for (const c of chunksOf(pattern, 10 * max, 10 * KiB)) {
        s.push(c, () => undefined);
        expect(s.bufferedBytes).toBeLessThanOrEqual(max);
      }
    }
  });

  it('the response observer stays within its reader`s bound plus the text and progress bounds, in every mode', () => {
    const text = MAX_OUTPUT_TEXT_CHARS + MAX_TEXT_DELTA_CHARS + MAX_PROGRESS_CHARS;
    const sseBound = 2 * DEFAULT_MAX_LINE_BYTES + TAIL_BYTES + HEAD_BYTES + 2 * MAX_FIELD_CHARS;
    const delta = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(1000) } }] })}\n\n`;
    const cases: [string, string, string, number][] = [
      ['text/event-stream', delta, 'text and events', sseBound],
      ['text/event-stream', 'data: ' + 'y'.repeat(100), 'a line that never ends', sseBound],
      ['application/x-ndjson', 'z'.repeat(100), 'a line that never ends', DEFAULT_MAX_LINE_BYTES],
      ['application/json', '{"a":"' + 'q'.repeat(100), 'a body', MAX_BODY_BYTES],
    ];
    for (const [contentType, pattern, what, reader] of cases) {
      const o = createResponseObserver('openai-chat', { streaming: contentType !== 'application/json', contentType });
      const bound = reader + text;
      for (const c of chunksOf(pattern, 10 * Math.max(reader, MAX_OUTPUT_TEXT_CHARS), 256 * KiB)) {
        o.write(c);
        expect(o.bufferedBytes, `${contentType}: ${what}`).toBeLessThanOrEqual(bound);
      }
      o.end();
    }
  });
});

describe('capture', () => {
  it('the response capture keeps at most the cap, plain or decoded (a gzip bomb included)', async () => {
    const cap = 64 * KiB;
    const plain = createResponseTap({ contentEncoding: undefined, cap, onDecoded: () => undefined });
    for (const c of chunksOf('p', 10 * cap)) {
      plain.write(c);
      expect(plain.capturedBytes).toBeLessThanOrEqual(cap);
    }
    expect((await plain.end()).body?.length).toBe(cap);
    let decoded = 0;
    const gz = createResponseTap({ contentEncoding: 'gzip', cap, onDecoded: (c) => (decoded += c.length) });
    gz.write(gzipSync(Buffer.alloc(10 * 1024 * KiB)));
    const r = await gz.end();
    expect(gz.capturedBytes).toBe(cap);
    expect([r.body?.length, r.truncated, decoded]).toEqual([cap, true, 10 * 1024 * KiB]);
  });

  it(
    'the request read-ahead holds the limit plus the ' + 'read that crossed it, then streams with backpressure',
    async () => {
      const limit = 64 * KiB;
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const arrived = once(server, 'request');
        const client = request({
          port: (server.address() as AddressInfo).port,
          method: 'POST',
          headers: { 'content-length': String(10 * limit) },
        });
        client.on('error', () => undefined);
        client.write(Buffer.alloc(10 * limit, 0x61));
        const [req] = (await arrived) as [IncomingMessage];
        const read = await readRequestBody(req, limit);
        expect(read.kind).toBe('partial');
        if (read.kind !== 'partial') return;
        // One socket read is at most 64 KiB.
        expect(read.prefix.length).toBeLessThanOrEqual(limit + 64 * KiB);
        // Nobody reads the replay stream: the client is paused instead of buffered. (What is checked
        // is that nothing more arrives, so there is no event to wait for: give it a moment.)
        await new Promise((resolve) => setTimeout(resolve, 100));
        const replay = read.stream as Duplex;
        expect(replay.readableLength + replay.writableLength).toBeLessThanOrEqual(read.prefix.length + 2 * 64 * KiB);
        expect(read.received()).toBeLessThan(10 * limit);
        client.destroy();
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  );
});
