// Anthropic Messages, in the shapes of Anthropic's API reference (vision, PDF support, tool use,
// extended thinking, streaming).
import { describe, expect, it } from 'vitest';
import { anthropicBody, anthropicStream } from '../../proxy/usage/fixtures';
import { b64, conversation, input, mediaText, partsOfType, sse } from './exchange';

const PATH = '/anthropic/v1/messages';
const png = b64(20_000);

const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  thinking: { type: 'enabled', budget_tokens: 2000 },
  system: [{ type: 'text', text: 'You are a careful analyst.', cache_control: { type: 'ephemeral' } }],
  tools: [
    {
      name: 'get_stock_price',
      description: 'Latest price for a ticker',
      input_schema: { type: 'object', properties: { ticker: { type: 'string' } } },
    },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
        { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/cat.jpg' } },
        {
          type: 'document',
          title: 'Q3 report',
          source: { type: 'base64', media_type: 'application/pdf', data: b64(7000) },
        },
        { type: 'text', text: 'Summarise, then price ACME.' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call the tool.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_stock_price', input: { ticker: 'ACME' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: '42.10' }], is_error: false },
      ],
    },
  ],
};

describe('Anthropic messages', () => {
  it('reads system, images, documents, thinking, tool use and results, tools and params', () => {
    const x = input({ path: PATH, request, response: anthropicBody });
    const c = conversation({ path: PATH, request, response: anthropicBody });
    expect(c.format).toBe('anthropic-messages');
    expect(c.system).toEqual([{ type: 'text', text: 'You are a careful analyst.' }]);
    const user = c.messages[0]!.parts;
    expect(user.map((p) => p.type)).toEqual(['image', 'image', 'document', 'text']);
    expect(mediaText(partsOfType(user, 'image')[0]!.media, x)).toBe(png);
    expect(partsOfType(user, 'image')[1]!.media.source).toEqual({
      kind: 'url',
      url: 'https://upload.wikimedia.org/cat.jpg',
    });
    expect(partsOfType(user, 'document')[0]!.media).toMatchObject({
      mime: 'application/pdf',
      name: 'Q3 report',
      bytes: 7000,
    });
    expect(c.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'I should call the tool.', redacted: false },
      { type: 'reasoning', text: '', redacted: true },
      {
        type: 'tool_call',
        id: 'toolu_01',
        name: 'get_stock_price',
        arguments: { ok: true, value: { ticker: 'ACME' } },
      },
    ]);
    expect(c.messages[2]!.parts).toEqual([
      { type: 'tool_result', callId: 'toolu_01', name: null, parts: [{ type: 'text', text: '42.10' }], isError: false },
    ]);
    expect(c.tools).toEqual([
      { name: 'get_stock_price', description: 'Latest price for a ticker', schema: request.tools[0]!.input_schema },
    ]);
    expect(c.params).toEqual([
      { name: 'model', value: 'claude-sonnet-4-5' },
      { name: 'max_tokens', value: '1024' },
      { name: 'thinking', value: 'enabled, budget 2000' },
    ]);
    expect(c.reply).toEqual({
      parts: [
        { type: 'text', text: 'Bonjour' },
        { type: 'tool_call', id: 't', name: 'f', arguments: { ok: true, value: {} } },
      ],
      finishReason: 'tool_use',
      model: 'claude-3-5-haiku-20241022',
    });
  });

  it('reassembles a stream: thinking, text, and tool input streamed as partial JSON', () => {
    const c = conversation({
      path: PATH,
      request: {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Price of ACME?' }],
      },
      streaming: true,
      response: sse([
        {
          type: 'message_start',
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-5-20250929',
            content: [],
            stop_reason: null,
            usage: { input_tokens: 10, output_tokens: 1 },
          },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Use the ' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'tool.' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'abc' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking.' } },
        { type: 'content_block_stop', index: 1 },
        {
          type: 'content_block_start',
          index: 2,
          content_block: { type: 'tool_use', id: 'toolu_9', name: 'get_stock_price', input: {} },
        },
        { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"tick' } },
        { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'er": "ACME"}' } },
        { type: 'content_block_stop', index: 2 },
        {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { output_tokens: 40 },
        },
        { type: 'message_stop' },
      ]),
    });
    expect(c.reply).toEqual({
      parts: [
        { type: 'reasoning', text: 'Use the tool.', redacted: false },
        { type: 'text', text: 'Checking.' },
        {
          type: 'tool_call',
          id: 'toolu_9',
          name: 'get_stock_price',
          arguments: { ok: true, value: { ticker: 'ACME' } },
        },
      ],
      finishReason: 'tool_use',
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(
      conversation({ path: PATH, request: { messages: [] }, response: anthropicStream, streaming: true }).reply!.parts,
    ).toEqual([{ type: 'text', text: 'Hello!' }]);
  });

  it('marks a tool result that reports an error', () => {
    const c = conversation({
      path: PATH,
      request: {
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'ticker not found', is_error: true }],
          },
        ],
      },
      response: anthropicBody,
    });
    expect(c.messages[0]!.parts[0]).toMatchObject({
      type: 'tool_result',
      callId: 'toolu_2',
      isError: true,
      parts: [{ type: 'text', text: 'ticker not found' }],
    });
  });
});
