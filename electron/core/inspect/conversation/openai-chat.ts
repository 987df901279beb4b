// OpenAI Chat Completions (and the many compatible servers: OpenRouter, vLLM, DeepSeek, Ollama's
// /v1), and the legacy Completions endpoint, which shares its response envelope.

import type { ConversationMessage, ConversationReply, Part, ToolDefinition } from '../../contract/conversation';
import { arr, asText, obj, other, Params, str, text, toolArguments, type Json, type MediaReader } from './parts';
import { ReplyBuilder, type FormatParser, type RequestSide } from './reply-builder';

function contentParts(content: unknown, media: MediaReader): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [text(content)];
  const parts: Part[] = [];
  for (const item of arr(content)) {
    const p = obj(item);
    if (!p) continue;
    switch (p['type']) {
      case 'text':
        parts.push(text(str(p['text']) ?? ''));
        break;
      case 'image_url': {
        const url = str(obj(p['image_url'])?.['url']) ?? str(p['image_url']);
        if (url) parts.push({ type: 'image', media: media.uri(url, null) });
        break;
      }
      case 'input_audio': {
        const a = obj(p['input_audio']);
        const fmt = str(a?.['format']);
        parts.push({
          type: 'audio',
          media: media.base64(str(a?.['data']) ?? '', fmt ? `audio/${fmt}` : null),
          transcript: null,
        });
        break;
      }
      case 'file': {
        const f = obj(p['file']) ?? {};
        const name = str(f['filename']);
        const data = str(f['file_data']);
        const id = str(f['file_id']);
        if (data) parts.push({ type: 'document', media: media.uri(data, 'application/pdf', name) });
        else if (id)
          parts.push({
            type: 'document',
            media: { mime: null, bytes: null, source: { kind: 'file', id }, name, cut: false },
          });
        break;
      }
      case 'refusal':
        parts.push({ type: 'refusal', text: str(p['refusal']) ?? '' });
        break;
      default:
        parts.push(other(String(p['type'] ?? 'part'), p));
    }
  }
  return parts;
}

/** DeepSeek (`reasoning_content`) and OpenRouter (`reasoning`) put the model's thinking beside the content. */
const reasoningOf = (m: Json): string | null => str(m['reasoning_content']) ?? str(m['reasoning']);

function toolCalls(calls: unknown): Part[] {
  return arr(calls).flatMap((c) => {
    const call = obj(c);
    const fn = obj(call?.['function']);
    if (!call || !fn) return [];
    return [
      {
        type: 'tool_call',
        id: str(call['id']),
        name: str(fn['name']) ?? '',
        arguments: toolArguments(fn['arguments']),
      } satisfies Part,
    ];
  });
}

function message(m: Json, media: MediaReader): ConversationMessage {
  const role = str(m['role']) ?? 'user';
  const parts: Part[] = [];
  const reasoning = reasoningOf(m);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning, redacted: false });
  if (role === 'tool' || role === 'function') {
    // A tool result: matched to its call by tool_call_id (legacy `function` messages by name).
    return {
      role,
      name: null,
      parts: [
        {
          type: 'tool_result',
          callId: str(m['tool_call_id']),
          name: str(m['name']),
          parts: contentParts(m['content'], media),
          isError: false,
        },
      ],
    };
  }
  parts.push(...contentParts(m['content'], media));
  const refusal = str(m['refusal']);
  if (refusal) parts.push({ type: 'refusal', text: refusal });
  const audio = obj(m['audio']);
  if (audio) {
    // Audio output carries base64 (in the format the request's audio.format asked for) and its
    // transcript; an earlier reply sent back in a request carries only its id.
    const data = str(audio['data']);
    parts.push(
      data
        ? { type: 'audio', media: media.base64(data, null), transcript: str(audio['transcript']) }
        : other('audio (an earlier reply, by id)', audio),
    );
  }
  parts.push(...toolCalls(m['tool_calls']));
  const fc = obj(m['function_call']);
  if (fc)
    parts.push({ type: 'tool_call', id: null, name: str(fc['name']) ?? '', arguments: toolArguments(fc['arguments']) });
  return { role, name: str(m['name']), parts };
}

function tools(body: Json): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const t of arr(body['tools'])) {
    const tool = obj(t);
    const fn = obj(tool?.['function']) ?? obj(tool?.['custom']);
    if (fn)
      out.push({
        name: str(fn['name']) ?? '',
        description: str(fn['description']),
        schema: fn['parameters'] ?? fn['format'] ?? null,
      });
    else if (tool) out.push({ name: str(tool['type']) ?? 'tool', description: null, schema: tool });
  }
  // The deprecated `functions` list, still sent by older clients.
  for (const f of arr(body['functions'])) {
    const fn = obj(f);
    if (fn)
      out.push({ name: str(fn['name']) ?? '', description: str(fn['description']), schema: fn['parameters'] ?? null });
  }
  return out;
}

function responseFormat(v: unknown): string | null {
  const rf = obj(v);
  if (!rf) return null;
  const name = str(obj(rf['json_schema'])?.['name']);
  return name ? `${str(rf['type'])} (${name})` : str(rf['type']);
}

function params(body: Json): Params {
  return new Params()
    .add('model', body['model'])
    .add('temperature', body['temperature'])
    .add('top_p', body['top_p'])
    .add('max_tokens', body['max_completion_tokens'] ?? body['max_tokens'])
    .add('reasoning_effort', body['reasoning_effort'])
    .add('response_format', responseFormat(body['response_format']))
    .add('tool_choice', body['tool_choice'])
    .add('n', body['n'])
    .add('stop', body['stop'])
    .add('seed', body['seed'])
    .add('stream', body['stream']);
}

/** Only the first choice: with n > 1 the others are alternatives, not a continuation. */
const firstChoice = (body: Json): Json | null => obj(arr(body['choices']).find((c) => (obj(c)?.['index'] ?? 0) === 0));

export const openaiChat: FormatParser = {
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
    const choice = firstChoice(body);
    const m = obj(choice?.['message']);
    const parts = m ? message(m, media).parts : [];
    return { parts, finishReason: str(choice?.['finish_reason']), model: str(body['model']) };
  },

  stream(media) {
    const b = new ReplyBuilder();
    let audio = '';
    let transcript = '';
    return {
      push(ev) {
        // Azure OpenAI's first chunk (its prompt filter results) names the model as "": the next chunk's counts.
        b.model ||= str(ev['model']) || null;
        const choice = firstChoice(ev);
        if (!choice) return;
        const d = obj(choice['delta']) ?? {};
        const reasoning = reasoningOf(d);
        if (reasoning) b.text('reasoning', reasoning);
        const content = str(d['content']);
        if (content) b.text('text', content);
        const refusal = str(d['refusal']);
        if (refusal) b.text('refusal', refusal);
        for (const c of arr(d['tool_calls'])) {
          const call = obj(c);
          if (!call) continue;
          const fn = obj(call['function']);
          b.call(`tool${String(call['index'] ?? 0)}`, {
            id: str(call['id']),
            name: str(fn?.['name']),
            argsDelta: str(fn?.['arguments']) ?? '',
          });
        }
        const a = obj(d['audio']);
        if (a) {
          audio += str(a['data']) ?? '';
          transcript += str(a['transcript']) ?? '';
        }
        const finish = str(choice['finish_reason']);
        if (finish) b.finishReason = finish;
      },
      result() {
        const r = b.result();
        if (audio || transcript)
          r.parts.push({ type: 'audio', media: media.base64(audio, null), transcript: transcript || null });
        return r;
      },
    };
  },
};

/** Legacy /v1/completions: a prompt in, text out. */
export const openaiCompletions: FormatParser = {
  request(body): RequestSide {
    const prompt = body['prompt'];
    const prompts = Array.isArray(prompt) ? prompt : [prompt];
    const messages = prompts
      .filter((p) => p !== undefined)
      .map((p) => ({ role: 'prompt', name: null, parts: [text(asText(p))] }));
    const suffix = str(body['suffix']);
    if (suffix) messages.push({ role: 'suffix', name: null, parts: [text(suffix)] });
    return { system: [], messages, tools: [], params: params(body).list, notes: [] };
  },

  reply(body) {
    const choice = firstChoice(body);
    const t = str(choice?.['text']);
    return { parts: t ? [text(t)] : [], finishReason: str(choice?.['finish_reason']), model: str(body['model']) };
  },

  stream() {
    const b = new ReplyBuilder();
    return {
      push(ev) {
        b.model ||= str(ev['model']) || null;
        const choice = firstChoice(ev);
        if (!choice) return;
        b.text('text', str(choice['text']) ?? '');
        const finish = str(choice['finish_reason']);
        if (finish) b.finishReason = finish;
      },
      result: () => b.result(),
    };
  },
};
