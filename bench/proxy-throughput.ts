// Proxy overhead, side by side in one run: direct to the fake upstream, a bare http-proxy
// (keep-alive agent, no logging), and this proxy with logging and body capture on.
// Each server runs in its own process (the same bundle, started with --role), so the load
// generator, the upstream and the proxy don't share an event loop.
//
//   node scripts/run-bundled.mjs bench/proxy-throughput.ts [seconds per run, default 5]
//
// Targets (issue 3): >= 85% of the bare proxy's throughput; p99 <= bare + 2 ms at half the bare
// proxy's peak rate; SSE time to first byte <= direct + 2 ms.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type ServerResponse } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import httpProxy from 'http-proxy';
import { ProxyServer } from '../electron/core/proxy';
import { settingsSchema } from '../electron/core/settings-schema';
import { openLogStore } from '../electron/core/storage';
import { startFakeUpstream } from '../test/helpers/fake-upstream';

const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(960) }] });
const SSE_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0000000000000000' };

async function runRole(role: string, arg: string | undefined): Promise<void> {
  let port: number;
  let stop: () => Promise<string>;
  if (role === 'upstream') {
    const upstream = await startFakeUpstream({ chunkDelayMs: 0 });
    port = upstream.port;
    stop = async () => (await upstream.close(), '');
  } else if (role === 'bare') {
    const agent = new Agent({ keepAlive: true });
    const proxy = httpProxy.createProxyServer({ target: arg, agent });
    proxy.on('error', (_e, _req, res) => (res as ServerResponse).destroy());
    const server = createServer((req, res) => proxy.web(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    server.keepAliveTimeout = 65_000;
    stop = () =>
      new Promise((resolve) => {
        server.close(() => resolve(''));
        server.closeAllConnections();
      });
  } else if (role === 'inspector-nolog') {
    // Diagnostic: the whole proxy path (parsing, capture, usage, cost) with records discarded.
    const proxy = new ProxyServer(settingsSchema.parse({ port: 0, upstreams: [{ name: 'fake', baseUrl: arg, mount: '/' }] }), { enqueue: () => undefined });
    port = (await proxy.start()).port;
    stop = async () => (await proxy.stop(), '');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
    const store = await openLogStore(join(dir, 'log.sqlite'));
    const proxy = new ProxyServer(settingsSchema.parse({ port: 0, upstreams: [{ name: 'fake', baseUrl: arg, mount: '/' }] }), store);
    port = (await proxy.start()).port;
    stop = async () => {
      await proxy.stop();
      await store.flush();
      const rows = (await store.getStats({}, null)).total.requests;
      const status = store.writerStatus();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      return `rows=${rows} dropped=${status.dropped} shed=${status.bodiesShed}`;
    };
  }
  console.log(`READY ${port}`);
  // CPU time of this process so far, for CPU per request (robust when other work shares the machine).
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    console.log(`CPU ${cpu.user + cpu.system}`);
  });
  process.once('SIGTERM', () => void stop().then((info) => (console.log(`DONE ${info}`), process.exit(0))));
}

interface Child {
  port: number;
  proc: ChildProcess;
  /** CPU microseconds the process has used so far. */
  cpu(): Promise<number>;
  stop(): Promise<string>;
}

async function startRole(role: string, arg?: string): Promise<Child> {
  const proc = spawn(process.execPath, [process.argv[1]!, '--role', role, ...(arg ? [arg] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const it = lines[Symbol.asyncIterator]();
  const first = (await it.next()).value as string;
  const port = Number(/^READY (\d+)$/.exec(first)?.[1]);
  return {
    port,
    proc,
    async cpu() {
      proc.kill('SIGUSR2');
      return Number(/^CPU (\d+)$/.exec((await it.next()).value as string)?.[1]);
    },
    async stop() {
      proc.kill('SIGTERM');
      const last = (await it.next()).value as string | undefined;
      return last?.replace(/^DONE /, '') ?? '';
    },
  };
}

const load = (port: number, seconds: number, overallRate?: number) =>
  autocannon({ url: `http://127.0.0.1:${port}${PATH}`, method: 'POST', headers: HEADERS, body: BODY, connections: 32, duration: seconds, ...(overallRate ? { overallRate } : {}) });

function ttfb(agent: Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path: PATH, method: 'POST', agent, headers: HEADERS }, (res) => {
      res.once('data', () => resolve(performance.now() - t0));
      res.resume();
    });
    req.on('error', reject);
    req.end(SSE_BODY);
  });
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const f = (n: number, d = 2) => n.toFixed(d);

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const upstream = await startRole('upstream');
  const target = `http://127.0.0.1:${upstream.port}`;
  const bare = await startRole('bare', target);
  const inspector = await startRole('inspector', target);
  const nolog = await startRole('inspector-nolog', target);
  const targets = [
    { name: 'direct to fake upstream', port: upstream.port, child: upstream },
    { name: 'bare http-proxy, keep-alive, no logging', port: bare.port, child: bare },
    { name: 'LLM Request Inspector (logging + capture)', port: inspector.port, child: inspector },
    { name: 'diagnostic: inspector with records discarded', port: nolog.port, child: nolog },
  ];
  for (const t of targets) await load(t.port, 1);

  // Peak: two interleaved rounds, best of each, so a noisy neighbour hurts all three alike.
  const peak = new Map<string, { rps: number; errors: number; cpuPerReq: number }>();
  for (let round = 0; round < 2; round++) {
    for (const t of targets) {
      const cpu0 = await t.child.cpu();
      const r = await load(t.port, seconds);
      const cpuPerReq = (await t.child.cpu()) - cpu0;
      const prev = peak.get(t.name);
      const perReq = cpuPerReq / Math.max(1, r.requests.total);
      if (!prev || r.requests.average > prev.rps) peak.set(t.name, { rps: r.requests.average, errors: r.errors + r.non2xx + r.timeouts, cpuPerReq: Math.min(perReq, prev?.cpuPerReq ?? Infinity) });
      else prev.cpuPerReq = Math.min(prev.cpuPerReq, perReq);
    }
  }
  const bareRps = peak.get(targets[1]!.name)!.rps;
  const rate = Math.round(bareRps / 2);
  const fixed = new Map<string, { p50: number; p99: number }>();
  for (const t of targets) {
    const r = await load(t.port, seconds, rate);
    fixed.set(t.name, { p50: r.latency.p50, p99: r.latency.p99 });
  }

  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const firstBytes = targets.map(() => [] as number[]);
  for (let i = 0; i < 300; i++) {
    for (let j = 0; j < targets.length; j++) firstBytes[j]!.push(await ttfb(agents[j]!, targets[j]!.port));
  }
  const inspectorInfo = await inspector.stop();
  await nolog.stop();
  await bare.stop();
  await upstream.stop();

  console.log(`\n### Proxy overhead (${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node})\n`);
  console.log(`1 KiB JSON chat requests, autocannon with 32 connections, ${seconds} s per run (peak: best of 2 interleaved runs); latency at ${rate} req/s (half the bare proxy's peak); SSE TTFB: median/p99 of 300 sequential streamed requests on a kept-alive connection.\n`);
  console.log('| target | req/s | × bare | errors | CPU µs/req (server process) | p50 ms @ half peak | p99 ms @ half peak | SSE TTFB p50 ms | SSE TTFB p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  targets.forEach((t, j) => {
    const p = peak.get(t.name)!;
    const l = fixed.get(t.name)!;
    console.log(`| ${t.name} | ${Math.round(p.rps)} | ${f(p.rps / bareRps)} | ${p.errors} | ${Math.round(p.cpuPerReq)} | ${f(l.p50)} | ${f(l.p99)} | ${f(pct(firstBytes[j]!, 50))} | ${f(pct(firstBytes[j]!, 99))} |`);
  });
  const ins = targets[2]!.name;
  const throughputOk = peak.get(ins)!.rps / bareRps >= 0.85;
  const p99Delta = fixed.get(ins)!.p99 - fixed.get(targets[1]!.name)!.p99;
  const ttfbDelta = pct(firstBytes[2]!, 50) - pct(firstBytes[0]!, 50);
  console.log(`\nTargets: throughput ≥ 85% of bare: ${f((peak.get(ins)!.rps / bareRps) * 100, 0)}% ${throughputOk ? 'PASS' : 'FAIL'}; p99 ≤ bare + 2 ms: ${p99Delta >= 0 ? '+' : ''}${f(p99Delta)} ms ${p99Delta <= 2 ? 'PASS' : 'FAIL'}; SSE TTFB ≤ direct + 2 ms (median): ${ttfbDelta >= 0 ? '+' : ''}${f(ttfbDelta)} ms ${ttfbDelta <= 2 ? 'PASS' : 'FAIL'}`);
  console.log(`Inspector log after the run: ${inspectorInfo}`);
}

if (process.argv[2] === '--role') await runRole(process.argv[3] ?? '', process.argv[4]);
else await main();
