// The command line and the MCP server as a user and an agent meet them: the built bin
// (dist/electron/cli.js) as a child process, reading a log that a running `serve` is writing, and
// the MCP server driven over stdio by the official SDK client.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/records';
import { ESTIMATE_BODIES } from '../../helpers/estimate-bodies';

const CLI = join('dist', 'electron', 'cli.js');

let upstream: FakeUpstream;
let serve: ChildProcess;
let proxyUrl: string;
let db: string;
let cleanup: () => void;

const chat = (model: string, content = 'hi') => JSON.stringify({ model, messages: [{ role: 'user', content }] });

async function send(model: string, content?: string): Promise<string> {
  const res = await fetch(`${proxyUrl}/v1/chat/completions`, {
    method: 'POST',
    body: chat(model, content),
    headers: { authorization: 'Bearer sk-secret-123456789' },
  });
  expect(res.status).toBe(200);
  await res.text();
  return res.headers.get('x-correlation-id')!;
}

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Waits until the log holds `n` rows, asking the CLI (serve commits in batches, after the response). */
async function rowsCommitted(n: number): Promise<void> {
  for (;;) {
    const r = await cli('sql', 'SELECT count(*) AS n FROM requests', '--json');
    if (JSON.parse(r.stdout)[0].n >= n) return;
  }
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'log.sqlite');
  upstream = await startFakeUpstream();
  serve = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--proxy-port',
      '0',
      '--ui-port',
      '0',
      '--db',
      db,
      '--config',
      join(dir, 'settings.json'),
      '--upstream',
      upstream.url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for await (const line of createInterface({ input: serve.stdout! })) {
    const m = /^proxy listening on (\S+)$/.exec(line);
    if (m) {
      proxyUrl = m[1]!;
      break;
    }
  }
  await send('gpt-4o-mini', 'please refund my order');
  await send('gpt-4o-mini');
  await send('claude-sonnet-4-5');
  await rowsCommitted(3);
}, 60_000);

afterAll(async () => {
  const exited = once(serve, 'exit');
  serve.kill('SIGTERM');
  await exited;
  await upstream.close();
  cleanup();
});

// Each step starts a process, and this machine may be busy with other suites.
describe('the command line, while serve writes the log', { timeout: 120_000 }, () => {
  it('requests: a filter, --json as the contract’s rows, exit 1 for none and 2 for a mistake', async () => {
    const all = await cli('requests', '--json');
    expect(all.code, all.stderr).toBe(0);
    const rows = JSON.parse(all.stdout);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining([
        'id',
        'correlationId',
        'timestamp',
        'model',
        'provider',
        'inputTokens',
        'cost',
        'latencyMs',
      ]),
    );
    const some = await cli('requests', 'model:gpt-4o*', '-streaming', '--limit', '1', '--json');
    expect(JSON.parse(some.stdout).map((r: { model: string }) => r.model)).toEqual(['gpt-4o-mini']);
    const table = await cli('requests', 'model:claude*');
    expect(table.stdout).toMatch(/^ID\s+TIME\s+STATUS/);
    expect(table.stdout).toContain('claude-sonnet-4-5');
    expect((await cli('requests', 'model:nothing')).code).toBe(1);
    const bad = await cli('requests', 'cost>abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cost>abc: expected a number at column 6');
    expect((await cli('requests', '--limit', 'lots')).code).toBe(2);
  });

  it('show: by row id or correlation id, headers redacted, bodies on request', async () => {
    const [row] = JSON.parse((await cli('requests', 'model:claude*', '--json')).stdout);
    const plain = await cli('show', String(row.id), '--json');
    expect(plain.code).toBe(0);
    const d = JSON.parse(plain.stdout);
    expect(d.exchange.requestHeaders.authorization).not.toContain('sk-secret-123456789');
    expect(d.exchange.requestBody).toBeUndefined();
    const withBodies = JSON.parse((await cli('show', row.correlationId, '--bodies', '--json')).stdout);
    expect(withBodies.exchange.requestBody).toContain('claude-sonnet-4-5');
    expect((await cli('show', 'no-such-request')).code).toBe(1);
  });

  it('diff: two requests compared inline, --json as the contract’s RequestDiff, exit 1 for a missing one', async () => {
    const [second, first] = JSON.parse((await cli('requests', 'model:gpt-4o*', '--json')).stdout);
    const r = await cli('diff', String(first.id), second.correlationId);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`A #${first.id} `);
    expect(r.stdout).toContain('messages: 0 same, 1 changed, 0 added, 0 removed');
    expect(r.stdout).toContain('  #1 user: changed\n    ~ [-please refund my order-]{+hi+}');
    expect(r.stdout).toMatch(/^cache of #\d+ after #\d+: /m);
    const d = JSON.parse((await cli('diff', String(first.id), String(second.id), '--json')).stdout);
    expect(d.messages[0].op).toBe('changed');
    expect((await cli('diff', String(first.id), 'no-such-request')).code).toBe(1);
    expect((await cli('diff', String(first.id))).code).toBe(2);
  });

  it('thread: by thread id or a request’s row id, --json as the contract’s ThreadView, exit 1 for none', async () => {
    // The first request is a conversation of its own; the next ones send the same "hi": one thread.
    const [first, second, third] = JSON.parse((await cli('requests', '--json')).stdout).reverse();
    expect([first.threadId, first.turn, second.threadId, third.threadId, third.turn]).toEqual([
      first.id,
      1,
      second.id,
      second.id,
      2,
    ]);
    const json = await cli('thread', String(third.id), '--json');
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout);
    expect(view.summary).toMatchObject({ threadId: second.id, source: 'new' });
    expect(view.turns.slice(0, 2).map((t: { row: { id: number } }) => t.row.id)).toEqual([second.id, third.id]);
    const text = await cli('thread', String(first.id));
    expect(text.stdout).toContain(`thread ${first.id}: 1 turns, 1 segment, grouped by new`);
    expect(text.stdout).toMatch(/TURN\s+ID\s+TIME\s+GAP/);
    expect((await cli('thread', '999999')).code).toBe(1);
    expect((await cli('thread', 'abc')).code).toBe(2);
    expect(JSON.parse((await cli('requests', `thread:${first.id}`, '--json')).stdout)).toHaveLength(1);
  });

  it('estimate: a prompt, a body file or a token count; too few samples say so (exit 1); mistakes exit 2', async () => {
    const r = await cli('estimate', 'Summarize', 'this', 'order', '--model', 'gpt-4o-mini', '--json');
    expect(r.code, r.stderr).toBe(1);
    const est = JSON.parse(r.stdout);
    expect(est).toMatchObject({ input: 'prompt', model: 'gpt-4o-mini', tokenizer: { encoding: 'o200k_base' } });
    expect(est.inputTokens).toBeGreaterThan(3);
    expect(est.estimates[0]).toMatchObject({ model: 'gpt-4o-mini', basis: null, outputTokens: null });
    expect(est.estimates[0].fallback).toMatch(
      /2 samples for \(no policy, gpt-4o-mini\): fewer than 20.*3 samples for all requests/,
    );
    const bodyFile = join(dirname(db), 'body.json');
    writeFileSync(bodyFile, JSON.stringify(ESTIMATE_BODIES['anthropic-messages'].body));
    const text = await cli('estimate', '--body', bodyFile, '--path', '/v1/messages', '--compare');
    expect(text.stdout).toMatch(/^input: \d+ tokens \(o200k_base as an approximation for claude-haiku-4-5/);
    expect(text.stdout).toMatch(/MODEL\s+FROM\s+SAMPLES\s+OUTPUT p50 \/ p90 \/ p99/);
    expect(text.stdout).toContain('claude-haiku-4-5  no samples');
    const tokens = JSON.parse((await cli('estimate', '--tokens', '1200', '--models', 'a,b', '--json')).stdout);
    expect(tokens.estimates.map((e: { model: string }) => e.model)).toEqual(['a', 'b']);
    const two = await cli('estimate', 'hi', '--tokens', '5');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('give exactly one of body, prompt, inputTokens or requestId');
    expect((await cli('estimate', '--tokens', 'many')).code).toBe(2);
  });

  it('stats, ratios and sql', async () => {
    const stats = JSON.parse((await cli('stats', '--by', 'model', '--json')).stdout);
    expect(stats.total.requests).toBe(3);
    expect(stats.groups.map((g: { key: string }) => g.key).sort()).toEqual(['claude-sonnet-4-5', 'gpt-4o-mini']);
    expect((await cli('stats', '--by', 'colour')).code).toBe(2);
    const ratios = await cli('ratios', '--json');
    expect(ratios.code).toBe(0);
    expect(JSON.parse(ratios.stdout).length).toBeGreaterThan(0);
    const sql = await cli('sql', 'SELECT model, count(*) AS n FROM requests GROUP BY model ORDER BY model');
    expect(sql.stdout).toMatch(/model\s+n\nclaude-sonnet-4-5\s+1\ngpt-4o-mini\s+2/);
    for (const write of [
      'DELETE FROM requests',
      'UPDATE requests SET model = 1',
      "ATTACH 'x.db' AS x",
      'PRAGMA query_only = OFF',
      'CREATE TABLE t (a)',
    ]) {
      const r = await cli('sql', write);
      expect(r.code, write).toBe(2);
    }
    expect((await cli('sql', 'DELETE FROM requests')).stderr).toContain('only a read is allowed');
    expect(
      (
        await cli(
          'sql',
          'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c',
          '--limit',
          '10',
        )
      ).stderr,
    ).toContain('stopped at 10 rows');
    expect((await cli('requests', '--json')).stdout).toContain('claude-sonnet-4-5');
  });

  it('tail: the last rows, then each new one as serve commits it', async () => {
    const child = spawn(process.execPath, [CLI, 'tail', 'model:gpt*', '--json', '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const it = lines[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await it.next()).value as string);
    const first = [await next(), await next()];
    expect(first.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini']);
    await send('claude-sonnet-4-5');
    const cid = await send('gpt-4.1', 'a new one');
    expect(await next()).toMatchObject({ correlationId: cid, model: 'gpt-4.1' });
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(0);
  });

  it('export --filter writes only the matching rows', async () => {
    const out = join(db, '..', 'claude.jsonl');
    const r = await cli('export', '--out', out, '--filter', 'model:claude*');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/exported [12] requests/);
    expect((await cli('export', '--out', out, '--filter', 'since:soon')).code).toBe(2);
  });
});

describe('the MCP server, driven by the official SDK client over stdio', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], stderr: 'pipe' }),
    );
  });
  afterAll(async () => {
    await client.close();
  });

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = (await client.callTool({ name, arguments: args })) as { content: { text: string }[]; isError?: boolean };
    return { isError: r.isError ?? false, text: r.content[0]!.text };
  };

  it('lists its tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'diff',
      'estimate',
      'get_request',
      'list_requests',
      'search',
      'sql',
      'stats',
      'thread',
      'token_ratios',
    ]);
  });

  it('answers every tool', async () => {
    const list = await call('list_requests', { filter: 'model:gpt-4o*', limit: 5 });
    expect(list.isError).toBe(false);
    const rows = JSON.parse(list.text);
    expect(rows.length).toBeGreaterThan(0);
    const detail = await call('get_request', { id: rows[0].id, include_bodies: true });
    expect(JSON.parse(detail.text).exchange.requestBody).toContain('gpt-4o-mini');
    expect(JSON.parse(detail.text).exchange.requestHeaders.authorization).not.toContain('sk-secret-123456789');
    const brief = JSON.parse((await call('get_request', { id: rows[0].correlationId })).text);
    expect(brief.exchange.bodies).toContain('include_bodies');
    const compared = await call('diff', { a: rows[1].id, b: rows[0].correlationId });
    expect(compared.isError).toBe(false);
    expect(compared.text).toContain('messages: 0 same, 1 changed');
    expect(compared.text).toContain('reply B');
    expect(compared.text.length).toBeLessThan(12_200);
    const found = JSON.parse((await call('search', { text: 'REFUND' })).text);
    expect(found).toHaveLength(1);
    // Bodies by words (the full-text index): a phrase, a prefix; not the middle of a word.
    expect(JSON.parse((await call('search', { text: 'refund my order' })).text)).toHaveLength(1);
    expect(JSON.parse((await call('search', { text: 'refun*' })).text)).toHaveLength(1);
    expect((await call('search', { text: 'efund' })).text).toBe('nothing contains "efund"');
    expect(
      JSON.parse((await call('stats', { filter: 'provider:*', by: 'provider' })).text).total.requests,
    ).toBeGreaterThanOrEqual(3);
    expect(JSON.parse((await call('token_ratios')).text).length).toBeGreaterThan(0);
    const threadId = JSON.parse(detail.text).threadId;
    expect(JSON.parse((await call('thread', { id: rows[0].id })).text).summary.threadId).toBe(threadId);
    expect(await call('thread', { id: 999_999 })).toMatchObject({ isError: true, text: 'no thread 999999' });
    const est = await call('estimate', { body: ESTIMATE_BODIES['gemini'].body, path: ESTIMATE_BODIES['gemini'].path });
    expect(est.isError, est.text).toBe(false);
    expect(JSON.parse(est.text)).toMatchObject({ input: 'gemini', model: 'gemini-2.0-flash' });
    expect(JSON.parse((await call('estimate', { input_tokens: 10, model: 'm' })).text).inputTokens).toBe(10);
    expect(
      JSON.parse((await call('sql', { query: 'SELECT count(*) AS n FROM requests' })).text).rows[0].n,
    ).toBeGreaterThanOrEqual(3);
  });

  it('turns bad arguments into tool errors and keeps serving', async () => {
    expect(await call('list_requests', { filter: 'cost>abc' })).toMatchObject({
      isError: true,
      text: 'filter: cost>abc: expected a number at column 6',
    });
    expect((await call('list_requests', { limit: 'many' })).isError).toBe(true);
    expect((await call('get_request', { id: 'nope' })).isError).toBe(true);
    expect((await call('get_request', {})).isError).toBe(true);
    expect(await call('diff', { a: 1, b: 'nope' })).toMatchObject({ isError: true, text: 'no request nope' });
    expect((await call('stats', { by: 'colour' })).isError).toBe(true);
    expect(await call('sql', { query: 'DROP TABLE requests' })).toMatchObject({
      isError: true,
      text: expect.stringContaining('only a read'),
    });
    expect((await call('sql', { query: 'SELEC nonsense' })).isError).toBe(true);
    expect(await call('estimate', {})).toMatchObject({ isError: true, text: expect.stringContaining('exactly one') });
    expect((await call('estimate', { body: 'not json' })).text).toContain('not valid JSON');
    expect((await call('list_requests', {})).isError).toBe(false);
  });
});
