// A 50-turn agent conversation from the official OpenAI SDK through the proxy: the log stores its
// history once (storage/body-store.ts), yet every reader gives each request body back exactly as the
// client sent it (the upstream's copy is the reference): the detail's raw view, a read-only viewer
// (the CLI and MCP read through one), resend, the OTLP outbox's rows, and the JSONL, CSV, HAR and
// SQLite exports; threads rebuilt from the stored bodies are the threads assigned live.
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import OpenAI from 'openai';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planResend } from '../../../electron/core/api/resend-plan';
import { exportLog } from '../../../electron/core/export';
import { createBodyIndex } from '../../../electron/core/storage/body-index';
import { storeBodiesWhole } from '../../../electron/core/storage/body-store';
import { openOutbox, liveRows } from '../../../electron/core/storage/outbox';
import { openReadOnlyLog } from '../../../electron/core/storage/open-readonly';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
const TURNS = 50;
const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = ['read_file', 'search', 'run'].map((name) => ({
  type: 'function',
  function: {
    name,
    description: `${name}: ${'does what its name says, carefully and well. '.repeat(6)}`,
    parameters: { type: 'object', properties: { arg: { type: 'string' } } },
  },
}));

let h: Harness;
let file: string;
/** What the upstream received, turn by turn: the bytes each reader must give back. */
let sent: string[];
let ids: number[];

beforeAll(async () => {
  h = await startHarness();
  file = join(h.dir, 'log.sqlite');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${h.url}/v1`, maxRetries: 0 });
  const history: ChatMessage[] = [{ role: 'system', content: `You are a coding agent. ${'Be careful. '.repeat(350)}` }];
  for (let t = 1; t <= TURNS; t++) {
    history.push({ role: 'user', content: `Step ${t}: ${'look into the flaky test and report. '.repeat(4)}` });
    const toolCall = t % 2 === 0 ? { id: `call_${t}`, name: 'read_file', arguments: { arg: `f${t}.ts` } } : undefined;
    h.upstream.behave({ reply: `Step ${t} done. ${'Found the cause in the fixture. '.repeat(5)}`, toolCall });
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [...history], tools: TOOLS });
    const message = r.choices[0]!.message;
    history.push(message);
    for (const call of message.tool_calls ?? [])
      history.push({
        role: 'tool',
        tool_call_id: call.id,
        content: `contents of ${t}: ${'line of code; '.repeat(30)}`,
      });
  }
  const rows = await h.rows(TURNS);
  ids = rows.map((r) => r.id);
  sent = h.upstream.requests.map((r) => r.body.toString('utf8'));
  expect(sent).toHaveLength(TURNS);
}, 120_000);
afterAll(async () => {
  await h.close();
});

const sql = <T>(text: string): T[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(text).all() as T[];
  } finally {
    db.close();
  }
};

describe('a 50-turn agent conversation through the proxy', () => {
  it('is stored as templates over parts, and the detail gives every body back exactly', () => {
    expect(sql<{ n: number }>('SELECT count(*) AS n FROM body_templates')[0]!.n).toBe(TURNS);
    expect(ids.map((id) => h.store.getRequest(id)?.exchange.requestBody)).toEqual(sent);
    const resent = ids.map((id) => planResend({ detail: h.store.getRequest(id)!, upstreamHasKey: true }));
    expect(resent.map((p) => (p.ok ? p.plan.body : p.message))).toEqual(sent);
  });

  it('takes a fraction of the bytes on disk it took with every body whole', () => {
    const after = join(h.dir, 'after.sqlite');
    const before = join(h.dir, 'before.sqlite');
    const src = new Database(file, { readonly: true });
    src.exec(`VACUUM INTO '${after}'`);
    src.close();
    copyFileSync(after, before);
    const whole = new Database(before);
    whole.transaction(() => {
      storeBodiesWhole(whole);
      createBodyIndex(whole).rebuild();
    })();
    whole.exec('VACUUM');
    whole.close();
    const [a, b] = [statSync(after).size, statSync(before).size];
    // What is left beside the new content of each turn are references, a few dozen bytes per
    // message per turn (the templates, body_part_refs, and the threads' request_messages).
    expect(a * 2).toBeLessThan(b);
    const partBytes = sql<{ n: number }>('SELECT sum(length(body)) AS n FROM body_parts')[0]!.n;
    expect(partBytes * 10).toBeLessThan(sent.reduce((n, s) => n + s.length, 0));
  });

  it('a read-only viewer (the CLI, MCP) and the OTLP outbox read the same bodies', async () => {
    const viewer = await openReadOnlyLog(file, { inPlace: true });
    try {
      const bodies = await Promise.all(ids.map(async (id) => (await viewer.getRequest(id))?.exchange.requestBody));
      expect(bodies).toEqual(sent);
    } finally {
      await viewer.close();
    }
    const db = new Database(file);
    try {
      const state = openOutbox(db, 'http://127.0.0.1:1/v1/traces', 0, null);
      expect([...liveRows(db, state, 1000)].map((d) => d.exchange.requestBody)).toEqual(sent);
    } finally {
      db.close();
    }
  });

  it('exports JSONL, CSV, HAR and a SQLite snapshot with the original bodies', async () => {
    const job = { source: file, filter: {}, includeBodies: true, includeHeaders: true } as const;
    const out = (ext: string) => join(h.dir, `export.${ext}`);
    for (const format of ['jsonl', 'csv', 'har', 'sqlite'] as const)
      await exportLog({ ...job, format, destination: out(format) });
    const jsonl = readFileSync(out('jsonl'), 'utf8').trim().split('\n');
    const records = jsonl.map((l) => JSON.parse(l) as { exchange: { request_body: string } });
    expect(records.map((r) => r.exchange.request_body)).toEqual(sent);
    const csv = parse(readFileSync(out('csv'), 'utf8'), { columns: true, bom: true }) as { request_body: string }[];
    expect(csv.map((r) => r.request_body)).toEqual(sent);
    const har = JSON.parse(readFileSync(out('har'), 'utf8')) as {
      log: { entries: { request: { postData?: { text: string } } }[] };
    };
    expect(har.log.entries.map((e) => e.request.postData?.text)).toEqual(sent);
    // The snapshot holds every body whole in exchanges, for tools that know nothing of the body store.
    const snap = new Database(out('sqlite'), { readonly: true });
    try {
      expect(snap.prepare('SELECT request_body FROM exchanges ORDER BY request_id').pluck().all()).toEqual(sent);
      expect(snap.prepare('SELECT count(*) FROM body_parts').pluck().get()).toBe(0);
      const found = snap.prepare(`SELECT rowid FROM body_fts WHERE body_fts MATCH '"Step 3"' ORDER BY rowid`);
      expect(found.pluck().all()).toEqual(ids.slice(2));
    } finally {
      snap.close();
    }
  });

  it('rebuilds the same threads from the stored bodies', async () => {
    const live = (await h.rows()).map((r) => [r.id, r.threadId, r.turn]);
    expect(new Set(live.map((r) => r[1])).size).toBe(1);
    await h.store.rebuildThreads();
    expect((await h.rows()).map((r) => [r.id, r.threadId, r.turn])).toEqual(live);
  });
});
