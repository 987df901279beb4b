// Threads as real clients produce them: the official OpenAI and Anthropic SDKs talk to the proxy in
// front of a fake upstream, resending their history every turn as agents do, and the log groups it.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestRow } from '../../../electron/core/contract/model';
import { startHarness, type Harness } from '../../helpers/proxy-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const openai = (headers: Record<string, string> = {}) =>
  new OpenAI({ apiKey: 'sk-test', baseURL: `${h.url}/v1`, maxRetries: 0, defaultHeaders: headers });
const anthropic = (headers: Record<string, string> = {}) =>
  new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.url, maxRetries: 0, defaultHeaders: headers });

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
];

/** One turn of an agent: the user's message, the model's answer (a tool call every other turn, then its result). */
async function agentTurn(client: OpenAI, history: ChatMessage[], t: number): Promise<void> {
  history.push({ role: 'user', content: `step ${t}` });
  const toolCall = t % 2 === 0 ? { id: `call_${t}`, name: 'lookup', arguments: { q: t } } : undefined;
  h.upstream.behave({ reply: `done ${t}`, toolCall });
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [...history], tools: TOOLS });
  const message = r.choices[0]!.message;
  history.push(message);
  for (const call of message.tool_calls ?? []) history.push({ role: 'tool', tool_call_id: call.id, content: 'ok' });
}

const threadOf = (rows: RequestRow[]) => rows.map((r) => [r.threadId, r.turn]);

describe('threads from SDK traffic', () => {
  it('a 10-turn agent conversation with tool calls is one thread, turns 1 to 10', async () => {
    const client = openai();
    const history: ChatMessage[] = [{ role: 'system', content: 'You are an agent.' }];
    for (let t = 1; t <= 10; t++) await agentTurn(client, history, t);
    const rows = await h.rows(10);
    expect(h.upstream.requests.filter((r) => (r.json as { tools?: unknown }).tools)).toHaveLength(10);
    expect(threadOf(rows)).toEqual(rows.map((_, i) => [rows[0]!.id, i + 1]));
    const view = h.store.getThread(rows[0]!.id)!;
    expect(view.summary).toMatchObject({ turns: 10, segments: 1, source: 'new' });
    expect(view.turns.slice(1).every((t) => t.source.startsWith('prefix:'))).toBe(true);
  });

  it('two conversations interleaved in time are two threads', async () => {
    const client = anthropic();
    const a: Anthropic.MessageParam[] = [];
    const b: Anthropic.MessageParam[] = [];
    for (let t = 1; t <= 3; t++) {
      for (const [history, topic] of [
        [a, 'cats'],
        [b, 'dogs'],
      ] as const) {
        history.push({ role: 'user', content: `${topic} ${t}` });
        h.upstream.behave({ reply: `${topic} answer ${t}` });
        const r = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [...history] });
        history.push({ role: 'assistant', content: r.content });
      }
    }
    const rows = await h.rows(6);
    const [ta, tb] = [rows[0]!.id, rows[1]!.id];
    expect(threadOf(rows)).toEqual(
      [1, 2, 3].flatMap((t) => [
        [ta, t],
        [tb, t],
      ]),
    );
  });

  it('an edited history forks a thread that points at its parent', async () => {
    const client = openai();
    const history: ChatMessage[] = [{ role: 'system', content: 'You are an agent.' }];
    for (let t = 1; t <= 3; t++) await agentTurn(client, history, t);
    // Back to the first answer: the user rewrites the second message and goes on from there.
    const edited: ChatMessage[] = [...history.slice(0, 3), { role: 'user', content: 'step 2, said differently' }];
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: edited, tools: TOOLS });
    const rows = await h.rows(4);
    const fork = rows[3]!;
    expect([fork.threadId, fork.turn]).toEqual([fork.id, 1]);
    expect(h.store.getThread(fork.id)!.summary).toMatchObject({ source: 'fork:2', parentThreadId: rows[0]!.id });
  });

  it('client session headers group by header, and a compacted history starts a new segment', async () => {
    const session = (id: string) => anthropic({ 'x-claude-code-session-id': id });
    const one = session('7f1c-one');
    const send = async (client: Anthropic, messages: Anthropic.MessageParam[]) => {
      const r = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, system: 'sys', messages });
      return r.content;
    };
    const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'start' }];
    history.push({ role: 'assistant', content: await send(one, history) });
    history.push({ role: 'user', content: 'summarize the conversation' });
    h.upstream.behave({ reply: 'We started.' });
    await send(one, history);
    // Compaction: the history is replaced by its summary, under the same session.
    await send(one, [{ role: 'user', content: 'Summary so far: We started. Go on.' }]);
    // Another session with the very same first message: grouped by its own header, not by content.
    await send(session('9a2b-two'), [{ role: 'user', content: 'start' }]);
    const rows = await h.rows(4);
    const views = rows.map((r) => h.store.getThread(r.threadId!)!.turns.find((t) => t.row.id === r.id)!);
    expect(rows.map((r, i) => [r.threadId === rows[0]!.id, r.turn, views[i]!.segment, views[i]!.source])).toEqual([
      [true, 1, 1, 'header:x-claude-code-session-id'],
      [true, 2, 1, 'header:x-claude-code-session-id'],
      [true, 3, 2, 'header:x-claude-code-session-id'],
      [false, 1, 1, 'header:x-claude-code-session-id'],
    ]);
  });

  it('X-Inspector-Thread groups what the client says, and is not forwarded', async () => {
    const client = openai({ 'x-inspector-thread': 'nightly-eval-3' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'b' }] });
    const rows = await h.rows(2);
    expect(threadOf(rows)).toEqual([
      [rows[0]!.id, 1],
      [rows[0]!.id, 2],
    ]);
    expect(h.upstream.requests.map((r) => r.headers['x-inspector-thread'])).toEqual([undefined, undefined]);
    expect(h.store.getRequest(rows[0]!.id)!.exchange.requestHeaders['x-inspector-thread']).toBe('nightly-eval-3');
  });
});
