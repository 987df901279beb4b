// Gemini generateContent / streamGenerateContent and Ollama /api/chat, /api/generate, in the
// shapes of Google's and Ollama's API references.
import { describe, expect, it } from 'vitest';
import {
  geminiArrayStream,
  geminiBody,
  geminiSseStream,
  ollamaChatStream,
  ollamaGenerateBody,
} from '../../proxy/usage/fixtures';
import { b64, conversation, input, mediaText, ndjson, partsOfType } from './exchange';

describe('Gemini', () => {
  const PATH = '/gemini/v1beta/models/gemini-2.5-flash:generateContent';
  const jpeg = b64(8000);

  it('reads systemInstruction, inline and file data, function calls and responses, tools and config', () => {
    const request = {
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is this, and the weather there?' },
            { inlineData: { mimeType: 'image/jpeg', data: jpeg } },
            {
              fileData: {
                mimeType: 'application/pdf',
                fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
              },
            },
            { inline_data: { mime_type: 'audio/mp3', data: b64(90) } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'It is Rome.', thought: true },
            { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 25 } } }] },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather by city',
              parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } },
            },
          ],
        },
        { googleSearch: {} },
      ],
      generationConfig: { temperature: 0.7, maxOutputTokens: 256, thinkingConfig: { thinkingBudget: 1024 } },
    };
    const x = input({ path: PATH, request, response: geminiBody });
    const c = conversation({ path: PATH, request, response: geminiBody });
    expect(c.format).toBe('gemini');
    expect(c.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    const user = c.messages[0]!.parts;
    expect(user.map((p) => p.type)).toEqual(['text', 'image', 'document', 'audio']);
    expect(mediaText(partsOfType(user, 'image')[0]!.media, x)).toBe(jpeg);
    expect(partsOfType(user, 'document')[0]!.media.source).toEqual({
      kind: 'url',
      url: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
    });
    expect(partsOfType(user, 'audio')[0]!.media).toMatchObject({ mime: 'audio/mp3', bytes: 90 });
    // Without ids (older API versions) a call and its response are matched by the function's name.
    expect(c.messages[1]!.parts[1]).toEqual({
      type: 'tool_call',
      id: 'get_weather',
      name: 'get_weather',
      arguments: { ok: true, value: { city: 'Rome' } },
    });
    expect(c.messages[2]!.parts[0]).toMatchObject({ type: 'tool_result', callId: 'get_weather', name: 'get_weather' });
    expect(c.tools.map((t) => t.name)).toEqual(['get_weather', 'googleSearch']);
    expect(c.params).toEqual([
      { name: 'model', value: 'gemini-2.5-flash' },
      { name: 'temperature', value: '0.7' },
      { name: 'maxOutputTokens', value: '256' },
      { name: 'thinkingBudget', value: '1024' },
    ]);
    expect(c.reply).toEqual({
      parts: [
        { type: 'reasoning', text: 'thinking…', redacted: false },
        { type: 'text', text: '42' },
      ],
      finishReason: 'MAX_TOKENS',
      model: 'gemini-2.0-flash',
    });
  });

  it('reassembles SSE and JSON-array streams alike, and says why a blocked prompt has no answer', () => {
    const STREAM = '/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent';
    for (const [path, body] of [
      [`${STREAM}?alt=sse`, geminiSseStream],
      [STREAM, geminiArrayStream],
    ] as const) {
      const c = conversation({
        path,
        request: { contents: [{ role: 'user', parts: [{ text: 'Sky?' }] }] },
        response: body,
        streaming: true,
      });
      expect(c.reply).toEqual({
        parts: [{ type: 'text', text: 'The sky is blue.' }],
        finishReason: 'STOP',
        model: 'gemini-2.5-flash',
      });
    }
    const blocked = conversation({
      path: PATH,
      request: { contents: [] },
      response: { promptFeedback: { blockReason: 'SAFETY' }, modelVersion: 'gemini-2.5-flash' },
    });
    expect(blocked.reply).toEqual({ parts: [], finishReason: 'SAFETY', model: 'gemini-2.5-flash' });
  });

  it('reads an image the model generated', () => {
    const c = conversation({
      path: PATH,
      request: { contents: [] },
      response: {
        candidates: [
          {
            index: 0,
            content: {
              role: 'model',
              parts: [{ text: 'Here:' }, { inlineData: { mimeType: 'image/png', data: b64(6000) } }],
            },
            finishReason: 'STOP',
          },
        ],
      },
    });
    expect(c.reply!.parts.map((p) => p.type)).toEqual(['text', 'image']);
    expect(partsOfType(c.reply!.parts, 'image')[0]!.media.source).toMatchObject({
      kind: 'base64',
      data: { kind: 'span', side: 'response' },
    });
  });
});

describe('Ollama', () => {
  it('reads /api/chat: images, tool calls matched to results by name, thinking, options', () => {
    const img = b64(3000);
    const c = conversation({
      path: '/api/chat',
      request: {
        model: 'llama3.2-vision',
        think: true,
        options: { temperature: 0.1, num_predict: 128 },
        tools: [
          {
            type: 'function',
            function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object' } },
          },
        ],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is this?', images: [img] },
          {
            role: 'assistant',
            content: '',
            thinking: 'Look at it.',
            tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
          },
          { role: 'tool', tool_name: 'get_weather', content: 'cold' },
        ],
      },
      response: ollamaChatStream,
      streaming: true,
    });
    expect(c.format).toBe('ollama-chat');
    expect(c.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(partsOfType(c.messages[1]!.parts, 'image')[0]!.media).toMatchObject({ mime: null, bytes: 3000 });
    expect(c.messages[2]!.parts).toEqual([
      { type: 'reasoning', text: 'Look at it.', redacted: false },
      { type: 'tool_call', id: 'get_weather', name: 'get_weather', arguments: { ok: true, value: { city: 'Oslo' } } },
    ]);
    expect(c.messages[3]!.parts[0]).toMatchObject({
      type: 'tool_result',
      callId: 'get_weather',
      parts: [{ type: 'text', text: 'cold' }],
    });
    expect(c.params).toEqual([
      { name: 'model', value: 'llama3.2-vision' },
      { name: 'temperature', value: '0.1' },
      { name: 'num_predict', value: '128' },
      { name: 'think', value: 'true' },
      { name: 'stream', value: 'true' },
    ]);
    expect(c.reply).toEqual({ parts: [{ type: 'text', text: 'The end' }], finishReason: 'stop', model: 'llama3.2' });
  });

  it('reassembles streamed thinking and a streamed tool call', () => {
    const piece = (message: object, done = false) => ({
      model: 'qwen3',
      created_at: '2026-01-01T00:00:00Z',
      message: { role: 'assistant', content: '', ...message },
      done,
      ...(done ? { done_reason: 'stop' } : {}),
    });
    const c = conversation({
      path: '/api/chat',
      request: { model: 'qwen3', messages: [{ role: 'user', content: 'Weather?' }] },
      streaming: true,
      response: ndjson([
        piece({ thinking: 'Need ' }),
        piece({ thinking: 'a tool.' }),
        piece({ tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] }),
        piece({}, true),
      ]),
    });
    expect(c.reply!.parts).toEqual([
      { type: 'reasoning', text: 'Need a tool.', redacted: false },
      { type: 'tool_call', id: 'get_weather', name: 'get_weather', arguments: { ok: true, value: { city: 'Oslo' } } },
    ]);
  });

  it('reads /api/generate: system, prompt and images', () => {
    const c = conversation({
      path: '/api/generate',
      request: {
        model: 'qwen2.5:7b',
        system: 'Terse.',
        prompt: 'Colour of the sky?',
        images: [b64(10)],
        stream: false,
      },
      response: ollamaGenerateBody,
    });
    expect(c.system).toEqual([{ type: 'text', text: 'Terse.' }]);
    expect(c.messages[0]!.parts.map((p) => p.type)).toEqual(['text', 'image']);
    expect(c.reply).toEqual({ parts: [{ type: 'text', text: 'Blue.' }], finishReason: 'stop', model: 'qwen2.5:7b' });
  });
});
