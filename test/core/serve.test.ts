// The headless entry: in-process for the wiring, and as the built bundle in a child process for
// what only a real process shows (the listening line, SIGINT/SIGTERM -> flush, close, exit 0).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WORKER_ENTRIES, nodeBundleOptions } from '../../scripts/bundle-config.mjs';
import { runServe } from '../../electron/core/serve';
import { openLogStore } from '../../electron/core/storage';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';

let dir: string;
let upstream: FakeUpstream;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serve-test-'));
  upstream = await startFakeUpstream();
});
afterEach(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

async function rowsIn(db: string) {
  const store = await openLogStore(db);
  try {
    return store.listRequests({}, null, 100).rows.reverse();
  } finally {
    await store.close();
  }
}

describe('runServe (in process)', () => {
  it('starts proxy and UI with CLI upstreams, logs through them, and leaves the settings file alone', async () => {
    const lines: string[] = [];
    const db = join(dir, 'log.sqlite');
    const config = join(dir, 'settings.json');
    const serving = await runServe(
      [
        '--host',
        '127.0.0.1',
        '--proxy-port',
        '0',
        '--ui-port',
        '0',
        '--db',
        db,
        '--config',
        config,
        '--upstream',
        upstream.url,
        '--upstream',
        `anthropic=${upstream.url}`,
      ],
      { log: (l) => lines.push(l), error: (l) => lines.push(l) },
      dir,
    );
    try {
      const proxyUrl = /^proxy listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1];
      expect(proxyUrl).toBeDefined();
      expect(lines[1]).toMatch(/^ui listening on http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      expect((await fetch(`${proxyUrl}/v1/chat/completions`, { method: 'POST', body: chat })).status).toBe(200);
      expect((await fetch(`${proxyUrl}/anthropic/v1/messages`, { method: 'POST', body: chat })).status).toBe(200);
    } finally {
      await serving.stop();
    }
    const rows = await rowsIn(db);
    expect(rows.map((r) => [r.provider, r.path])).toEqual([
      [`127.0.0.1:${upstream.port}`, '/v1/chat/completions'],
      ['anthropic', '/anthropic/v1/messages'],
    ]);
    await expect(stat(config)).rejects.toThrow();
  });

  it('a busy proxy port or an invalid settings file is a clear error', async () => {
    const blocker = await runServe(
      ['--proxy-port', '0', '--ui-port', '0', '--db', join(dir, 'a.sqlite'), '--config', join(dir, 'a.json')],
      { log: () => undefined, error: () => undefined },
      dir,
    );
    try {
      const port = blocker.core.proxy.address()!.port;
      await expect(
        runServe(
          ['--proxy-port', String(port), '--db', join(dir, 'b.sqlite'), '--config', join(dir, 'b.json')],
          { log: () => undefined, error: () => undefined },
          dir,
        ),
      ).rejects.toThrow(/proxy could not listen: EADDRINUSE/);
    } finally {
      await blocker.stop();
    }
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'bad.json'), '{"port": "eighty"}');
    await expect(
      runServe(
        ['--config', join(dir, 'bad.json'), '--db', join(dir, 'c.sqlite')],
        { log: () => undefined, error: () => undefined },
        dir,
      ),
    ).rejects.toThrow(/bad\.json[\s\S]*port: /);
  });
});

describe('the built serve bundle', () => {
  // Inside the repo so the bundle resolves better-sqlite3 from node_modules; .tmp is git-ignored.
  const out = join(process.cwd(), '.tmp', `serve-test-${process.pid}`);
  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    await build({
      ...nodeBundleOptions(`${process.cwd()}/`),
      entryPoints: { serve: 'electron/core/serve.ts', ...WORKER_ENTRIES },
      outdir: out,
      sourcemap: false,
      logLevel: 'error',
    });
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });
  /** The built serve's command line: free ports, its own log and settings in `dir`, one upstream. */
  const serveArgs = (db: string, upstreamUrl: string) => [
    join(out, 'serve.js'),
    '--proxy-port',
    '0',
    '--ui-port',
    '0',
    '--db',
    db,
    '--config',
    join(dir, 'settings.json'),
    '--upstream',
    upstreamUrl,
  ];

  // Every real API is HTTPS: forwarding there goes through the https agent and checks the upstream's
  // certificate (a proxy that did not would hand the user's key to whoever answers). The upstream is a
  // node:https server with a self-signed certificate for localhost (test/fixtures/tls), which the child
  // trusts only when told to.
  describe('an HTTPS upstream', () => {
    const tls = join(process.cwd(), 'test', 'fixtures', 'tls');
    const caFile = join(tls, 'localhost-cert.pem');
    let tlsUpstream: HttpsServer;
    let port: number;
    let seen: string[];
    beforeEach(async () => {
      seen = [];
      tlsUpstream = createHttpsServer(
        { key: await readFile(join(tls, 'localhost-key.pem')), cert: await readFile(caFile) },
        (req, res) => {
          seen.push(`${req.method} ${req.url}`);
          req.resume().on('end', () => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                id: 'chatcmpl-tls',
                object: 'chat.completion',
                model: 'gpt-4o-mini',
                choices: [{ index: 0, message: { role: 'assistant', content: 'over TLS' }, finish_reason: 'stop' }],
                usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
              }),
            );
          });
        },
      );
      tlsUpstream.listen(0, '127.0.0.1');
      await once(tlsUpstream, 'listening');
      port = (tlsUpstream.address() as AddressInfo).port;
    });
    afterEach(async () => {
      tlsUpstream.closeAllConnections();
      tlsUpstream.close();
      await once(tlsUpstream, 'close');
    });

    async function serveWith(env: NodeJS.ProcessEnv, db: string) {
      const child = spawn(process.execPath, serveArgs(db, `https://localhost:${port}`), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(child, 'exit');
      let proxyUrl: string | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        proxyUrl = /^proxy listening on (\S+)$/.exec(line)?.[1];
        if (proxyUrl !== undefined) break;
      }
      expect(proxyUrl, stderr).toBeDefined();
      const stop = async () => {
        child.kill('SIGTERM');
        const [code] = await exited;
        expect(code, stderr).toBe(0);
      };
      return { proxyUrl: proxyUrl!, stop };
    }

    it('forwards to it with the certificate checked, and logs the answer', async () => {
      const db = join(dir, 'tls.sqlite');
      const serve = await serveWith({ NODE_EXTRA_CA_CERTS: caFile }, db);
      const res = await fetch(`${serve.proxyUrl}/v1/chat/completions`, { method: 'POST', body: chat });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'over TLS' } }] });
      await serve.stop();
      const [row] = await rowsIn(db);
      expect(row).toMatchObject({ status: 200, model: 'gpt-4o-mini', inputTokens: 7, outputTokens: 3 });
      expect(seen).toEqual(['POST /v1/chat/completions']);
    });

    it('refuses an upstream whose certificate it cannot verify: 502 with the reason, and a row', async () => {
      const db = join(dir, 'untrusted.sqlite');
      const serve = await serveWith({ NODE_EXTRA_CA_CERTS: '' }, db);
      const res = await fetch(`${serve.proxyUrl}/v1/chat/completions`, { method: 'POST', body: chat });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/certificate/i);
      await serve.stop();
      const [row] = await rowsIn(db);
      expect(row).toMatchObject({ status: 502, success: false });
      expect(seen).toEqual([]);
    });
  });

  it('--help prints every option and exits 0 without opening a log or a port', async () => {
    const db = join(dir, 'help.sqlite');
    const child = spawn(process.execPath, [join(out, 'serve.js'), '--db', db, '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const flag of ['--host', '--proxy-port', '--ui-port', '--db', '--config', '--upstream', '--help'])
      expect(stdout).toContain(flag);
    await expect(stat(db)).rejects.toThrow();
  });

  it.runIf(process.platform !== 'win32')(
    'started by npm, stops cleanly when the shell between npm and it is stopped',
    async () => {
      const db = join(dir, 'log.sqlite');
      // As npm runs a script: `sh -c` (which dash does not replace with the command), npm_lifecycle_event
      // set. npm passes its SIGTERM to that shell alone; the shell dies without passing it on.
      const shell = spawn(
        'sh',
        ['-c', '"$0" "$@" & echo "pid $!"; wait', process.execPath, ...serveArgs(db, upstream.url)],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_lifecycle_event: 'serve' } },
      );
      let stderr = '';
      shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // The pipe closes when its last writer does: the shell, then serve itself.
      const closed = once(shell.stdout, 'close');
      const output: string[] = [];
      const listening = new Promise<string>((resolve) => {
        createInterface({ input: shell.stdout }).on('line', (line) => {
          output.push(line);
          const url = /^proxy listening on (\S+)$/.exec(line)?.[1];
          if (url !== undefined) resolve(url);
        });
      });
      const proxyUrl = await Promise.race([listening, closed.then(() => undefined)]);
      expect(proxyUrl, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (let i = 0; i < 3; i++)
        expect((await fetch(`${proxyUrl}/v1/chat/completions`, { method: 'POST', body: chat })).status).toBe(200);
      shell.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          closed,
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('serve kept running')), 10_000))),
        ]);
      } finally {
        clearTimeout(timer);
        // Where it did not stop, the orphan must not outlive the test.
        const pid = Number(output.find((line) => line.startsWith('pid '))?.slice(4));
        try {
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
      expect(output.join('\n'), stderr).toContain('parent exited: stopping (flushing the log)');
      await expect(stat(`${db}-wal`)).rejects.toThrow();
      expect(await rowsIn(db)).toHaveLength(3);
    },
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: flushes the log, closes the database and exits 0`, async () => {
      const db = join(dir, 'log.sqlite');
      const child = spawn(process.execPath, serveArgs(db, upstream.url), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(child, 'exit');
      const lines = createInterface({ input: child.stdout });
      let proxyUrl: string | undefined;
      for await (const line of lines) {
        proxyUrl = /^proxy listening on (\S+)$/.exec(line)?.[1];
        if (proxyUrl !== undefined) break;
      }
      expect(proxyUrl, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (let i = 0; i < 3; i++)
        expect((await fetch(`${proxyUrl}/v1/chat/completions`, { method: 'POST', body: chat })).status).toBe(200);
      child.kill(signal);
      const [code] = await exited;
      expect(code, stderr).toBe(0);
      // Forwarding uses no deprecated Node API: Node prints a DEP warning to the user's console the
      // first time one is called (http-proxy 1.x's url.parse and util._extend did, on every run).
      expect(stderr).not.toMatch(/DEP0\d+/);
      // Closed cleanly: the WAL was checkpointed into the file and every row is there.
      await expect(stat(`${db}-wal`)).rejects.toThrow();
      expect(await rowsIn(db)).toHaveLength(3);
    });
  }
});
