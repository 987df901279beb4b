import { describe, expect, it } from 'vitest';
import { detectFormat, injectStreamUsage, inspectRequest, type ApiFormat } from '../../../../electron/core/proxy/usage';

const b = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('detectFormat', () => {
  it.each([
    ['/v1/chat/completions', 'openai-chat'],
    ['/api/v1/chat/completions?x=1', 'openai-chat'],
    ['/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21', 'openai-chat'],
    ['/v1/completions', 'openai-completions'],
    ['/v1/responses', 'openai-responses'],
    ['/v1/messages', 'anthropic-messages'],
    ['/v1/messages/', 'anthropic-messages'],
    ['/v1/messages/count_tokens', 'unknown'],
    ['/v1/threads/thread_1/messages', 'unknown'],
    ['/v1beta/models/gemini-2.0-flash:generateContent', 'gemini'],
    ['/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', 'gemini'],
    ['/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent', 'gemini'],
    ['/api/chat', 'ollama-chat'],
    ['/api/generate', 'ollama-generate'],
    ['/v1/embeddings', 'unknown'],
  ] as const)('POST %s -> %s', (path, format) => {
    expect(detectFormat('POST', path)).toBe(format);
  });

  it('only POSTs generate: GET of a stored response is unknown', () => {
    expect(detectFormat('GET', '/v1/chat/completions')).toBe('unknown');
    expect(detectFormat('get', '/v1/responses')).toBe('unknown');
    expect(detectFormat('post', '/v1/responses')).toBe('openai-responses');
  });
});

describe('inspectRequest', () => {
  it('reads model, stream flag and prompt text of each format', () => {
    expect(
      inspectRequest(
        'openai-chat',
        '/v1/chat/completions',
        b({
          model: 'gpt-4o',
          stream: true,
          messages: [
            { role: 'system', content: 'Be brief.' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Hi' },
                { type: 'image_url', image_url: { url: 'x' } },
              ],
            },
          ],
        }),
      ),
    ).toEqual({ model: 'gpt-4o', stream: true, promptText: 'Be brief.\nHi' });

    expect(
      inspectRequest(
        'openai-completions',
        '/v1/completions',
        b({ model: 'gpt-3.5-turbo-instruct', prompt: ['a', 'b'] }),
      ),
    ).toEqual({ model: 'gpt-3.5-turbo-instruct', stream: false, promptText: 'a\nb' });

    expect(
      inspectRequest(
        'openai-responses',
        '/v1/responses',
        b({
          model: 'o4-mini',
          instructions: 'Sys',
          stream: true,
          input: [
            { role: 'user', content: [{ type: 'input_text', text: 'Q' }] },
            { type: 'function_call_output', call_id: 'c', output: 'R' },
          ],
        }),
      ),
    ).toEqual({ model: 'o4-mini', stream: true, promptText: 'Sys\nQ\nR' });
    expect(
      inspectRequest('openai-responses', '/v1/responses', b({ model: 'gpt-4.1', input: 'plain' })).promptText,
    ).toBe('plain');

    expect(
      inspectRequest(
        'anthropic-messages',
        '/v1/messages',
        b({
          model: 'claude-sonnet-4-20250514',
          stream: true,
          max_tokens: 10,
          system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
          messages: [
            { role: 'user', content: 'U' },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'T' }] }],
            },
          ],
        }),
      ),
    ).toEqual({ model: 'claude-sonnet-4-20250514', stream: true, promptText: 'S\nU\nT' });

    expect(
      inspectRequest(
        'gemini',
        '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
        b({
          systemInstruction: { parts: [{ text: 'Sys' }] },
          contents: [{ role: 'user', parts: [{ text: 'A' }, { text: 'B' }] }],
        }),
      ),
    ).toEqual({ model: 'gemini-2.0-flash', stream: true, promptText: 'Sys\nA\nB' });
    expect(
      inspectRequest('gemini', '/v1beta/models/gemini-2.0-flash:generateContent', b({ contents: [] })).stream,
    ).toBe(false);

    // Ollama streams unless told otherwise.
    expect(
      inspectRequest(
        'ollama-chat',
        '/api/chat',
        b({ model: 'llama3.2', messages: [{ role: 'user', content: 'hey' }] }),
      ),
    ).toEqual({ model: 'llama3.2', stream: true, promptText: 'hey' });
    expect(
      inspectRequest('ollama-generate', '/api/generate', b({ model: 'qwen', system: 'S', prompt: 'P', stream: false })),
    ).toEqual({ model: 'qwen', stream: false, promptText: 'S\nP' });
  });

  it('reads model and stream alone (as the proxy asks, no prompt) as a whole parse does', () => {
    const cases: [ApiFormat, string, string][] = [
      ['openai-chat', '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] })],
      ['openai-chat', '/v1/chat/completions', ' {\n "stream" : false , "model":"gpt-4o" }\n'],
      // A tool's parameter named model comes first and nests; only the top level counts.
      [
        'openai-chat',
        '/v1/chat/completions',
        JSON.stringify({
          tools: [{ type: 'function', function: { parameters: { properties: { model: 'x', stream: true } } } }],
          model: 'gpt-4.1',
        }),
      ],
      ['openai-chat', '/openai/deployments/my-gpt/chat/completions', JSON.stringify({ messages: [{ model: 'x' }] })],
      // JSON.parse keeps the last of duplicate keys.
      ['openai-chat', '/v1/chat/completions', '{"model":"first","model":"last","stream":true,"stream":false}'],
      ['openai-chat', '/v1/chat/completions', '{"model":"gpt\\u002d4o","messages":[{"content":"a \\" } \\\\"}]}'],
      ['openai-chat', '/v1/chat/completions', JSON.stringify({ model: 42, stream: 'yes' })],
      ['ollama-chat', '/api/chat', JSON.stringify({ model: 'llama3.2', messages: [] })],
      ['ollama-generate', '/api/generate', JSON.stringify({ model: 'qwen', stream: false })],
      ['gemini', '/v1beta/models/gemini-2.0-flash:streamGenerateContent', JSON.stringify({ contents: [] })],
      // No whole object (cut at the capture cap, or an array): both fall back to the same search.
      ['openai-chat', '/v1/chat/completions', '{"model":"gpt-4o","stream":true,"messages":[{"role":"us'],
      ['openai-chat', '/v1/chat/completions', '[{"model":"gpt-4o"}]'],
      ['openai-chat', '/v1/chat/completions', ''],
    ];
    for (const [format, path, body] of cases) {
      const whole = inspectRequest(format, path, body, true);
      expect(inspectRequest(format, path, body, false), body).toEqual({ ...whole, promptText: '' });
    }
    expect(inspectRequest('openai-chat', '/v1/chat/completions', cases[2]![2], false).model).toBe('gpt-4.1');
    expect(inspectRequest('openai-chat', '/v1/chat/completions', cases[4]![2], false)).toMatchObject({
      model: 'last',
      stream: false,
    });
    expect(inspectRequest('openai-chat', '/v1/chat/completions', cases[5]![2], false).model).toBe('gpt-4o');
  });

  it('takes the model from the path when the body has none (Azure deployment)', () => {
    expect(
      inspectRequest('openai-chat', '/openai/deployments/my-gpt/chat/completions', b({ messages: [] })).model,
    ).toBe('my-gpt');
  });

  it('reads the same from text the caller already decoded as from the bytes', () => {
    const body = { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'héllo 👋' }] };
    expect(inspectRequest('openai-chat', '/v1/chat/completions', JSON.stringify(body))).toEqual(
      inspectRequest('openai-chat', '/v1/chat/completions', b(body)),
    );
    expect(inspectRequest('openai-chat', '/v1/chat/completions', JSON.stringify(body))).toEqual({
      model: 'gpt-4o',
      stream: true,
      promptText: 'héllo 👋',
    });
    expect(inspectRequest('anthropic-messages', '/v1/messages', '')).toEqual({
      model: null,
      stream: false,
      promptText: '',
    });
  });

  it('never throws on a truncated, non-JSON or missing body, and salvages what it can', () => {
    const cut = b('{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"very long');
    expect(inspectRequest('openai-chat', '/v1/chat/completions', cut)).toEqual({
      model: 'gpt-4o',
      stream: true,
      promptText: '',
    });
    expect(inspectRequest('ollama-chat', '/api/chat', b('{"model":"x","stream":false,"mess'))).toMatchObject({
      model: 'x',
      stream: false,
    });
    expect(inspectRequest('anthropic-messages', '/v1/messages', null)).toEqual({
      model: null,
      stream: false,
      promptText: '',
    });
    expect(inspectRequest('unknown', '/x', b([1, 2]))).toEqual({ model: null, stream: false, promptText: '' });
    expect(inspectRequest('openai-chat', '/v1/chat/completions', Buffer.from([0xff, 0x00, 0x7b]))).toMatchObject({
      model: null,
    });
    expect(inspectRequest('openai-chat', '/v1/chat/completions', b({ model: 5, messages: 'nope' }))).toEqual({
      model: null,
      stream: false,
      promptText: '',
    });
  });

  it('reads bodies nested thousands of levels deep without recursing through them', () => {
    const depth = 8000;
    const toolResults =
      `{"model":"m","messages":[{"role":"user",` +
      `"content":${'[{"type":"tool_result","content":'.repeat(depth)}"deep"${'}]'.repeat(depth)}}]}`;
    // Prompt text reaches a bounded depth of tool results; the rest of the body is still read.
    expect(inspectRequest('anthropic-messages', '/v1/messages', toolResults)).toMatchObject({
      model: 'm',
      promptText: '',
    });
    const shallow =
      `{"model":"m","messages":[{"role":"user",` +
      `"content":${'[{"type":"tool_result","content":'.repeat(3)}"three"${'}]'.repeat(3)}}]}`;
    expect(inspectRequest('anthropic-messages', '/v1/messages', shallow).promptText).toBe('three');
    const arrays =
      `{"model":"m","stream":true,"messages":[{"role":"user",` +
      `"content":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    expect(inspectRequest('openai-chat', '/v1/chat/completions', arrays)).toEqual({
      model: 'm',
      stream: true,
      promptText: '',
    });
    expect(injectStreamUsage('openai-chat', Buffer.from(arrays))?.toString()).toBe(
      arrays.slice(0, -1) + ',"stream_options":{"include_usage":true}}',
    );
  });
});

describe('injectStreamUsage', () => {
  const inject = (s: string, format: 'openai-chat' | 'openai-completions' = 'openai-chat') =>
    injectStreamUsage(format, Buffer.from(s))?.toString() ?? null;

  it('adds stream_options.include_usage and changes no other byte', () => {
    expect(inject('{"model":"m","stream":true,"seed":12345678901234567890}')).toBe(
      '{"model":"m","stream":true,"seed":12345678901234567890,"stream_options":{"include_usage":true}}',
    );
    expect(inject('{\n  "model": "m",\n  "stream": true\n}\n')).toBe(
      '{\n  "model": "m",\n  "stream": true\n,"stream_options":{"include_usage":true}}\n',
    );
    expect(inject('{"stream":true,"stream_options":{}}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(inject('{"stream":true,"stream_options":{"x":1}}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true,"x":1}}',
    );
    expect(inject('{"stream":true,"stream_options":{"include_usage":false}}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(inject('{"stream":true,"stream_options":null}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(inject('{"prompt":"a","stream":true}', 'openai-completions')).toBe(
      '{"prompt":"a","stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(inject('{"messages":[{"content":"ünïcode \\"}"}],"stream":true}')).toBe(
      '{"messages":[{"content":"ünïcode \\"}"}],"stream":true,"stream_options":{"include_usage":true}}',
    );
  });

  it('returns null when not applicable or already set', () => {
    expect(inject('{"stream":true,"stream_options":{"include_usage":true}}')).toBeNull();
    expect(inject('{"stream":false}')).toBeNull();
    expect(inject('{"model":"m"}')).toBeNull();
    expect(inject('{"stream":true')).toBeNull();
    expect(inject('[1]')).toBeNull();
    expect(injectStreamUsage('anthropic-messages', Buffer.from('{"stream":true}'))).toBeNull();
    expect(injectStreamUsage('openai-responses', Buffer.from('{"stream":true}'))).toBeNull();
    expect(injectStreamUsage('openai-chat', Buffer.from([0x7b, 0xff, 0x7d]))).toBeNull();
  });
});
