// The npm package, as `npx llm-request-inspector …` meets it: `npm pack` over a snapshot of the project
// (other tests rebuild dist/ in place while this one reads it), the file list checked, and the tarball
// unpacked outside the checkout beside a node_modules holding only the runtime dependencies, where its
// bin serves the UI and proxies, answers `requests --json` and speaks MCP. What the registry would add
// (the install itself) is not run here: it needs the network.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPrompt } from '../../electron/core/inspect/estimate/input-tokens';
import { SERVE_ENV, SERVE_NODE_FLAGS } from '../../electron/core/serve-flags';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { tempDir } from '../helpers/records';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin: Record<string, string>;
  private?: boolean;
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const BIN = manifest.bin['llm-request-inspector']!;

let work: string;
let cleanup: () => void;
let packed: string[];
let cli: string;

function walk(dir: string, base: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name), base) : [relative(base, join(dir, d.name)).split(sep).join('/')],
  );
}

function withoutServeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(SERVE_ENV)) delete env[name];
  return env;
}

function run(args: string[], db: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args, '--db', db], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(() => {
  ({ dir: work, cleanup } = tempDir('inspector-npm-'));
  const project = join(work, 'project');
  for (const f of ['package.json', 'README.md', 'dist/electron', 'dist/renderer'])
    cpSync(join(root, f), join(project, f), { recursive: true });
  // --ignore-scripts: prepack would build again; the suite's global setup has built dist/ already.
  const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path).sort();
  const installed = join(work, 'installed');
  mkdirSync(join(installed, 'node_modules'), { recursive: true });
  const tar = spawnSync('tar', ['-xzf', join(work, info!.filename), '-C', installed], { encoding: 'utf8' });
  expect(tar.status, tar.stderr).toBe(0);
  // What `npm install` of the tarball puts beside it: the runtime dependencies, and nothing else.
  for (const dep of Object.keys(manifest.dependencies ?? {}))
    symlinkSync(join(root, 'node_modules', dep), join(installed, 'node_modules', dep), 'dir');
  cli = join(installed, 'package', BIN);
}, 120_000);

afterAll(() => cleanup?.());

describe('the npm package', () => {
  it('can be published, and an install pulls better-sqlite3 alone: no Electron, nothing the bundles inline', () => {
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['better-sqlite3']);
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  });

  it('carries the bin, the command line, threads, tokenizers and UI; no sources, tests or maps', () => {
    const renderer = walk(join(root, 'dist/renderer'), root).filter((f) => !f.endsWith('.map'));
    const workers = readdirSync(join(root, 'dist/electron'))
      .filter((f) => f.endsWith('-worker.js'))
      .map((f) => `dist/electron/${f}`);
    expect(workers).toEqual(expect.arrayContaining(['dist/electron/writer-worker.js', 'dist/electron/sql-worker.js']));
    const tokenizers = ['dist/electron/tokenizer-cl100k_base.cjs', 'dist/electron/tokenizer-o200k_base.cjs'];
    // main.js because npm always packs the file `main` names (Electron and electron-builder read it).
    expect(packed).toEqual(
      ['README.md', 'package.json', BIN, 'dist/electron/cli.js', 'dist/electron/main.js', ...workers, ...tokenizers]
        .concat(renderer)
        .sort(),
    );
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The bin is a launcher: it must not carry the app (whose parse it would pay before relaunching).
    expect(readFileSync(cli, 'utf8').length).toBeLessThan(4096);
  });

  it('npm run serve starts the bin with the serve flags (which Windows, without execve, then keeps)', () => {
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts.serve!;
    const command = script.split(' && ').at(-1)!.split(' ');
    expect(command[0]).toBe('node');
    expect(command.slice(1, -2)).toEqual(SERVE_NODE_FLAGS);
    expect(command.slice(-2)).toEqual([BIN, 'serve']);
  });
});

describe('the unpacked package, run from outside the checkout', { timeout: 120_000 }, () => {
  let upstream: FakeUpstream;
  let serve: ChildProcess;
  let db: string;
  let uiUrl: string;
  let proxyUrl: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    db = join(work, 'log.sqlite');
    writeFileSync(join(work, 'settings.json'), '{}');
    serve = spawn(
      process.execPath,
      [cli, 'serve', '--proxy-port', '0', '--ui-port', '0', '--db', db, '--config', join(work, 'settings.json')].concat(
        ['--upstream', upstream.url],
      ),
      // Without serve's variables, as a user's shell has it, so that the bin must add them.
      { cwd: work, stdio: ['ignore', 'pipe', 'inherit'], env: withoutServeEnv() },
    );
    for await (const line of createInterface({ input: serve.stdout! })) {
      proxyUrl ??= /^proxy listening on (\S+)$/.exec(line)?.[1] as string;
      uiUrl ??= /^ui listening on (\S+)$/.exec(line)?.[1] as string;
      if (proxyUrl && uiUrl) break;
    }
    const res = await fetch(`${proxyUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    // serve commits after the response, in batches: ask until the row is there.
    while ((await run(['requests', '--json'], db)).code !== 0);
  }, 60_000);

  afterAll(async () => {
    if (serve) {
      const exited = once(serve, 'exit');
      serve.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
  });

  it('serve: the bin relaunched itself with the serve flags and environment, as the same process', () => {
    // What the process runs as now (execve keeps the id): its command line, as ps shows it.
    const ps = spawnSync('ps', ['-o', 'args=', '-p', String(serve.pid)], { encoding: 'utf8' });
    expect(ps.status, ps.stderr).toBe(0);
    const args = ps.stdout.trim().split(/\s+/);
    expect(args.slice(0, args.indexOf(cli) + 2)).toEqual([process.execPath, ...SERVE_NODE_FLAGS, cli, 'serve']);
    // glibc's variables are given on Linux only; elsewhere nothing reads them.
    if (process.platform === 'linux') {
      const env = readFileSync(`/proc/${serve.pid}/environ`, 'utf8').split('\0');
      expect(env).toEqual(expect.arrayContaining(Object.entries(SERVE_ENV).map(([k, v]) => `${k}=${v}`)));
    }
  });

  it('serve: counts tokens with both encodings, each loaded from its own file beside the bundle', async () => {
    const prompt = 'Tokenizers kept apart from the bundle still count: ünïcödé, 12345, and <|endoftext|>.';
    // gpt-4o is counted with o200k, gpt-4 with cl100k; from source, the package's own encodings count.
    for (const model of ['gpt-4o', 'gpt-4']) {
      const res = await fetch(`${proxyUrl}/_inspector/v1/estimate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt, model }),
      });
      expect(res.status).toBe(200);
      const { inputTokens } = (await res.json()) as { inputTokens: number };
      expect(inputTokens, model).toBe(countPrompt(prompt, model));
    }
  });

  it('serve: the UI from the package’s own dist/renderer, and the proxy logging', async () => {
    const page = await fetch(uiUrl);
    expect(page.status).toBe(200);
    const script = /<script type="module"[^>]*src="\.?\/?(assets\/index-[^"]+\.js)"/.exec(await page.text());
    expect(script).not.toBeNull();
    const asset = await fetch(new URL(script![1]!, uiUrl));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('requests --json: the row serve logged', async () => {
    const r = await run(['requests', 'model:gpt-4o*', '--json'], db);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ model: 'gpt-4o-mini', status: 200 }]);
  });

  it('mcp: the official SDK client lists the requests over stdio', async () => {
    const client = new Client({ name: 'npm-package-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--db', db], cwd: work }),
    );
    try {
      const r = (await client.callTool({ name: 'list_requests', arguments: { filter: '', limit: 5 } })) as {
        content: { text: string }[];
        isError?: boolean;
      };
      expect(r.isError ?? false).toBe(false);
      expect(JSON.parse(r.content[0]!.text)).toMatchObject([{ model: 'gpt-4o-mini' }]);
    } finally {
      await client.close();
    }
  });
});
