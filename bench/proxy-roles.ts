// The servers of the proxy benchmark other than the product itself, one per process
// (`node proxy-roles.js NAME [upstream URL]`), so the load generator, the fake upstream and each proxy
// don't share an event loop. Built into a bundle of its own, split so that each role loads only what
// it runs (scripts/build-bench-roles.mjs); the product runs as `serve` (bench/proxy-peers.ts). Each
// prints `READY <port>`, then answers SIGUSR2 with one `STATS <json>` line about the time since the
// previous one: CPU of the whole process and of its main thread, event-loop delay, GC pauses.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { createWriteStream } from 'node:fs';
import httpProxy from 'http-proxy';
import { startFakeUpstream } from '../test/helpers/fake-upstream';

export const ROLES = ['upstream', 'upstream-chat', 'bare', 'inspector-nolog', 'mockttp'] as const;

/** About 1 KiB of assistant text: with the JSON around it, a ~1.2 KiB chat completion. */
export const CHAT_REPLY = 'The quick brown fox jumps over the lazy dog. '.repeat(20).trim();
export type Role = (typeof ROLES)[number];

export interface RoleStats {
  /** CPU µs of the whole process (every thread: the writer, V8's GC helpers, libuv). */
  cpuUs: number;
  /** CPU µs of the main thread alone (Linux /proc; null elsewhere). */
  mainCpuUs: number | null;
  /** Event-loop delay, ms (perf_hooks, 1 ms resolution). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

/** utime + stime of this process's main thread, in µs; null where /proc is missing. */
function mainThreadCpuUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Clock ticks are 100 Hz on every Linux this runs on (getconf CLK_TCK).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

function statsReporter(): () => RoleStats {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gc = { count: 0, total: 0, max: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.total += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = { cpu: process.cpuUsage(), main: mainThreadCpuUs() };
  return () => {
    const cpu = process.cpuUsage(last.cpu);
    const main = mainThreadCpuUs();
    const stats: RoleStats = {
      cpuUs: cpu.user + cpu.system,
      mainCpuUs: main === null || last.main === null ? null : main - last.main,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
      gcCount: gc.count,
      gcTotalMs: gc.total,
      gcMaxMs: gc.max,
    };
    last = { cpu: process.cpuUsage(), main };
    delay.reset();
    gc = { count: 0, total: 0, max: 0 };
    return stats;
  };
}

/** `stop` resolves with the report line's text, or null when it printed the line itself. */
async function startServer(
  role: Role,
  target: string | undefined,
): Promise<{ port: number; stop: () => Promise<string | null> }> {
  switch (role) {
    case 'upstream':
    case 'upstream-chat': {
      const upstream = await startFakeUpstream({
        chunkDelayMs: 0,
        ...(role === 'upstream-chat' ? { reply: CHAT_REPLY } : {}),
      });
      // The fake keeps every request it received, for tests; here that is only a growing heap (the
      // "direct" row's RSS and its GC pauses, felt by every target), so what it kept is let go.
      const forget = setInterval(() => upstream.requests.splice(0), 1000);
      forget.unref();
      return { port: upstream.port, stop: async () => (clearInterval(forget), await upstream.close(), '') };
    }
    case 'mockttp': {
      // HTTP Toolkit's engine as a reverse proxy with every exchange logged: each request and
      // response, bodies decoded, one JSON line each in a file (as HTTP Toolkit's own UI keeps them).
      const { getLocal } = await import('mockttp');
      const dir = mkdtempSync(join(tmpdir(), 'bench-mockttp-'));
      const log = createWriteStream(join(dir, 'log.jsonl'));
      const server = getLocal({ recordTraffic: false });
      await server.start({ startPort: 20000, endPort: 60000 });
      await server.forAnyRequest().thenForwardTo(target!);
      let rows = 0;
      await server.on('request', (req) => {
        void req.body.getText().then((body) => {
          log.write(
            `${JSON.stringify({ id: req.id, method: req.method, url: req.url, headers: req.headers, body })}\n`,
          );
        });
      });
      await server.on('response', (res) => {
        void res.body.getText().then((body) => {
          rows++;
          log.write(`${JSON.stringify({ id: res.id, status: res.statusCode, headers: res.headers, body })}\n`);
        });
      });
      const stop = async () => {
        await server.stop();
        await new Promise((resolve) => log.end(resolve));
        rmSync(dir, { recursive: true, force: true });
        return `responses logged=${rows}`;
      };
      return { port: server.port, stop };
    }
    case 'bare': {
      const agent = new Agent({ keepAlive: true });
      const proxy = httpProxy.createProxyServer({ target, agent });
      proxy.on('error', (_e, _req, res) => (res as ServerResponse).destroy());
      const server = createServer((req, res) => proxy.web(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      server.keepAliveTimeout = 65_000;
      const stop = () =>
        new Promise<string>((resolve) => {
          server.close(() => resolve(''));
          server.closeAllConnections();
        });
      return { port: (server.address() as { port: number }).port, stop };
    }
    case 'inspector-nolog': {
      // Diagnostic: the whole proxy path (parsing, capture, usage, cost) with records discarded.
      // Imported here, so the other roles' processes don't hold the proxy's code.
      const [{ ProxyServer }, { settingsSchema }] = await Promise.all([
        import('../electron/core/proxy'),
        import('../electron/core/contract/settings-schema'),
      ]);
      const settings = settingsSchema.parse({ port: 0, upstreams: [{ name: 'fake', baseUrl: target, mount: '/' }] });
      const proxy = new ProxyServer(settings, { enqueue: () => undefined });
      return { port: (await proxy.start()).port, stop: async () => (await proxy.stop(), '') };
    }
  }
}

export async function runRole(role: string, target: string | undefined): Promise<void> {
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`unknown role ${role}; one of ${ROLES.join(', ')}`);
  const report = statsReporter();
  const { port, stop } = await startServer(role as Role, target);
  console.log(`READY ${port}`);
  process.on('SIGUSR2', () => console.log(`STATS ${JSON.stringify(report())}`));
  process.once('SIGTERM', () => {
    stop()
      .then(
        (info) => info !== null && console.log(`DONE ${info}`),
        (error: unknown) => console.log(`DONE stop failed: ${(error as Error).message}`),
      )
      .finally(() => process.exit(0));
  });
}

if (process.argv[2] !== undefined) await runRole(process.argv[2], process.argv[3]);
