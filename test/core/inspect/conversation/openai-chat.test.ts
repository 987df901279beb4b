// OpenAI Chat Completions and legacy Completions, in the shapes OpenAI's API reference documents.
import { describe, expect, it } from 'vitest';
import { openaiChatStream, openaiCompletionsStream } from '../../proxy/usage/fixtures';
import { b64, conversation, input, mediaText, partsOfType, sse } from './exchange';

const PATH = '/openai/v1/chat/completions';
const image = b64(60_000);

const request = {
  model: 'gpt-4o',
  temperature: 0.2,
  max_completion_tokens: 400,
  reasoning_effort: 'low',
  response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object' } } },
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ],
  messages: [
    { role: 'system', content: 'You are terse.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${image}`, detail: 'high' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'input_audio', input_audio: { data: b64(300), format: 'wav' } },
        { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${b64(9000)}` } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_abc', content: '{"temp_c":18}' },
  ],
};

describe('OpenAI chat completions', () => {
  it('reads messages, multimodal parts, tool calls and results, tools and the params line', () => {
    const x = input({
      path: PATH,
      request,
      response: {
        id: 'c1',
        object: 'chat.completion',
        model: 'gpt-4o-2024-08-06',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'A cat. 18 °C in Paris.', refusal: null },
            finish_reason: 'stop',
          },
        ],
      },
    });
    const c = conversation({ path: PATH, request, response: JSON.parse(x.responseBody!) });
    expect(c.format).toBe('openai-chat');
    expect(c.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const user = c.messages[1]!.parts;
    expect(user.map((p) => p.type)).toEqual(['text', 'image', 'image', 'audio', 'document']);
    const [img, remote] = partsOfType(user, 'image');
    // A large image is referenced by its place in the body, never copied or decoded.
    expect(img!.media.source).toMatchObject({ kind: 'base64', data: { kind: 'span', side: 'request' } });
    expect(mediaText(img!.media, x)).toBe(image);
    expect(img!.media).toMatchObject({ mime: 'image/png', bytes: 60_000, cut: false });
    expect(remote!.media.source).toEqual({ kind: 'url', url: 'https://example.com/cat.jpg' });
    expect(partsOfType(user, 'audio')[0]!.media).toMatchObject({ mime: 'audio/wav', bytes: 300 });
    expect(partsOfType(user, 'document')[0]!.media).toMatchObject({
      mime: 'application/pdf',
      name: 'report.pdf',
      bytes: 9000,
    });
    expect(c.messages[2]!.parts).toEqual([
      { type: 'tool_call', id: 'call_abc', name: 'get_weather', arguments: { ok: true, value: { city: 'Paris' } } },
    ]);
    expect(c.messages[3]!.parts[0]).toMatchObject({
      type: 'tool_result',
      callId: 'call_abc',
      parts: [{ type: 'text', text: '{"temp_c":18}' }],
    });
    expect(c.tools).toEqual([
      { name: 'get_weather', description: 'Current weather for a city', schema: request.tools[0]!.function.parameters },
    ]);
    expect(c.params).toEqual([
      { name: 'model', value: 'gpt-4o' },
      { name: 'temperature', value: '0.2' },
      { name: 'max_tokens', value: '400' },
      { name: 'reasoning_effort', value: 'low' },
      { name: 'response_format', value: 'json_schema (weather)' },
    ]);
    expect(c.reply).toEqual({
      parts: [{ type: 'text', text: 'A cat. 18 °C in Paris.' }],
      finishReason: 'stop',
      model: 'gpt-4o-2024-08-06',
    });
    expect(c.requestError).toBeNull();
    expect(c.replyError).toBeNull();
  });

  it('shows a refusal, reasoning (DeepSeek) and tool call arguments that are not JSON', () => {
    const c = conversation({
      path: PATH,
      request: { model: 'deepseek-reasoner', messages: [{ role: 'user', content: 'hi' }] },
      response: {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              reasoning_content: 'The user greets me.',
              refusal: 'I can’t help with that.',
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
    });
    const parts = c.reply!.parts;
    expect(parts.map((p) => p.type)).toEqual(['reasoning', 'refusal', 'tool_call']);
    expect(parts[2]).toMatchObject({ type: 'tool_call', arguments: { ok: false, raw: '{"a":' } });
    expect(c.reply!.finishReason).toBe('tool_calls');
  });

  it('reassembles a stream: text deltas, and tool calls whose arguments arrive in fragments', () => {
    const chunk = (delta: object, finish: string | null = null) => ({
      id: 'c',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const body =
      sse([
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
        chunk({
          tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }],
        }),
        chunk({}, 'tool_calls'),
      ]) + 'data: [DONE]\n\n';
    const c = conversation({
      path: PATH,
      request: { model: 'gpt-4o-mini', stream: true, messages: [] },
      response: body,
      streaming: true,
    });
    expect(c.reply).toEqual({
      parts: [
        { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { ok: true, value: { city: 'Oslo' } } },
        { type: 'tool_call', id: 'call_2', name: 'get_time', arguments: { ok: true, value: {} } },
      ],
      finishReason: 'tool_calls',
      model: 'gpt-4o-mini',
    });
    const text = conversation({
      path: PATH,
      request: { messages: [] },
      response: openaiChatStream,
      streaming: true,
    }).reply!;
    expect(text.parts).toEqual([{ type: 'text', text: 'Hello, wörld 👋' }]);
    expect(text.finishReason).toBe('stop');
  });

  it('names the reply\'s model from the first chunk that has one: Azure\'s first chunk says ""', () => {
    const azureFirst = { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [] };
    const chunk = (delta: object, finish: string | null = null) => ({
      id: 'c',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-2024-11-20',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const c = conversation({
      path: PATH,
      request: { model: 'my-deployment', stream: true, messages: [] },
      response: sse([azureFirst, chunk({ role: 'assistant', content: 'Hi' }), chunk({}, 'stop')]) + 'data: [DONE]\n\n',
      streaming: true,
    });
    expect(c.reply).toMatchObject({ parts: [{ type: 'text', text: 'Hi' }], model: 'gpt-4o-2024-11-20' });
  });

  it('reads audio output with its transcript', () => {
    const c = conversation({
      path: PATH,
      request: {
        model: 'gpt-4o-audio-preview',
        modalities: ['text', 'audio'],
        audio: { voice: 'alloy', format: 'wav' },
        messages: [{ role: 'user', content: 'Say hi' }],
      },
      response: {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              audio: { id: 'audio_1', data: b64(120), transcript: 'Hi!', expires_at: 1 },
            },
            finish_reason: 'stop',
          },
        ],
      },
    });
    expect(c.reply!.parts).toMatchObject([{ type: 'audio', transcript: 'Hi!', media: { bytes: 120 } }]);
  });
});

describe('legacy completions', () => {
  it('shows the prompt and the streamed text', () => {
    const c = conversation({
      path: '/v1/completions',
      request: { model: 'gpt-3.5-turbo-instruct', prompt: 'Once', max_tokens: 2 },
      response: openaiCompletionsStream,
      streaming: true,
    });
    expect(c.format).toBe('openai-completions');
    expect(c.messages).toEqual([{ role: 'prompt', name: null, parts: [{ type: 'text', text: 'Once' }] }]);
    expect(c.params).toContainEqual({ name: 'max_tokens', value: '2' });
    expect(c.reply).toEqual({
      parts: [{ type: 'text', text: 'Once upon' }],
      finishReason: 'length',
      model: 'gpt-3.5-turbo-instruct',
    });
  });
});
