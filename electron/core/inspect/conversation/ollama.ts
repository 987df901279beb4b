// Ollama's native API. /api/chat: messages with role, content, `images` (bare base64, no MIME
// type), `tool_calls` (arguments as an object, no id: results name the tool in `tool_name`) and
// `thinking`. /api/generate: one `prompt` with `system` and `images`. Streams are NDJSON pieces
// of one message; the last has done: true and done_reason.

import type { ConversationMessage, ConversationReply, Part, ToolDefinition } from '../../contract/conversation';
import { arr, obj, Params, str, text, toolArguments, type Json, type MediaReader } from './parts';
import { ReplyBuilder, type FormatParser, type RequestSide } from './reply-builder';

function images(v: unknown, media: MediaReader): Part[] {
  return arr(v).flatMap((i) =>
    typeof i === 'string' ? [{ type: 'image', media: media.base64(i, null) } satisfies Part] : [],
  );
}

/** Ollama's calls carry no id; a result names its tool, so calls and results are matched by name. */
function calls(v: unknown): Part[] {
  return arr(v).flatMap((c) => {
    const fn = obj(obj(c)?.['function']);
    if (!fn) return [];
    const name = str(fn['name']) ?? '';
    return [
      {
        type: 'tool_call',
        id: str(obj(c)?.['id']) ?? name,
        name,
        arguments: toolArguments(fn['arguments']),
      } satisfies Part,
    ];
  });
}

function message(m: Json, media: MediaReader): ConversationMessage {
  const role = str(m['role']) ?? 'user';
  const content = str(m['content']) ?? '';
  if (role === 'tool') {
    const name = str(m['tool_name']) ?? str(m['name']);
    return {
      role,
      name: null,
      parts: [
        { type: 'tool_result', callId: str(m['tool_call_id']) ?? name, name, parts: [text(content)], isError: false },
      ],
    };
  }
  const parts: Part[] = [];
  const thinking = str(m['thinking']);
  if (thinking) parts.push({ type: 'reasoning', text: thinking, redacted: false });
  if (content) parts.push(text(content));
  parts.push(...images(m['images'], media), ...calls(m['tool_calls']));
  return { role, name: null, parts };
}

function tools(body: Json): ToolDefinition[] {
  return arr(body['tools']).flatMap((t) => {
    const fn = obj(obj(t)?.['function']);
    return fn
      ? [{ name: str(fn['name']) ?? '', description: str(fn['description']), schema: fn['parameters'] ?? null }]
      : [];
  });
}

function params(body: Json): Params {
  const o = obj(body['options']) ?? {};
  return (
    new Params()
      .add('model', body['model'])
      .add('temperature', o['temperature'])
      .add('top_p', o['top_p'])
      .add('num_predict', o['num_predict'])
      .add('num_ctx', o['num_ctx'])
      .add('think', body['think'])
      .add(
        'format',
        body['format'] === undefined ? null : typeof body['format'] === 'string' ? body['format'] : 'json schema',
      )
      .add('seed', o['seed'])
      // Ollama streams unless told not to.
      .add('stream', body['stream'] ?? true)
  );
}

function streamOf(read: (ev: Json, b: ReplyBuilder) => void) {
  return () => {
    const b = new ReplyBuilder();
    return {
      push(ev: Json) {
        b.model ??= str(ev['model']);
        read(ev, b);
        if (ev['done'] === true) b.finishReason = str(ev['done_reason']) ?? 'stop';
      },
      result: () => b.result(),
    };
  };
}

const finish = (body: Json): string | null => (body['done'] === true ? (str(body['done_reason']) ?? 'stop') : null);

export const ollamaChat: FormatParser = {
  request(body, media): RequestSide {
    return {
      system: [],
      messages: arr(body['messages']).flatMap((m) => (obj(m) ? [message(obj(m)!, media)] : [])),
      tools: tools(body),
      params: params(body).list,
      notes: [],
    };
  },
  reply(body, media): ConversationReply {
    const m = obj(body['message']);
    return { parts: m ? message(m, media).parts : [], finishReason: finish(body), model: str(body['model']) };
  },
  stream: streamOf((ev, b) => {
    const m = obj(ev['message']);
    if (!m) return;
    b.text('reasoning', str(m['thinking']) ?? '');
    b.text('text', str(m['content']) ?? '');
    // Each piece's calls are new calls, whole; never fragments of earlier ones.
    for (const c of calls(m['tool_calls'])) b.part(c);
  }),
};

export const ollamaGenerate: FormatParser = {
  request(body, media): RequestSide {
    const system = str(body['system']);
    const parts: Part[] = [text(str(body['prompt']) ?? ''), ...images(body['images'], media)];
    const messages: ConversationMessage[] = [{ role: 'prompt', name: null, parts }];
    const suffix = str(body['suffix']);
    if (suffix) messages.push({ role: 'suffix', name: null, parts: [text(suffix)] });
    return { system: system ? [text(system)] : [], messages, tools: [], params: params(body).list, notes: [] };
  },
  reply(body): ConversationReply {
    const parts: Part[] = [];
    const thinking = str(body['thinking']);
    if (thinking) parts.push({ type: 'reasoning', text: thinking, redacted: false });
    const r = str(body['response']);
    if (r) parts.push(text(r));
    return { parts, finishReason: finish(body), model: str(body['model']) };
  },
  stream: streamOf((ev, b) => {
    b.text('reasoning', str(ev['thinking']) ?? '');
    b.text('text', str(ev['response']) ?? '');
  }),
};
