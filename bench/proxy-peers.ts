// The proxy against its peers, side by side in one run: direct to the fake upstream, a bare
// http-proxy (keep-alive agent, no logging), mockttp (HTTP Toolkit's engine, every exchange logged
// with its bodies), mitmdump (Debian's mitmproxy, reverse mode, every flow written with -w) and this
// proxy (every request logged to SQLite with its bodies). Each runs in its own process; this
// process is the load generator. Part of `npm run bench`; alone:
//
//   node scripts/run-bundled.mjs bench/proxy-peers.ts [--quick]
//
// mitmdump runs as
//   mitmdump -q --mode reverse:http://127.0.0.1:UPSTREAM --listen-host 127.0.0.1 --listen-port P \
//     -s bench/mitm-stream.py -w FLOWS --set confdir=DIR
// where the addon turns streaming on for event streams (mitmproxy otherwise holds an SSE response
// back until it ends) and keeps a copy of the streamed bytes; other bodies are buffered, as mitmproxy
// does by default, and written to FLOWS with the flow.
//
// Measures, per target:
// - CPU µs per request at a fixed offered rate of 1 000 req/s (autocannon overallRate), read from
//   outside through /proc/<pid>/stat (the whole process, exited threads included) and
//   /proc/<pid>/task/<pid>/stat (its main thread); for this proxy, every thread by name;
// - added latency one request at a time: sequential requests on one keep-alive connection, the
//   targets interleaved request by request in a rotating order, p50/p99 minus direct's;
// - SSE time to first byte the same way (a streamed chat completion);
// - throughput with the process under test pinned to one core (taskset -a -p -c 1), 32 connections;
// - peak RSS (VmHWM) after all of it; for Node targets, bytes promoted to V8's old generation
//   per request during the fixed-rate runs (--trace-gc-nvp, summed over the process's isolates).
// The fixed-rate and throughput runs alternate over the targets for several rounds (order rotated
// each round); the table gives medians. Needs Linux (/proc, taskset) and mitmdump on PATH (without
// it, that row says so).
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request, type Server } from 'node:http';
import { createServer, connect } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Role } from './proxy-roles';
import { missingServeSettings } from '../electron/core/serve-flags';

const QUICK = process.argv.includes('--quick');
const FIXED_RATE = 1000;
const SECONDS = QUICK ? 3 : 5;
const ROUNDS = QUICK ? 2 : 3;
const SEQUENTIAL = QUICK ? 400 : 1500;
const SSE_SAMPLES = QUICK ? 150 : 400;
const CONNECTIONS = 32;
const CLK_TCK_US = 10_000;

const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(960) }] });
const SSE_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0000000000000000' };

/** The mitmdump addon: streaming on for event streams, keeping a copy of what streamed. */
const MITM_ADDON = `
def responseheaders(flow):
    if flow.response.headers.get("content-type", "").startswith("text/event-stream"):
        kept = []
        def keep(data):
            kept.append(data)
            return data
        flow.response.stream = keep
`;

interface Child {
  pid: number;
  port: number;
  /** Where clients connect (mockttp: ::1, see startNode). */
  host: string;
  /** Bytes promoted to the old generation so far (Node targets; null for others). */
  promoted(): number | null;
  stop(): Promise<string>;
}

function lineReader(proc: ChildProcess, onOther: (line: string) => void) {
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    if (line.startsWith('[') && line.includes(' gc=')) return onOther(line);
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  proc.once('exit', () => {
    for (const waiter of waiting.splice(0)) waiter('');
  });
  return async (prefix: string): Promise<string> => {
    const line = queued.shift() ?? (await new Promise<string>((resolve) => waiting.push(resolve)));
    if (!line.startsWith(prefix)) throw new Error(`expected "${prefix}…", got ${JSON.stringify(line)}`);
    return line.slice(prefix.length);
  };
}

/** Where the targets' bundles are built: dist/run/bench-roles under the repository's root. */
function buildTargets(): { roles: string; serve: string } {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'scripts', 'build-bench-roles.mjs'))) {
    const up = dirname(root);
    if (up === root) throw new Error('bench: scripts/build-bench-roles.mjs not found above the bench bundle');
    root = up;
  }
  const out = join(root, 'dist', 'run', 'bench-roles');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-bench-roles.mjs'), out], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: building the targets failed');
  return { roles: join(out, 'roles', 'proxy-roles.js'), serve: join(out, 'product', 'serve.js') };
}

/** Counts the bytes the process's isolates promote to V8's old generation (--trace-gc-nvp lines). */
function promotionCounter(proc: ChildProcess) {
  let promoted = 0;
  const next = lineReader(proc, (line) => {
    const m = / promoted=(\d+)/.exec(line);
    if (m) promoted += Number(m[1]);
  });
  return { next, promoted: () => promoted };
}

async function startNode(bundle: string, role: Role, target?: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--trace-gc-nvp', bundle, role, ...(target ? [target] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { next, promoted } = promotionCounter(proc);
  const port = Number(await next('READY '));
  return {
    pid: proc.pid!,
    port,
    // mockttp refuses a request as a "passthrough loop" when its client's port equals the local
    // port of one of its own upstream sockets, and on loopback Linux hands out the same ephemeral
    // port to connections with different destinations. Its clients come over ::1 so the check
    // (address and port) cannot match by accident.
    host: role === 'mockttp' ? '::1' : '127.0.0.1',
    promoted,
    async stop() {
      proc.kill('SIGTERM');
      return next('DONE ').catch((error: unknown) => `no report: ${(error as Error).message}`);
    },
  };
}

/**
 * The product as a user runs it: `serve` (the proxy, the log writer, the API and UI server, the
 * spend ledger), its settings file and log in a fresh folder, every request logged with its bodies.
 * BENCH_OTLP=1 turns the OpenTelemetry export on, to a sink in this process that accepts each batch unread;
 * It runs with serve's flags and environment (serve-flags.ts), as users' launchers start it (a variable set in
 * the bench's environment wins, e.g. MALLOC_ARENA_MAX=8); BENCH_SERVE_FLAGS passes more Node/V8 flags
 * (e.g. --max-semi-space-size=32, to see what the young generation's cap does to RSS and CPU).
 */
async function startServe(bundle: string, upstream: string): Promise<Child> {
  const extra = (process.env.BENCH_SERVE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  // As `npm run serve` and the npm package's bin start it; a flag of BENCH_SERVE_FLAGS overrides its namesake.
  const serveSettings = missingServeSettings(extra, process.env, process.platform);
  const nodeFlags = [...serveSettings.flags, ...extra];
  const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const db = join(dir, 'log.sqlite');
  let sink: Server | null = null;
  if (process.env.BENCH_OTLP) {
    sink = createHttpServer((req, res) => req.resume().on('end', () => res.end()));
    await new Promise<void>((resolve) => sink!.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ otlp: { enabled: true, endpoint } }));
  }
  const args = ['--host', '127.0.0.1', '--proxy-port', '0', '--ui-port', '0', '--db', db];
  const proc = spawn(
    process.execPath,
    [...nodeFlags, '--trace-gc-nvp', bundle, ...args, '--config', join(dir, 'settings.json'), '--upstream', upstream],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...serveSettings.env } },
  );
  const { next, promoted } = promotionCounter(proc);
  const port = Number(/:(\d+)\/?$/.exec(await next('proxy listening on '))?.[1]);
  await next('ui listening on ');
  return {
    pid: proc.pid!,
    port,
    host: '127.0.0.1',
    promoted,
    async stop() {
      const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const code = await exited;
      sink?.close();
      let rows: string;
      try {
        const log = new Database(db, { readonly: true });
        rows = `rows=${String((log.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n)}`;
        log.close();
      } catch (error) {
        rows = `the log could not be read: ${(error as Error).message}`;
      }
      rmSync(dir, { recursive: true, force: true });
      return `exit ${String(code)}, ${rows}`;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listening on ${port}`);
}

async function startMitmdump(upstream: string): Promise<Child | string> {
  if (spawnSync('mitmdump', ['--version']).status !== 0) return 'mitmdump not found (apt-get install mitmproxy)';
  const dir = mkdtempSync(join(tmpdir(), 'bench-mitm-'));
  writeFileSync(join(dir, 'stream.py'), MITM_ADDON);
  const port = await freePort();
  const proc = spawn(
    'mitmdump',
    [
      '-q',
      '--mode',
      `reverse:${upstream}`,
      '--listen-host',
      '127.0.0.1',
      '--listen-port',
      String(port),
      '-s',
      join(dir, 'stream.py'),
      '-w',
      join(dir, 'flows'),
      '--set',
      `confdir=${dir}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, proc);
  return {
    pid: proc.pid!,
    port,
    host: '127.0.0.1',
    promoted: () => null,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
      const size = existsSync(join(dir, 'flows')) ? readFileSync(join(dir, 'flows')).length : 0;
      rmSync(dir, { recursive: true, force: true });
      return `flows file ${Math.round(size / 1024)} KiB`;
    },
  };
}

/** utime + stime in µs from a /proc stat line. */
function statCpuUs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLK_TCK_US;
}

interface CpuSample {
  process: number;
  main: number;
  /** Per thread name (threads of the same name summed). */
  threads: Map<string, number>;
}

function cpuOf(pid: number): CpuSample {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(name, (threads.get(name) ?? 0) + statCpuUs(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return { process: statCpuUs(`/proc/${pid}/stat`), main: statCpuUs(`/proc/${pid}/task/${pid}/stat`), threads };
}

const rssMb = (pid: number, field = 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const taskset = (pid: number, cpuList: string) => spawnSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)]);

const load = (child: Child, seconds: number, overallRate?: number) =>
  autocannon({
    url: `http://${child.host.includes(':') ? `[${child.host}]` : child.host}:${child.port}${PATH}`,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections: overallRate ? 10 : CONNECTIONS,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
  });

/** One request on `agent`'s single connection: ms to the first byte and to the end. */
function timed(agent: Agent, child: Child, body: string): Promise<{ first: number; total: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: child.host, port: child.port, path: PATH, method: 'POST', agent, headers: HEADERS },
      (res) => {
        let first = NaN;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (bytes === 0) first = performance.now() - t0;
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ first, total: performance.now() - t0, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const median = (values: number[]) => pct(values, 50);
const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const signed = (n: number, d = 2) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(d)}` : '–');
const loadAvg = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

interface Target {
  name: string;
  child: Child | null;
  note: string;
  fixed: { rps: number; cpu: number; main: number; promoted: number | null; threads: Map<string, number> }[];
  pinned: number[];
  /** Requests that failed (errors, timeouts, non-2xx) in all the load runs. */
  failed: number;
  /** VmHWM after the fixed-rate runs. */
  rssFixed: number;
  /** VmRSS before any load. */
  rssIdle: number;
  latency: number[];
  firstBytes: number[];
  rss: number;
}

async function alternate(targets: Target[], rounds: number, fn: (t: Target & { child: Child }) => Promise<void>) {
  const live = targets.filter((t): t is Target & { child: Child } => t.child !== null);
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < live.length; i++) await fn(live[(i + round) % live.length]!);
}

export async function benchProxyPeers(): Promise<void> {
  const loadBefore = loadAvg();
  const started = Date.now();
  const bundles = buildTargets();
  const upstream = await startNode(bundles.roles, 'upstream-chat');
  const url = `http://127.0.0.1:${upstream.port}`;
  const make = (name: string, child: Child | string): Target => ({
    name,
    child: typeof child === 'string' ? null : child,
    note: typeof child === 'string' ? child : '',
    fixed: [],
    pinned: [],
    failed: 0,
    rssFixed: NaN,
    rssIdle: NaN,
    latency: [],
    firstBytes: [],
    rss: NaN,
  });
  const targets = [
    make('direct to the fake upstream', upstream),
    make('bare http-proxy (keep-alive, no logging)', await startNode(bundles.roles, 'bare', url)),
    make('mockttp 4 (every exchange logged with bodies)', await startNode(bundles.roles, 'mockttp', url)),
    make('mitmdump 8 (reverse, SSE streamed, flows written)', await startMitmdump(url)),
    make('LLM Request Inspector, `serve` (every request logged with bodies)', await startServe(bundles.serve, url)),
    make(
      'diagnostic: the inspector with its records discarded',
      await startNode(bundles.roles, 'inspector-nolog', url),
    ),
  ];
  const [direct, bare, mockttp, mitm, inspector] = targets as [Target, Target, Target, Target, Target];
  for (const t of targets) if (t.child) t.rssIdle = rssMb(t.child.pid, 'VmRSS');
  const agents = new Map(targets.map((t) => [t, new Agent({ keepAlive: true, maxSockets: 1 })]));
  const probe = await timed(agents.get(direct)!, upstream, BODY);
  // Warm-up: JIT, pools, mitmdump's first flows.
  await alternate(targets, 1, async (t) => void (await load(t.child, 1)));

  await alternate(targets, ROUNDS, async (t) => {
    const before = cpuOf(t.child.pid);
    const promotedBefore = t.child.promoted();
    const r = await load(t.child, SECONDS, FIXED_RATE);
    t.failed += r.errors + r.timeouts + r.non2xx;
    const after = cpuOf(t.child.pid);
    const promotedAfter = t.child.promoted();
    const n = Math.max(1, r.requests.total);
    const threads = new Map([...after.threads].map(([name, us]) => [name, (us - (before.threads.get(name) ?? 0)) / n]));
    t.fixed.push({
      rps: r.requests.total / SECONDS,
      cpu: (after.process - before.process) / n,
      main: (after.main - before.main) / n,
      promoted: promotedBefore === null || promotedAfter === null ? null : (promotedAfter - promotedBefore) / n,
      threads,
    });
  });
  for (const t of targets) if (t.child) t.rssFixed = rssMb(t.child.pid);
  await alternate(targets, ROUNDS, async (t) => {
    taskset(t.child.pid, '1');
    const peak = await load(t.child, SECONDS);
    taskset(t.child.pid, `0-${cpus().length - 1}`);
    t.failed += peak.errors + peak.timeouts + peak.non2xx;
    t.pinned.push(peak.requests.total / SECONDS);
  });
  // Interleaved in an order that rotates each round, so each target follows every other as often: in a fixed
  // order one target always came right after mitmdump, which may still be writing its flows once it has answered.
  await alternate(targets, SEQUENTIAL, async (t) => {
    t.latency.push((await timed(agents.get(t)!, t.child, BODY)).total);
  });
  await alternate(targets, SSE_SAMPLES, async (t) => {
    t.firstBytes.push((await timed(agents.get(t)!, t.child, SSE_BODY)).first);
  });
  for (const t of targets) if (t.child) t.rss = rssMb(t.child.pid);
  const loadAfter = loadAvg();
  const reports = new Map<Target, string>();
  for (const t of targets.slice(1)) if (t.child) reports.set(t, await t.child.stop());
  await upstream.stop();

  const fixedMedian = (t: Target, pick: (x: Target['fixed'][number]) => number | null) =>
    median(t.fixed.map(pick).filter((v): v is number => v !== null));
  const lat = (t: Target, p: number) => pct(t.latency, p) - pct(direct.latency, p);
  const ttfb = (t: Target) => pct(t.firstBytes, 50) - pct(bare.firstBytes, 50);
  const rps = (t: Target) => median(t.pinned);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\n### Proxy and peers ` +
      `(${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ` +
      `${process.versions.node}${QUICK ? ', --quick' : ''}, ${minutes} min)\n`,
  );
  console.log(
    `${BODY.length} B chat requests, ${probe.bytes} B answers; SSE: ` +
      `a streamed chat completion. CPU at ${FIXED_RATE} req/s offered ` +
      `(10 connections), ${SECONDS} s per run; throughput: ${CONNECTIONS} connections, process pinned to one core. ` +
      `${ROUNDS} rounds alternating the targets, medians. Added ` +
      `latency: ${SEQUENTIAL} sequential requests per target on one ` +
      `keep-alive connection, interleaved in a rotating order; SSE TTFB: ` +
      `${SSE_SAMPLES} likewise. Load average (1/5/15 min) before: ${loadBefore}; ` +
      `after: ${loadAfter}.\n`,
  );
  console.log(
    '| target | CPU µs/req, process | main thread | req/s ' +
      'done @ 1 000 | added p50 ms | added p99 ms | SSE TTFB p50 ms ' +
      '| vs bare ms | req/s pinned to 1 core | RSS MB idle / peak @ 1 000 / peak | promoted B/req | failed |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of targets) {
    if (t.child === null) {
      console.log(`| ${t.name} | ${t.note} | | | | | | | | | | |`);
      continue;
    }
    const isDirect = t === direct;
    console.log(
      `| ${t.name} | ${f(fixedMedian(t, (x) => x.cpu))} | ${f(fixedMedian(t, (x) => x.main))} | ` +
        `${f(fixedMedian(t, (x) => x.rps))} | ${isDirect ? f(pct(t.latency, 50), 3) : signed(lat(t, 50), 3)} | ` +
        `${isDirect ? f(pct(t.latency, 99), 3) : signed(lat(t, 99), 3)} | ${f(pct(t.firstBytes, 50), 2)} | ` +
        `${t === bare || isDirect ? '' : signed(ttfb(t))} | ` +
        `${f(rps(t))} | ${f(t.rssIdle)} / ${f(t.rssFixed)} / ${f(t.rss)} | ` +
        `${f(fixedMedian(t, (x) => x.promoted))} | ${t.failed} |`,
    );
  }
  console.log('\n(direct: its own p50/p99 in ms; the other rows: added over direct.)');
  const threads = new Map<string, number[]>();
  for (const run of inspector.fixed)
    for (const [name, us] of run.threads) threads.set(name, [...(threads.get(name) ?? []), us]);
  console.log(
    `\nInspector CPU µs/req by thread at ${FIXED_RATE} req/s (medians): ` +
      [...threads]
        .map(([name, us]) => [name, median(us)] as const)
        .filter(([, us]) => us >= 0.5)
        .sort((a, b) => b[1] - a[1])
        .map(([name, us]) => `${name} ${f(us)}`)
        .join(', '),
  );
  console.log(
    `Per round, req/s pinned: ${targets
      .filter((t) => t.child)
      .map((t) => `${t.name.split(' (')[0]} ${t.pinned.map((x) => Math.round(x)).join(', ')}`)
      .join('; ')}`,
  );
  for (const [t, report] of reports) if (report) console.log(`${t.name.split(' (')[0]} after the run: ${report}`);

  const b = { cpu: fixedMedian(bare, (x) => x.cpu), main: fixedMedian(bare, (x) => x.main) };
  const i = { cpu: fixedMedian(inspector, (x) => x.cpu), main: fixedMedian(inspector, (x) => x.main) };
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const lines = [
    `main thread ${f(i.main)} ≤ 1.10 × bare ${f(b.main)} ` +
      `(${(i.main / b.main).toFixed(2)} ×): ${check(i.main <= 1.1 * b.main)}`,
    `whole process ${f(i.cpu)} ≤ 1.35 × bare ${f(b.cpu)} ` +
      `(${(i.cpu / b.cpu).toFixed(2)} ×): ${check(i.cpu <= 1.35 * b.cpu)}`,
    `added p99 ${signed(lat(inspector, 99), 3)} ms ≤ 1 ms: ${check(lat(inspector, 99) <= 1)}`,
    `added p50 ${signed(lat(inspector, 50), 3)} within 0.15 ms of bare's ${signed(lat(bare, 50), 3)}: ` +
      check(lat(inspector, 50) - lat(bare, 50) <= 0.15),
    `SSE TTFB ${signed(ttfb(inspector))} ms vs bare ≤ 0.5 ms: ${check(ttfb(inspector) <= 0.5)}`,
    `throughput ${f(rps(inspector))} ≥ 3 × mockttp ` +
      `${f(rps(mockttp))} (${(rps(inspector) / rps(mockttp)).toFixed(1)} ×): ` +
      check(rps(inspector) >= 3 * rps(mockttp)),
    `≥ 7 × mitmdump ${f(rps(mitm))} ` +
      `(${(rps(inspector) / rps(mitm)).toFixed(1)} ×): ${check(rps(inspector) >= 7 * rps(mitm))}`,
    `peak RSS ${f(inspector.rss)} MB ≤ 150: ${check(inspector.rss <= 150)} ` +
      `(idle ${f(inspector.rssIdle)} MB; at 1 000 req/s: ${f(inspector.rssFixed)} MB)`,
  ];
  console.log(`\nTargets (issue 17):\n${lines.map((l) => `- ${l}`).join('\n')}`);
}

if (/proxy-peers\.js$/.test(process.argv[1] ?? '')) await benchProxyPeers();
