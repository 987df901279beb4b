// Throughput of the response observer and the usage-chunk filter on long SSE streams.
// Run: npx tsx bench/usage-observer.ts
// The proxy calls observer.write() on every chunk on its event loop, so this is the CPU
// the usage tap costs per MB of streamed response.

import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cpus } from 'node:os';
import {
  computeCost,
  createResponseObserver,
  createUsageChunkFilter,
  injectStreamUsage,
  inspectRequest,
  type ApiFormat,
} from '../electron/core/proxy/usage';

const TARGET_BYTES = 64 * 1024 * 1024;
const CHUNK = 16 * 1024;

function openaiEvent(i: number): string {
  const chunk = {
    id: 'chatcmpl-AbC123',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    system_fingerprint: 'fp_0ba0d124f1',
    choices: [{ index: 0, delta: { content: ` token${i % 97}` }, logprobs: null, finish_reason: null }],
    usage: null,
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function anthropicEvent(i: number): string {
  const event = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ` word${i % 89}` } };
  return `event: content_block_delta\ndata: ${JSON.stringify(event)}\n\n`;
}

function buildStream(event: (i: number) => string, tail: string): { chunks: Buffer[]; bytes: number; events: number } {
  const parts: string[] = [];
  let bytes = 0;
  let events = 0;
  while (bytes < TARGET_BYTES) {
    const e = event(events++);
    parts.push(e);
    bytes += e.length;
  }
  parts.push(tail);
  const buf = Buffer.from(parts.join(''));
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += CHUNK) chunks.push(buf.subarray(i, i + CHUNK));
  return { chunks, bytes: buf.length, events };
}

function benchObserver(name: string, format: ApiFormat, stream: ReturnType<typeof buildStream>): void {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const o = createResponseObserver(format, { streaming: true, contentType: 'text/event-stream' });
    const t0 = process.hrtime.bigint();
    for (const c of stream.chunks) o.write(c);
    const result = o.end();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.outputTokens === null) throw new Error(`${name}: usage not found`);
  }
  report(name, stream, runs);
}

async function benchFilter(stream: ReturnType<typeof buildStream>): Promise<void> {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let out = 0;
    const t0 = process.hrtime.bigint();
    await pipeline(
      Readable.from(stream.chunks),
      createUsageChunkFilter(),
      new Writable({
        write(c: Buffer, _e, done) {
          out += c.length;
          done();
        },
      }),
    );
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (out === 0) throw new Error('filter produced nothing');
  }
  report('usage-chunk filter (OpenAI, strips usage:null)', stream, runs);
}

function report(name: string, stream: { bytes: number; events: number }, runs: number[]): void {
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)]!;
  const mb = stream.bytes / (1024 * 1024);
  console.log(
    `${name.padEnd(48)} ${(mb / (median / 1000)).toFixed(0).padStart(5)} MB/s  ` +
      `${(((stream.events / median) * 1000) / 1e6).toFixed(2)} M events/s  ` +
      `(${mb.toFixed(0)} MB, ${CHUNK / 1024} KiB chunks, median of ${runs.length})`,
  );
}

const usageTail =
  `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 20 } })}\n\ndata: ` +
  `[DONE]\n\n`;
const openai = buildStream(openaiEvent, usageTail);
const anthropic = buildStream(
  anthropicEvent,
  `event: message_delta\ndata: ` +
    JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 20 } }) +
    '\n\n',
);

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${new Date().toISOString()}`);
benchObserver('observer: OpenAI chat stream', 'openai-chat', openai);
benchObserver('observer: Anthropic messages stream', 'anthropic-messages', anthropic);
await benchFilter(openai);

// Per-request costs the proxy pays on its event loop for every request, streamed or not.
function perCall(name: string, f: (i: number) => unknown): void {
  const n = 20_000;
  for (let i = 0; i < 1000; i++) f(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f(i);
  console.log(`${name.padEnd(48)} ${(Number(process.hrtime.bigint() - t0) / 1e3 / n).toFixed(2).padStart(6)} µs/call`);
}
const usage = { inputTokens: 1200, outputTokens: 85, cacheReadTokens: 1024, cacheWriteTokens: null };
perCall('computeCost gpt-4o (plain prices)', (i) =>
  computeCost({
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o',
    usage: { ...usage, outputTokens: i },
    override: null,
  }),
);
perCall('computeCost gemini-2.5-pro (tiered prices)', (i) =>
  computeCost({
    provider: 'google',
    baseUrl: null,
    model: 'gemini-2.5-pro',
    usage: { ...usage, outputTokens: i },
    override: null,
  }),
);
perCall('computeCost unknown model', () =>
  computeCost({ provider: 'local', baseUrl: 'http://127.0.0.1:11434', model: 'my-model', usage, override: null }),
);
const reqBody = Buffer.from(
  JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'x'.repeat(800) },
    ],
  }),
);
perCall('inspectRequest 1 KiB chat body', () => inspectRequest('openai-chat', '/v1/chat/completions', reqBody));
// As the proxy calls it (no prompt text unless a policy rule reads it), on an agent's turn: the whole
// conversation so far, 40 messages of ~2 KiB, decoded once by the caller.
const agentTurn = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 === 1 ? 'assistant' : 'user',
    content: 'The quick brown fox jumps over the lazy dog. '.repeat(50),
  })),
});
perCall(`inspectRequest ${Math.round(agentTurn.length / 1024)} KiB agent turn, model and stream`, () =>
  inspectRequest('openai-chat', '/v1/chat/completions', agentTurn, false),
);
perCall(`inspectRequest ${Math.round(agentTurn.length / 1024)} KiB agent turn, with the prompt`, () =>
  inspectRequest('openai-chat', '/v1/chat/completions', agentTurn, true),
);
// Before forwarding, a stream that did not ask for its usage gets include_usage added; the caller passes
// the text it decoded for inspection.
const agentBytes = Buffer.from(agentTurn);
perCall('injectStreamUsage 1 KiB chat body', () => injectStreamUsage('openai-chat', reqBody));
perCall(`injectStreamUsage ${Math.round(agentTurn.length / 1024)} KiB agent turn`, () =>
  injectStreamUsage('openai-chat', agentBytes, agentTurn),
);
