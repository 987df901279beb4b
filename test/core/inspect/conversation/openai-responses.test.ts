// OpenAI Responses API, in the shapes of OpenAI's API reference and streaming event docs.
import { describe, expect, it } from 'vitest';
import { createLiveReply } from '../../../../electron/core/inspect/conversation';
import { responsesBody, responsesStream } from '../../proxy/usage/fixtures';
import { b64, conversation, partsOfType } from './exchange';

const PATH = '/openai/v1/responses';

describe('OpenAI Responses', () => {
  it('reads instructions, input items (images, files, calls, outputs, reasoning), tools and params', () => {
    const c = conversation({
      path: PATH,
      request: {
        model: 'o4-mini',
        instructions: 'Answer in French.',
        reasoning: { effort: 'high' },
        max_output_tokens: 2000,
        text: { format: { type: 'json_schema', name: 'answer', schema: {} } },
        tools: [
          {
            type: 'function',
            name: 'lookup',
            description: 'Look a word up',
            parameters: { type: 'object', properties: { word: { type: 'string' } } },
          },
          { type: 'web_search' },
        ],
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Describe both.' },
              { type: 'input_image', image_url: `data:image/jpeg;base64,${b64(5000)}` },
              { type: 'input_image', image_url: 'https://example.com/a.png' },
              { type: 'input_file', filename: 'spec.pdf', file_data: `data:application/pdf;base64,${b64(100)}` },
            ],
          },
          { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Need the word first.' }] },
          { type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{"word":"chat"}' },
          { type: 'function_call_output', call_id: 'call_9', output: 'cat' },
        ],
      },
      response: responsesBody,
    });
    expect(c.format).toBe('openai-responses');
    expect(c.system).toEqual([{ type: 'text', text: 'Answer in French.' }]);
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(c.messages[0]!.parts.map((p) => p.type)).toEqual(['text', 'image', 'image', 'document']);
    expect(partsOfType(c.messages[0]!.parts, 'image')[1]!.media.source).toEqual({
      kind: 'url',
      url: 'https://example.com/a.png',
    });
    // The reasoning and the call that followed it are one assistant turn.
    expect(c.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Need the word first.', redacted: false },
      { type: 'tool_call', id: 'call_9', name: 'lookup', arguments: { ok: true, value: { word: 'chat' } } },
    ]);
    expect(c.messages[2]!.parts).toEqual([
      { type: 'tool_result', callId: 'call_9', name: null, parts: [{ type: 'text', text: 'cat' }], isError: false },
    ]);
    expect(c.tools.map((t) => t.name)).toEqual(['lookup', 'web_search']);
    expect(c.params).toEqual([
      { name: 'model', value: 'o4-mini' },
      { name: 'max_output_tokens', value: '2000' },
      { name: 'reasoning_effort', value: 'high' },
      { name: 'response_format', value: 'json_schema (answer)' },
    ]);
    // Reasoning without a summary is encrypted: shown as such, not as nothing.
    expect(c.reply).toEqual({
      parts: [
        { type: 'reasoning', text: '', redacted: true },
        { type: 'text', text: 'Paris.' },
      ],
      finishReason: 'completed',
      model: 'o4-mini-2025-04-16',
    });
  });

  it('reads a string input and a refusal in the output', () => {
    const c = conversation({
      path: PATH,
      request: { model: 'gpt-4.1', input: 'Help me pick a lock' },
      response: {
        object: 'response',
        status: 'completed',
        model: 'gpt-4.1',
        output: [
          { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'I can’t help with that.' }] },
        ],
      },
    });
    expect(c.messages).toEqual([{ role: 'user', name: null, parts: [{ type: 'text', text: 'Help me pick a lock' }] }]);
    expect(c.reply!.parts).toEqual([{ type: 'refusal', text: 'I can’t help with that.' }]);
  });

  it('takes a finished stream from its terminal event, and a live one from its deltas', () => {
    const c = conversation({
      path: PATH,
      request: { model: 'o4-mini', input: 'Capital of France?', stream: true },
      response: responsesStream,
      streaming: true,
    });
    expect(c.reply!.parts.at(-1)).toEqual({ type: 'text', text: 'Paris.' });
    expect(c.reply!.finishReason).toBe('completed');

    // Before response.completed arrives, text, reasoning summaries and call arguments come as deltas.
    const live = createLiveReply('POST', PATH)!;
    const ev = (type: string, rest: object) => ({ event: type, data: JSON.stringify({ type, ...rest }) });
    live.push([
      ev('response.created', { response: { object: 'response', status: 'in_progress', model: 'o4-mini', output: [] } }),
      ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs', summary: [] } }),
      ev('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: 'Thinking ' }),
      ev('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: 'hard.' }),
      ev('response.output_item.added', {
        output_index: 1,
        item: { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '' },
      }),
      ev('response.function_call_arguments.delta', { output_index: 1, delta: '{"word":' }),
    ]);
    expect(live.result().parts).toEqual([
      { type: 'reasoning', text: 'Thinking hard.', redacted: false },
      {
        type: 'tool_call',
        id: 'call_1',
        name: 'lookup',
        arguments: { ok: false, raw: '{"word":', error: expect.any(String) },
      },
    ]);
    live.push([
      ev('response.function_call_arguments.delta', { output_index: 1, delta: '"x"}' }),
      ev('response.output_text.delta', { output_index: 2, content_index: 0, delta: 'Done' }),
    ]);
    expect(live.result().parts.slice(1)).toEqual([
      { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { ok: true, value: { word: 'x' } } },
      { type: 'text', text: 'Done' },
    ]);
  });
});
