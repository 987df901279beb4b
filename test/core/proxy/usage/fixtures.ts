// Response bodies in the shapes the providers document (written by hand from their API
// references: OpenAI Chat Completions / Completions / Responses streaming, Anthropic
// Messages streaming, Gemini generateContent, Ollama /api/chat and /api/generate).

const sse = (events: (string | [string, unknown])[]): string =>
  events
    .map((e) => (typeof e === 'string' ? `data: ${e}\n\n` : `event: ${e[0]}\ndata: ${JSON.stringify(e[1])}\n\n`))
    .join('');
const data = (v: unknown): string => JSON.stringify(v);

const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  data({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  });

export const openaiChatUsage = {
  prompt_tokens: 1200,
  completion_tokens: 85,
  total_tokens: 1285,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 64, audio_tokens: 0 },
};

/** A chat stream with include_usage set: every chunk has "usage":null, then the usage chunk. */
export const openaiChatStream = sse([
  chunk({ role: 'assistant', content: '' }, null, { usage: null }),
  chunk({ content: 'Hello' }, null, { usage: null }),
  chunk({ content: ', wörld 👋' }, null, { usage: null }),
  chunk({}, 'stop', { usage: null }),
  data({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [],
    usage: openaiChatUsage,
  }),
  '[DONE]',
]);

/** The same stream as the upstream sends it without include_usage. */
export const openaiChatStreamNoUsage = sse([
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Hello' }),
  chunk({ content: ', wörld 👋' }),
  chunk({}, 'stop'),
  '[DONE]',
]);

export const openaiChatBody = data({
  id: 'chatcmpl-2',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hi there', refusal: null },
      logprobs: null,
      finish_reason: 'length',
    },
  ],
  usage: openaiChatUsage,
});

/** OpenRouter: OpenAI shape plus usage.cost, and ": OPENROUTER PROCESSING" keep-alive comments. */
export const openrouterStream =
  ': OPENROUTER PROCESSING\n\n' +
  sse([
    data({
      id: 'gen-1',
      model: 'anthropic/claude-3.5-sonnet',
      choices: [{ index: 0, delta: { content: 'Yo' }, finish_reason: null }],
    }),
    data({
      id: 'gen-1',
      model: 'anthropic/claude-3.5-sonnet',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, cost: 0.000123 },
    }),
    '[DONE]',
  ]);

export const openaiCompletionsStream = sse([
  data({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: 'Once', index: 0, logprobs: null, finish_reason: null }],
  }),
  data({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: ' upon', index: 0, logprobs: null, finish_reason: 'length' }],
  }),
  data({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'gpt-3.5-turbo-instruct',
    choices: [],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  }),
  '[DONE]',
]);

const responseObj = (status: string, usage: unknown, output: unknown[] = []) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  status,
  model: 'o4-mini-2025-04-16',
  output,
  usage,
  incomplete_details: null,
  error: null,
});
export const responsesUsage = {
  input_tokens: 300,
  input_tokens_details: { cached_tokens: 128 },
  output_tokens: 500,
  output_tokens_details: { reasoning_tokens: 448 },
  total_tokens: 800,
};
const responsesOutput = [
  { type: 'reasoning', id: 'rs_1', summary: [] },
  {
    type: 'message',
    id: 'msg_1',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'Paris.', annotations: [] }],
  },
];

export const responsesStream = sse([
  ['response.created', { type: 'response.created', sequence_number: 0, response: responseObj('in_progress', null) }],
  [
    'response.in_progress',
    { type: 'response.in_progress', sequence_number: 1, response: responseObj('in_progress', null) },
  ],
  [
    'response.output_text.delta',
    {
      type: 'response.output_text.delta',
      sequence_number: 2,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'Par',
    },
  ],
  [
    'response.output_text.delta',
    {
      type: 'response.output_text.delta',
      sequence_number: 3,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'is.',
    },
  ],
  [
    'response.output_text.done',
    {
      type: 'response.output_text.done',
      sequence_number: 4,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      text: 'Paris.',
    },
  ],
  [
    'response.completed',
    {
      type: 'response.completed',
      sequence_number: 5,
      response: responseObj('completed', responsesUsage, responsesOutput),
    },
  ],
]);

export const responsesBody = data(responseObj('completed', responsesUsage, responsesOutput));

export const anthropicStream = sse([
  [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, output_tokens: 1 },
      },
    },
  ],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['ping', { type: 'ping' }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  // Cumulative: 15 then 42 means 42 in total, not 57.
  [
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: 15 } },
  ],
  [
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 42 } },
  ],
  ['message_stop', { type: 'message_stop' }],
]);

export const anthropicBody = data({
  id: 'msg_2',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [
    { type: 'text', text: 'Bonjour' },
    { type: 'tool_use', id: 't', name: 'f', input: {} },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 50, output_tokens: 20 },
});

export const anthropicErrorBody = data({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

const geminiChunk = (text: string, usage: object, finish?: string) => ({
  candidates: [
    { content: { parts: [{ text }], role: 'model' }, index: 0, ...(finish ? { finishReason: finish } : {}) },
  ],
  usageMetadata: usage,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'r1',
});
const geminiChunks = [
  geminiChunk('The sky', { promptTokenCount: 120, totalTokenCount: 120 }),
  geminiChunk(
    ' is blue.',
    {
      promptTokenCount: 120,
      candidatesTokenCount: 6,
      thoughtsTokenCount: 30,
      cachedContentTokenCount: 100,
      totalTokenCount: 156,
    },
    'STOP',
  ),
];
/** streamGenerateContent?alt=sse */
export const geminiSseStream = geminiChunks.map((c) => `data: ${data(c)}\r\n\r\n`).join('');
/** streamGenerateContent without alt=sse: a JSON array streamed in pieces. */
export const geminiArrayStream = '[' + geminiChunks.map((c) => JSON.stringify(c, null, 2)).join('\n,\r\n') + '\n]';
export const geminiBody = data({
  candidates: [
    {
      content: { parts: [{ text: 'thinking…', thought: true }, { text: '42' }], role: 'model' },
      finishReason: 'MAX_TOKENS',
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1, thoughtsTokenCount: 9, totalTokenCount: 20 },
  modelVersion: 'gemini-2.0-flash',
});
export const geminiErrorBody = data({
  error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' },
});

export const ollamaChatStream = [
  {
    model: 'llama3.2',
    created_at: '2026-01-01T00:00:00Z',
    message: { role: 'assistant', content: 'The' },
    done: false,
  },
  {
    model: 'llama3.2',
    created_at: '2026-01-01T00:00:00Z',
    message: { role: 'assistant', content: ' end' },
    done: false,
  },
  {
    model: 'llama3.2',
    created_at: '2026-01-01T00:00:00Z',
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: 1,
    load_duration: 1,
    prompt_eval_count: 26,
    prompt_eval_duration: 1,
    eval_count: 298,
    eval_duration: 1,
  },
]
  .map((l) => data(l) + '\n')
  .join('');

export const ollamaGenerateBody = data({
  model: 'qwen2.5:7b',
  created_at: '2026-01-01T00:00:00Z',
  response: 'Blue.',
  done: true,
  done_reason: 'stop',
  context: [1, 2],
  prompt_eval_count: 8,
  eval_count: 3,
});
