// The OTLP export's cost per span on its own thread, by phase. Two logs are filled through the real
// proxy and writer (the proxy benchmark's 1 KiB chat requests; its streamed chat), then each is
// exported to a sink on another thread, several rounds, each round to a fresh destination so it
// sends every row (~20 s in all, the logs filled included):
//
//   node scripts/run-bundled.mjs bench/otlp-export.ts [--rows N] [--stream-rows N] [--rounds N]
//     [--logs DIR] [--json] [--profile]
//
// --logs DIR keeps the filled logs in DIR and reuses them when they are there, so two builds can
// be measured over the same logs, alternately; --json prints one line of figures per log; --profile
// writes a CPU profile of the measured rounds per log (otlp-export-LOG.cpuprofile).
//
// Phases (µs per span, median over rounds): reading the rows (SQL and decoding the stored columns),
// building the spans, serializing, gzip, the POST, and the outbox bookkeeping; then the export loop
// itself end to end over the same log (`loop`: thread CPU, process.threadCpuUsage, and by the
// clock). The phases are timed by the clock, as thread CPU on Linux moves in scheduler ticks (4 ms
// here), coarser than a phase of one batch, and a round's loop is only some fifty ticks. Only the
// POST waits: its figure includes the sink's answer, on another thread.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { startCore } from '../electron/core/app-core';
import type { RequestDetail } from '../electron/core/contract/model';
import { buildBatch, MAX_BATCH_SPANS } from '../electron/core/export/otlp/batch';
import { gzipBody, serializeSpans } from '../electron/core/export/otlp/encode';
import { runExportLoop } from '../electron/core/export/otlp/export-loop';
import { buildResource, scope } from '../electron/core/export/otlp/resource';
import { sendBatch, type Destination } from '../electron/core/export/otlp/sender';
import type { SpanOptions } from '../electron/core/export/otlp/span';
import { openConnection, type Db } from '../electron/core/storage/database';
import { advanceLive, liveRows, openOutbox, pendingCount, readOutbox } from '../electron/core/storage/outbox';
import { startFakeUpstream } from '../test/helpers/fake-upstream';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('--rows', 6000);
const STREAM_ROWS = arg('--stream-rows', 1000);
const ROUNDS = arg('--rounds', 5);

// As bench/proxy-roles.ts's upstream answers (importing it would start one of its roles).
const CHAT_REPLY = 'The quick brown fox jumps over the lazy dog. '.repeat(20).trim();
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(960) }] });
const SSE_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0000000000000000' };

const cpuUs = () => {
  const u = process.threadCpuUsage();
  return u.user + u.system;
};
/**
 * A destination no earlier run used: a log kept with --logs holds the outbox marks of every run
 * before, and a sink's port can come round again.
 */
const RUN = randomUUID();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Fills a log the way `serve` does under the proxy benchmark: its 1 KiB chat requests, or its
 * streamed chat (the same ~1 KiB reply as ~180 SSE events).
 */
async function seed(dir: string, rows: number, streamed: boolean): Promise<string> {
  const upstream = await startFakeUpstream({ chunkDelayMs: 0, reply: CHAT_REPLY });
  const dbPath = join(dir, 'log.sqlite');
  const core = await startCore({
    settingsPath: join(dir, 'settings.json'),
    dbPath,
    overrides: { port: 0, upstreams: [{ name: 'openai', baseUrl: upstream.url, mount: '/' }] },
  });
  const port = core.proxy.address()!.port;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const body = streamed ? SSE_BODY : BODY;
      const req = request(
        { host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers: HEADERS, agent },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < rows) await one();
    }),
  );
  agent.destroy();
  await core.proxy.whenIdle();
  await core.stop();
  await upstream.close();
  return dbPath;
}

/** A receiver on a thread of its own (its CPU is not the export's), accepting every batch unread. */
async function startSink(): Promise<{ url: string; close(): Promise<number> }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const s = require('node:http').createServer((req, res) => req.resume().on('end', () => res.end()));
     s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => worker.terminate() };
}

interface Phases {
  read: number;
  build: number;
  serialize: number;
  gzip: number;
  send: number;
  outbox: number;
  spans: number;
  rawBytes: number;
  gzBytes: number;
}

/** One export of every row, phase by phase, in the loop's batches. */
async function phased(db: Db, sinkUrl: string, options: SpanOptions, round: string): Promise<Phases> {
  const destination: Destination = {
    url: `${sinkUrl}/${RUN}/${round}/v1/traces`,
    protocol: 'http/protobuf',
    headers: {},
  };
  const p: Phases = { read: 0, build: 0, serialize: 0, gzip: 0, send: 0, outbox: 0, spans: 0, rawBytes: 0, gzBytes: 0 };
  let t = performance.now();
  const lap = (phase: keyof Phases) => {
    const now = performance.now();
    p[phase] += (now - t) * 1000;
    t = now;
  };
  let state = openOutbox(db, destination.url, 0, null);
  pendingCount(db, state);
  lap('outbox');
  for (;;) {
    state = readOutbox(db, destination.url)!;
    lap('outbox');
    const rows: RequestDetail[] = [...liveRows(db, state, MAX_BATCH_SPANS)];
    lap('read');
    const batch = buildBatch(() => rows, options);
    lap('build');
    const raw = serializeSpans(batch.spans, 'http/protobuf');
    lap('serialize');
    const body = gzipBody(raw);
    lap('gzip');
    const result = await sendBatch(
      destination,
      { body, contentType: 'application/x-protobuf', rawBytes: raw.byteLength },
      undefined,
    );
    if (!result.ok) throw new Error(result.error);
    lap('send');
    advanceLive(db, destination.url, batch.lastId);
    state = readOutbox(db, destination.url)!;
    pendingCount(db, state);
    lap('outbox');
    p.spans += batch.spans.length;
    p.rawBytes += raw.byteLength;
    p.gzBytes += body.byteLength;
    if (batch.drained) return p;
  }
}

/** The export loop as the thread runs it, until it has caught up. */
async function loop(
  db: Db,
  dbPath: string,
  sinkUrl: string,
  round: string,
): Promise<{ us: number; wallUs: number; spans: number }> {
  let spans = 0;
  let stop = false;
  const t = cpuUs();
  const wall = performance.now();
  await runExportLoop(
    db,
    {
      dbPath,
      destination: { url: `${sinkUrl}/${RUN}/${round}/v1/traces`, protocol: 'http/protobuf', headers: {} },
      content: null,
      serviceName: 'llm-request-inspector',
      installId: '00000000-0000-4000-8000-000000000000',
      backfillFrom: null,
      startAfterId: 0,
      servers: [['openai', { address: '127.0.0.1', port: 1 }]],
    },
    {
      // The first sleep is the one after a batch that drained the log: caught up.
      sleep: async () => void (stop = true),
      stopped: () => stop,
      signal: new AbortController().signal,
      status: (s) => void (spans = s.exported),
    },
  );
  return { us: cpuUs() - t, wallUs: (performance.now() - wall) * 1000, spans };
}

async function measure(label: string, dbPath: string, sinkUrl: string, rounds: number): Promise<void> {
  const db = openConnection(dbPath, { busyTimeoutMs: 10_000 });
  const options: SpanOptions = {
    resource: buildResource({
      serviceName: 'llm-request-inspector',
      installId: '00000000-0000-4000-8000-000000000000',
    }),
    scope,
    servers: new Map([['openai', { address: '127.0.0.1', port: 1 }]]),
    content: null,
  };
  const runs: Phases[] = [];
  const loops: number[] = [];
  const loopWalls: number[] = [];
  // A warm-up round of each, unmeasured: the JIT and SQLite's page cache.
  await phased(db, sinkUrl, options, 'warm-p');
  await loop(db, dbPath, sinkUrl, 'warm-l');
  const profiler = process.argv.includes('--profile') ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.post('Profiler.start');
  }
  for (let r = 0; r < rounds; r++) {
    runs.push(await phased(db, sinkUrl, options, `p${r}`));
    const l = await loop(db, dbPath, sinkUrl, `l${r}`);
    loops.push(l.us / l.spans);
    loopWalls.push(l.wallUs / l.spans);
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(`otlp-export-${label.replace(/\W+/g, '-')}.cpuprofile`, JSON.stringify(profile));
  }
  db.close();
  const per = (k: keyof Phases) => median(runs.map((x) => x[k] / x.spans));
  const phases = ['read', 'build', 'serialize', 'gzip', 'send', 'outbox'] as const;
  const sum = median(runs.map((x) => phases.reduce((s, k) => s + x[k], 0) / x.spans));
  if (process.argv.includes('--json')) {
    const figures = Object.fromEntries([...phases, 'rawBytes', 'gzBytes'].map((k) => [k, per(k as keyof Phases)]));
    console.log(JSON.stringify({ label, ...figures, sum, loop: median(loops), loopWall: median(loopWalls) }));
    return;
  }
  console.log(`${label}: ${runs[0]!.spans} rows, ${rounds} rounds; thread CPU µs per span (median)`);
  console.log(`  ${phases.map((k) => `${k} ${per(k).toFixed(1)}`).join(', ')}`);
  console.log(
    `  sum ${sum.toFixed(1)}; the export loop end to end ${median(loops).toFixed(1)} ` +
      `(${median(loopWalls).toFixed(1)} by the clock)`,
  );
  console.log(`  bytes per span: ${per('rawBytes').toFixed(0)} protobuf, ${per('gzBytes').toFixed(0)} gzipped`);
}

const keep = process.argv.indexOf('--logs');
const dir = keep >= 0 ? process.argv[keep + 1]! : mkdtempSync(join(tmpdir(), 'bench-otlp-'));
/** The log in `dir/name`, filled unless it is already there. */
async function log(name: string, rows: number, streamed: boolean): Promise<string> {
  const path = join(dir, name, 'log.sqlite');
  if (existsSync(path)) return path;
  mkdirSync(join(dir, name), { recursive: true });
  return seed(join(dir, name), rows, streamed);
}
try {
  const chat = await log('chat', ROWS, false);
  const stream = STREAM_ROWS > 0 ? await log('stream', STREAM_ROWS, true) : null;
  const sink = await startSink();
  await measure('chat', chat, sink.url, ROUNDS);
  if (stream) await measure('streamed chat', stream, sink.url, ROUNDS);
  await sink.close();
} finally {
  if (keep < 0) rmSync(dir, { recursive: true, force: true });
}
