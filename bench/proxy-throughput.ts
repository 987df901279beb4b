// Proxy overhead, side by side in one run: direct to the fake upstream, a bare http-proxy
// (keep-alive agent, no logging), and this proxy with logging and body capture on (plus a
// diagnostic: the same proxy with its records discarded). Each server runs in its own process
// (bench/proxy-roles.ts, the same bundle started with --role).
//
//   node scripts/run-bundled.mjs bench/proxy-throughput.ts [seconds per run, default 5] [rounds, default 3]
//
// The machine is shared and has 2 cores, so one run of each target is noise: the targets
// alternate over several rounds (the order rotates each round) and the tables give medians,
// with CPU per request of each server process beside the rates (load distorts CPU time much
// less than wall time) and the load average before and after.
//
// Targets (issue 3): >= 85% of the bare proxy's throughput; p99 <= bare + 2 ms at half the bare
// proxy's peak rate (derived in the same run); SSE time to first byte <= direct + 2 ms.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { runRole, type Role, type RoleStats } from './proxy-roles';

const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(960) }] });
const SSE_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0000000000000000' };
const CONNECTIONS = 32;
const TTFB_SAMPLES = 300;

interface Child {
  port: number;
  /** What the process did since the previous call. */
  stats(): Promise<RoleStats>;
  stop(): Promise<string>;
}

async function startRole(role: Role, arg?: string): Promise<Child> {
  const proc = spawn(process.execPath, [process.argv[1]!, '--role', role, ...(arg ? [arg] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const next = async (prefix: string): Promise<string> => {
    const line = (await lines.next()).value as string | undefined;
    if (line === undefined || !line.startsWith(prefix))
      throw new Error(`${role}: expected "${prefix}…", got ${JSON.stringify(line)}`);
    return line.slice(prefix.length);
  };
  const port = Number(await next('READY '));
  return {
    port,
    async stats() {
      proc.kill('SIGUSR2');
      return JSON.parse(await next('STATS ')) as RoleStats;
    },
    async stop() {
      proc.kill('SIGTERM');
      return next('DONE ').catch((error: unknown) => `no report: ${(error as Error).message}`);
    },
  };
}

const load = (port: number, seconds: number, overallRate?: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
  });

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
const median = (values: number[]) => pct(values, 50);
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const load1 = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

interface Target {
  name: string;
  child: Child;
  peak: { rps: number; errors: number; cpuPerReq: number; mainPerReq: number | null }[];
  fixed: { p50: number; p99: number; loopP99: number; loopMax: number; gcMax: number }[];
  firstBytes: number[];
}

/** Runs `fn` for every target, `rounds` times, rotating the order each round. */
async function alternate(targets: Target[], rounds: number, fn: (t: Target) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < targets.length; i++) await fn(targets[(i + round) % targets.length]!);
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 3);
  const loadBefore = load1();
  const upstream = await startRole('upstream');
  const url = `http://127.0.0.1:${upstream.port}`;
  const make = (name: string, child: Child): Target => ({ name, child, peak: [], fixed: [], firstBytes: [] });
  const targets = [
    make('direct to fake upstream', upstream),
    make('bare http-proxy, keep-alive, no logging', await startRole('bare', url)),
    make('LLM Request Inspector (logging + capture)', await startRole('inspector', url)),
    make('diagnostic: inspector with records discarded', await startRole('inspector-nolog', url)),
  ];
  const [direct, bare, inspector] = targets as [Target, Target, Target];
  for (const t of targets) await load(t.child.port, 1);

  await alternate(targets, rounds, async (t) => {
    await t.child.stats();
    const r = await load(t.child.port, seconds);
    const s = await t.child.stats();
    const n = Math.max(1, r.requests.total);
    t.peak.push({
      rps: r.requests.average,
      errors: r.errors + r.non2xx + r.timeouts,
      cpuPerReq: s.cpuUs / n,
      mainPerReq: s.mainCpuUs === null ? null : s.mainCpuUs / n,
    });
  });
  const bareRps = median(bare.peak.map((p) => p.rps));
  const rate = Math.round(bareRps / 2);
  await alternate(targets, rounds, async (t) => {
    await t.child.stats();
    const r = await load(t.child.port, seconds, rate);
    const s = await t.child.stats();
    t.fixed.push({
      p50: r.latency.p50,
      p99: r.latency.p99,
      loopP99: s.loopDelayP99Ms,
      loopMax: s.loopDelayMaxMs,
      gcMax: s.gcMaxMs,
    });
  });
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    for (let j = 0; j < targets.length; j++)
      targets[j]!.firstBytes.push(await ttfb(agents[j]!, targets[j]!.child.port));
  }
  const loadAfter = load1();
  const inspectorInfo = await inspector.child.stop();
  for (const t of targets.slice(1)) if (t !== inspector) await t.child.stop();
  await upstream.stop();

  const m = (t: Target, pick: (x: Target['peak'][number]) => number | null) =>
    median(t.peak.map(pick).filter((v): v is number => v !== null));
  const mf = (t: Target, pick: (x: Target['fixed'][number]) => number) => median(t.fixed.map(pick));
  console.log(
    `\n### Proxy overhead (${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node})\n`,
  );
  console.log(
    `1 KiB JSON chat requests, autocannon with ${CONNECTIONS} connections, ${seconds} s per run, ${rounds} rounds alternating the targets (order rotated each round), medians. Load average (1/5/15 min) before: ${loadBefore}; after: ${loadAfter}. Latency at ${rate} req/s (half the bare proxy's median peak). SSE TTFB: ${TTFB_SAMPLES} sequential streamed requests per target on a kept-alive connection, interleaved.\n`,
  );
  console.log(
    '| target | req/s | × bare | errors | CPU µs/req, process | of which main thread | p50 ms @ half peak | p99 ms @ half peak | server loop delay p99 / max ms | longest GC ms | SSE TTFB p50 ms | SSE TTFB p99 ms |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of targets) {
    const rps = m(t, (p) => p.rps);
    const errors = t.peak.reduce((n, p) => n + p.errors, 0);
    console.log(
      `| ${t.name} | ${Math.round(rps)} | ${f(rps / bareRps)} | ${errors} | ${f(
        m(t, (p) => p.cpuPerReq),
        0,
      )} | ${f(
        m(t, (p) => p.mainPerReq),
        0,
      )} | ${f(
        mf(t, (x) => x.p50),
        1,
      )} | ${f(
        mf(t, (x) => x.p99),
        1,
      )} | ${f(
        mf(t, (x) => x.loopP99),
        1,
      )} / ${f(
        mf(t, (x) => x.loopMax),
        1,
      )} | ${f(
        mf(t, (x) => x.gcMax),
        1,
      )} | ${f(pct(t.firstBytes, 50))} | ${f(pct(t.firstBytes, 99))} |`,
    );
  }
  console.log('\nPer round (req/s at peak; p99 ms at half peak):');
  for (const t of targets)
    console.log(
      `- ${t.name}: ${t.peak.map((p) => Math.round(p.rps)).join(', ')}; ${t.fixed.map((x) => x.p99).join(', ')}`,
    );
  const ratio = m(inspector, (p) => p.rps) / bareRps;
  const p99Delta = mf(inspector, (x) => x.p99) - mf(bare, (x) => x.p99);
  const ttfbDelta = pct(inspector.firstBytes, 50) - pct(direct.firstBytes, 50);
  const sign = (n: number) => (n >= 0 ? '+' : '');
  console.log(
    `\nTargets: throughput ≥ 85% of bare: ${f(ratio * 100, 0)}% ${ratio >= 0.85 ? 'PASS' : 'FAIL'}; p99 ≤ bare + 2 ms: ${sign(p99Delta)}${f(p99Delta)} ms ${p99Delta <= 2 ? 'PASS' : 'FAIL'}; SSE TTFB ≤ direct + 2 ms (median): ${sign(ttfbDelta)}${f(ttfbDelta)} ms ${ttfbDelta <= 2 ? 'PASS' : 'FAIL'}`,
  );
  console.log(`Inspector log after the run: ${inspectorInfo}`);
}

if (process.argv[2] === '--role') await runRole(process.argv[3] ?? '', process.argv[4]);
else await main();
