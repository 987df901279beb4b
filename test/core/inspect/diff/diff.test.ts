// The structural diff on recorded shapes of every format the app reads: agents' turn-to-turn
// growth, an edited message, a changed system prompt, reordered and edited tools, changed
// parameters, tool arguments, media that moved in the body, and the replies side by side.
import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../../electron/core/inspect/conversation';
import { diffRequests, type DiffSide } from '../../../../electron/core/inspect/diff';
import type { TextDiff } from '../../../../electron/core/contract/diff';
import { makeRecord } from '../../../helpers/records';
import { b64, input, ndjson, sse, type StoredExchange } from '../conversation/exchange';

let nextId = 1;
function side(x: StoredExchange): DiffSide {
  const i = input(x);
  const { exchange: _e, ...row } = { ...makeRecord({ path: x.path }), id: nextId++, threadId: null, turn: null };
  return {
    row,
    conversation: buildConversation(i),
    bodies: { request: i.requestBody, response: i.responseBody },
  };
}

const changes = (t: TextDiff | null) => (t?.spans ?? []).filter((s) => s.op !== 'same').map((s) => [s.op, s.text]);

describe('diffRequests', () => {
  it('OpenAI chat: the next turn of an agent appends the call, its result and a user message', () => {
    const path = '/v1/chat/completions';
    const history = [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const call = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
    };
    const a = side({ path, request: { model: 'gpt-4o', messages: history }, response: { choices: [] } });
    const b = side({
      path,
      request: {
        model: 'gpt-4o',
        messages: [
          ...history,
          call,
          { role: 'tool', tool_call_id: 'c1', content: '18°C' },
          { role: 'user', content: 'And Rome?' },
        ],
      },
      response: { choices: [{ message: { role: 'assistant', content: 'Rome: 24°C' }, finish_reason: 'stop' }] },
    });
    const d = diffRequests(a, b);
    expect(d.messages.map((m) => [m.op, m.role, m.a, m.b])).toEqual([
      ['same', 'system', 0, 0],
      ['same', 'user', 1, 1],
      ['added', 'assistant', null, 2],
      ['added', 'tool', null, 3],
      ['added', 'user', null, 4],
    ]);
    expect(d.messages[0]!.parts).toEqual([]);
    expect(d.messages[2]!.parts[0]!.b!.label).toBe('tool call weather (c1)');
    expect(d.summary.messages).toEqual({ same: 2, added: 3, removed: 0, changed: 0 });
    expect(d.replies.a.parts).toEqual([]);
    expect(d.replies.b).toMatchObject({ parts: [{ kind: 'text', text: 'Rome: 24°C' }], finishReason: 'stop' });
  });

  it('OpenAI chat: an edited tool call shows a JSON diff of its arguments', () => {
    const path = '/v1/chat/completions';
    const msgs = (args: object) => [
      { role: 'user', content: 'Find flights' },
      {
        role: 'assistant',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: JSON.stringify(args) } }],
      },
    ];
    const d = diffRequests(
      side({ path, request: { model: 'm', messages: msgs({ from: 'CDG', to: 'FCO', seats: 2, tags: ['a'] }) } }),
      side({ path, request: { model: 'm', messages: msgs({ from: 'CDG', to: 'FCO', seats: 3, tags: ['a', 'b'] }) } }),
    );
    const changed = d.messages[1]!;
    expect(changed.op).toBe('changed');
    expect(changed.parts[0]!.json).toEqual([
      { path: '$.seats', op: 'changed', before: '2', after: '3', text: null },
      { path: '$.tags[1]', op: 'added', before: null, after: '"b"', text: null },
    ]);
  });

  it('Anthropic: a changed system prompt says where; tools reordered and one edited', () => {
    const path = '/anthropic/v1/messages';
    const tools = [
      {
        name: 'read',
        description: 'Read a file',
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
      },
      { name: 'write', description: 'Write a file', input_schema: { type: 'object' } },
    ];
    const system = (time: string) => `You are a coding agent. The time is ${time}. Be careful.`;
    const a = side({
      path,
      request: {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: system('10:00'),
        tools,
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    const edited = {
      ...tools[0]!,
      input_schema: { type: 'object', properties: { path: { type: 'string' }, lines: { type: 'integer' } } },
    };
    const b = side({
      path,
      request: {
        model: 'claude-sonnet-4-5',
        max_tokens: 2048,
        system: system('10:05'),
        tools: [tools[1], edited],
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    const d = diffRequests(a, b);
    expect(d.system!.firstChange).toBe('You are a coding agent. The time is 10:0'.length);
    expect(changes(d.system)).toEqual([
      ['removed', '0'],
      ['added', '5'],
    ]);
    expect(d.tools.reordered).toBe(true);
    expect(d.tools.items.map((t) => [t.name, t.op])).toEqual([
      ['write', 'same'],
      ['read', 'changed'],
    ]);
    expect(d.tools.items[1]!.schema.map((c) => [c.path, c.op])).toEqual([['$.properties.lines', 'added']]);
    expect(d.params.filter((p) => p.op !== 'same')).toEqual([
      { name: 'max_tokens', op: 'changed', before: '1024', after: '2048' },
    ]);
    expect(d.summary).toMatchObject({ systemChanged: true, toolsChanged: 1, toolsReordered: true, paramsChanged: 1 });
  });

  it('Anthropic streams: the replies side by side, rebuilt from their events', () => {
    const path = '/anthropic/v1/messages';
    const stream = (text: string) =>
      sse([
        { type: 'message_start', message: { model: 'claude-x', content: [] } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
      ]);
    const req = { model: 'claude-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const d = diffRequests(
      side({ path, request: req, response: stream('Hello'), streaming: true }),
      side({ path, request: req, response: stream('Hi there'), streaming: true }),
    );
    expect(d.messages.map((m) => m.op)).toEqual(['same']);
    expect(d.replies.a).toMatchObject({ parts: [{ text: 'Hello' }], finishReason: 'end_turn' });
    expect(d.replies.b).toMatchObject({ parts: [{ text: 'Hi there' }], finishReason: 'end_turn' });
  });

  it('Gemini: the same image at another place in the body is the same part; a parameter changed', () => {
    const path = '/gemini/v1beta/models/gemini-2.5-flash:generateContent';
    const image = { inlineData: { mimeType: 'image/png', data: b64(9000) } };
    const a = side({
      path,
      request: {
        contents: [{ role: 'user', parts: [image, { text: 'What is this?' }] }],
        generationConfig: { temperature: 0 },
      },
    });
    const b = side({
      path,
      request: {
        systemInstruction: { parts: [{ text: 'Answer in French.' }] },
        contents: [{ role: 'user', parts: [image, { text: 'What is this?' }] }],
        generationConfig: { temperature: 0.7 },
      },
    });
    const d = diffRequests(a, b);
    expect(d.messages.map((m) => m.op)).toEqual(['same']);
    expect(changes(d.system)).toEqual([['added', 'Answer in French.']]);
    expect(d.params.find((p) => p.name === 'temperature')).toMatchObject({ op: 'changed', before: '0', after: '0.7' });
  });

  it('OpenAI Responses: an edited middle message is changed, the ones around it the same', () => {
    const path = '/v1/responses';
    const req = (q: string) => ({
      model: 'gpt-5',
      instructions: 'Be terse.',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: q },
        { role: 'assistant', content: 'done' },
      ],
    });
    const d = diffRequests(
      side({ path, request: req('list the files') }),
      side({ path, request: req('list all the files') }),
    );
    expect(d.messages.map((m) => m.op)).toEqual(['same', 'same', 'changed', 'same']);
    expect(changes(d.messages[2]!.parts[0]!.text)).toEqual([['added', 'all ']]);
    expect(d.system!.firstChange).toBeNull();
  });

  it('Ollama chat and generate, legacy completions: messages and prompts compare', () => {
    const chat = diffRequests(
      side({
        path: '/api/chat',
        request: { model: 'llama3.2', messages: [{ role: 'user', content: 'a' }] },
        response: ndjson([{ message: { role: 'assistant', content: 'x' }, done: true }]),
        streaming: true,
      }),
      side({
        path: '/api/chat',
        request: { model: 'llama3.2', messages: [{ role: 'user', content: 'b' }] },
        response: ndjson([{ message: { role: 'assistant', content: 'y' }, done: true }]),
        streaming: true,
      }),
    );
    expect(chat.messages.map((m) => m.op)).toEqual(['changed']);
    expect(chat.replies.a.parts[0]!.text).toBe('x');
    const gen = diffRequests(
      side({ path: '/api/generate', request: { model: 'llama3.2', prompt: 'Say one' } }),
      side({ path: '/api/generate', request: { model: 'llama3.2', prompt: 'Say two' } }),
    );
    expect(gen.summary.messages.changed).toBe(1);
    const legacy = diffRequests(
      side({ path: '/v1/completions', request: { model: 'gpt-3.5-turbo-instruct', prompt: 'A' } }),
      side({ path: '/v1/completions', request: { model: 'gpt-3.5-turbo-instruct', prompt: 'A' } }),
    );
    expect(legacy.summary.messages).toEqual({ same: 1, added: 0, removed: 0, changed: 0 });
  });

  it('a side that is not a conversation is noted, and the other side still shows', () => {
    const d = diffRequests(
      side({ path: '/v1/embeddings', request: { input: 'x' } }),
      side({ path: '/v1/chat/completions', request: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } }),
    );
    expect(d.notes[0]).toMatch(/not an endpoint this app reads as a conversation/);
    expect(d.messages.map((m) => m.op)).toEqual(['added']);
  });
});
