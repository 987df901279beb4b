// Response bodies of the fake upstream, in each provider's documented shape. Split out of
// fake-upstream.ts so the server logic stays readable.

export type FakeFormat =
  | 'openai-chat'
  | 'openai-completions'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini'
  | 'ollama-chat'
  | 'ollama-generate';

export interface FakeUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  /** OpenRouter-style reported cost. */
  cost?: number;
}

export interface BodySpec {
  format: FakeFormat;
  model: string;
  reply: string;
  usage: FakeUsage | null;
  /** OpenAI streams: the client asked for stream_options.include_usage. */
  includeUsage: boolean;
  /** Gemini streamGenerateContent without ?alt=sse answers a JSON array. */
  geminiArray: boolean;
  /** After the text, the reply calls this tool (not for legacy completions or /api/generate). */
  toolCall?: FakeToolCall;
}

export interface FakeToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Halves of the arguments' JSON, streamed as two fragments the way providers split them. */
function argHalves(t: FakeToolCall): [string, string] {
  const json = JSON.stringify(t.arguments);
  const mid = Math.floor(json.length / 2);
  return [json.slice(0, mid), json.slice(mid)];
}

export interface FakeBody {
  contentType: string;
  /** One entry per write: an SSE event, an NDJSON line, a JSON array piece, or the whole JSON body. */
  pieces: (string | Buffer)[];
}

const CREATED = 1_700_000_000;

export function deltasOf(reply: string): string[] {
  return reply.split(/(?= )/);
}

function sse(data: unknown, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}

function openaiUsage(u: FakeUsage | null): Record<string, unknown> | undefined {
  if (u === null) return undefined;
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    ...(u.cost === undefined ? {} : { cost: u.cost }),
  };
}

function responsesUsage(u: FakeUsage | null): Record<string, unknown> | null {
  if (u === null) return null;
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

/** Anthropic's input_tokens excludes cached tokens; the fake's `input` is the whole prompt. */
function anthropicUsage(u: FakeUsage | null, output: number): Record<string, unknown> | undefined {
  if (u === null) return undefined;
  const cacheRead = u.cacheRead ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  return {
    input_tokens: u.input - cacheRead - cacheWrite,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: output,
  };
}

function responseObject(spec: BodySpec, status: 'in_progress' | 'completed'): Record<string, unknown> {
  return {
    id: 'resp_fake1',
    object: 'response',
    created_at: CREATED,
    status,
    model: spec.model,
    output:
      status === 'completed'
        ? [
            {
              type: 'message',
              id: 'msg_fake1',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: spec.reply, annotations: [] }],
            },
            ...(spec.toolCall
              ? [
                  {
                    type: 'function_call',
                    id: 'fc_fake1',
                    call_id: spec.toolCall.id,
                    name: spec.toolCall.name,
                    arguments: JSON.stringify(spec.toolCall.arguments),
                    status: 'completed',
                  },
                ]
              : []),
          ]
        : [],
    usage: status === 'completed' ? responsesUsage(spec.usage) : null,
  };
}

function geminiUsage(u: FakeUsage | null): Record<string, unknown> | undefined {
  if (u === null) return undefined;
  return {
    promptTokenCount: u.input,
    candidatesTokenCount: u.output - (u.reasoning ?? 0),
    totalTokenCount: u.input + u.output,
    ...(u.reasoning ? { thoughtsTokenCount: u.reasoning } : {}),
    ...(u.cacheRead ? { cachedContentTokenCount: u.cacheRead } : {}),
  };
}

export function jsonBody(spec: BodySpec): FakeBody {
  const { model, reply, usage, toolCall: tc } = spec;
  const json = (value: unknown): FakeBody => ({ contentType: 'application/json', pieces: [JSON.stringify(value)] });
  switch (spec.format) {
    case 'openai-chat':
      return json({
        id: 'chatcmpl-fake1',
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply,
              refusal: null,
              ...(tc
                ? {
                    tool_calls: [
                      {
                        id: tc.id,
                        type: 'function',
                        function: { name: tc.name, arguments: JSON.stringify(tc.arguments) },
                      },
                    ],
                  }
                : {}),
            },
            logprobs: null,
            finish_reason: tc ? 'tool_calls' : 'stop',
          },
        ],
        usage: openaiUsage(usage),
      });
    case 'openai-completions':
      return json({
        id: 'cmpl-fake1',
        object: 'text_completion',
        created: CREATED,
        model,
        choices: [{ text: reply, index: 0, logprobs: null, finish_reason: 'stop' }],
        usage: openaiUsage(usage),
      });
    case 'openai-responses':
      return json(responseObject(spec, 'completed'));
    case 'anthropic-messages':
      return json({
        id: 'msg_fake1',
        type: 'message',
        role: 'assistant',
        model,
        content: [
          { type: 'text', text: reply },
          ...(tc ? [{ type: 'tool_use', id: tc.id, name: tc.name, input: tc.arguments }] : []),
        ],
        stop_reason: tc ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: anthropicUsage(usage, usage?.output ?? 0),
      });
    case 'gemini':
      return json({
        candidates: [
          {
            content: {
              parts: [
                { text: reply },
                ...(tc ? [{ functionCall: { id: tc.id, name: tc.name, args: tc.arguments } }] : []),
              ],
              role: 'model',
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: geminiUsage(usage),
        modelVersion: model,
      });
    case 'ollama-chat':
      return json({
        model,
        created_at: '2026-01-01T00:00:00Z',
        message: {
          role: 'assistant',
          content: reply,
          ...(tc ? { tool_calls: [{ function: { name: tc.name, arguments: tc.arguments } }] } : {}),
        },
        done: true,
        done_reason: 'stop',
        ...(usage === null ? {} : { prompt_eval_count: usage.input, eval_count: usage.output }),
      });
    case 'ollama-generate':
      return json({
        model,
        created_at: '2026-01-01T00:00:00Z',
        response: reply,
        done: true,
        done_reason: 'stop',
        ...(usage === null ? {} : { prompt_eval_count: usage.input, eval_count: usage.output }),
      });
  }
}

export function streamBody(spec: BodySpec): FakeBody {
  const { model, reply, usage, toolCall: tc } = spec;
  const deltas = deltasOf(reply);
  const SSE = 'text/event-stream; charset=utf-8';
  switch (spec.format) {
    case 'openai-chat': {
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id: 'chatcmpl-fake1',
        object: 'chat.completion.chunk',
        created: CREATED,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(spec.includeUsage ? { usage: null } : {}),
      });
      const calls = tc
        ? [
            sse(
              chunk(
                { tool_calls: [{ index: 0, id: tc.id, type: 'function', function: { name: tc.name, arguments: '' } }] },
                null,
              ),
            ),
            ...argHalves(tc).map((a) => sse(chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] }, null))),
          ]
        : [];
      const pieces = [
        sse(chunk({ role: 'assistant', content: '' }, null)),
        ...deltas.map((d) => sse(chunk({ content: d }, null))),
        ...calls,
        sse(chunk({}, tc ? 'tool_calls' : 'stop')),
      ];
      if (spec.includeUsage && usage !== null)
        pieces.push(
          sse({
            id: 'chatcmpl-fake1',
            object: 'chat.completion.chunk',
            created: CREATED,
            model,
            choices: [],
            usage: openaiUsage(usage),
          }),
        );
      pieces.push('data: [DONE]\n\n');
      return { contentType: SSE, pieces };
    }
    case 'openai-completions': {
      const chunk = (text: string, finish: string | null) => ({
        id: 'cmpl-fake1',
        object: 'text_completion',
        created: CREATED,
        model,
        choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
        ...(spec.includeUsage ? { usage: null } : {}),
      });
      const pieces = [...deltas.map((d) => sse(chunk(d, null))), sse(chunk('', 'stop'))];
      if (spec.includeUsage && usage !== null)
        pieces.push(
          sse({
            id: 'cmpl-fake1',
            object: 'text_completion',
            created: CREATED,
            model,
            choices: [],
            usage: openaiUsage(usage),
          }),
        );
      pieces.push('data: [DONE]\n\n');
      return { contentType: SSE, pieces };
    }
    case 'openai-responses': {
      let seq = 0;
      const ev = (type: string, rest: Record<string, unknown>) => sse({ type, sequence_number: seq++, ...rest }, type);
      return {
        contentType: SSE,
        pieces: [
          ev('response.created', { response: responseObject(spec, 'in_progress') }),
          ...deltas.map((delta) =>
            ev('response.output_text.delta', { item_id: 'msg_fake1', output_index: 0, content_index: 0, delta }),
          ),
          ev('response.output_text.done', { item_id: 'msg_fake1', output_index: 0, content_index: 0, text: reply }),
          ...(tc
            ? [
                ev('response.output_item.added', {
                  output_index: 1,
                  item: {
                    type: 'function_call',
                    id: 'fc_fake1',
                    call_id: tc.id,
                    name: tc.name,
                    arguments: '',
                    status: 'in_progress',
                  },
                }),
                ...argHalves(tc).map((delta) =>
                  ev('response.function_call_arguments.delta', { item_id: 'fc_fake1', output_index: 1, delta }),
                ),
                ev('response.output_item.done', {
                  output_index: 1,
                  item: {
                    type: 'function_call',
                    id: 'fc_fake1',
                    call_id: tc.id,
                    name: tc.name,
                    arguments: JSON.stringify(tc.arguments),
                    status: 'completed',
                  },
                }),
              ]
            : []),
          ev('response.completed', { response: responseObject(spec, 'completed') }),
        ],
      };
    }
    case 'anthropic-messages': {
      const start = anthropicUsage(usage, 1);
      return {
        contentType: SSE,
        pieces: [
          sse(
            {
              type: 'message_start',
              message: {
                id: 'msg_fake1',
                type: 'message',
                role: 'assistant',
                model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: start ?? { output_tokens: 1 },
              },
            },
            'message_start',
          ),
          sse(
            { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
            'content_block_start',
          ),
          sse({ type: 'ping' }, 'ping'),
          ...deltas.map((text) =>
            sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
          ),
          sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
          ...(tc
            ? [
                sse(
                  {
                    type: 'content_block_start',
                    index: 1,
                    content_block: { type: 'tool_use', id: tc.id, name: tc.name, input: {} },
                  },
                  'content_block_start',
                ),
                ...argHalves(tc).map((partial_json) =>
                  sse(
                    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } },
                    'content_block_delta',
                  ),
                ),
                sse({ type: 'content_block_stop', index: 1 }, 'content_block_stop'),
              ]
            : []),
          // message_delta usage is cumulative: the final count, not an increment.
          sse(
            {
              type: 'message_delta',
              delta: { stop_reason: tc ? 'tool_use' : 'end_turn', stop_sequence: null },
              usage: { output_tokens: usage?.output ?? deltas.length },
            },
            'message_delta',
          ),
          sse({ type: 'message_stop' }, 'message_stop'),
        ],
      };
    }
    case 'gemini': {
      const items = deltas.map((text, i) => ({
        candidates: [
          {
            content: {
              parts: [
                { text },
                ...(tc && i === deltas.length - 1
                  ? [{ functionCall: { id: tc.id, name: tc.name, args: tc.arguments } }]
                  : []),
              ],
              role: 'model',
            },
            ...(i === deltas.length - 1 ? { finishReason: 'STOP' } : {}),
            index: 0,
          },
        ],
        ...(i === deltas.length - 1 ? { usageMetadata: geminiUsage(usage) } : {}),
        modelVersion: model,
      }));
      if (spec.geminiArray)
        return {
          contentType: 'application/json; charset=UTF-8',
          pieces: items.map(
            (item, i) => `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(item)}${i === items.length - 1 ? ']' : ''}`,
          ),
        };
      return { contentType: SSE, pieces: items.map((item) => `data: ${JSON.stringify(item)}\r\n\r\n`) };
    }
    case 'ollama-chat':
    case 'ollama-generate': {
      const line = (content: string, done: boolean) =>
        `${JSON.stringify({
          model,
          created_at: '2026-01-01T00:00:00Z',
          ...(spec.format === 'ollama-chat' ? { message: { role: 'assistant', content } } : { response: content }),
          done,
          ...(done
            ? {
                done_reason: 'stop',
                ...(usage === null ? {} : { prompt_eval_count: usage.input, eval_count: usage.output }),
              }
            : {}),
        })}\n`;
      const call =
        tc && spec.format === 'ollama-chat'
          ? [
              JSON.stringify({
                model,
                created_at: '2026-01-01T00:00:00Z',
                message: {
                  role: 'assistant',
                  content: '',
                  tool_calls: [{ function: { name: tc.name, arguments: tc.arguments } }],
                },
                done: false,
              }) + '\n',
            ]
          : [];
      return {
        contentType: 'application/x-ndjson',
        pieces: [...deltas.map((d) => line(d, false)), ...call, line('', true)],
      };
    }
  }
}

export function errorBody(format: FakeFormat, status: number, message: string): FakeBody {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  if (format === 'anthropic-messages')
    return { contentType: 'application/json', pieces: [JSON.stringify({ type: 'error', error: { type, message } })] };
  if (format === 'gemini')
    return {
      contentType: 'application/json',
      pieces: [JSON.stringify({ error: { code: status, message, status: 'INVALID_ARGUMENT' } })],
    };
  if (format === 'ollama-chat' || format === 'ollama-generate')
    return { contentType: 'application/json', pieces: [JSON.stringify({ error: message })] };
  return {
    contentType: 'application/json',
    pieces: [JSON.stringify({ error: { message, type, param: null, code: null } })],
  };
}
