// OpenAI Responses API: `instructions` plus `input` (a string, or items: messages, function calls,
// their outputs, reasoning); the reply is `output`, the same kinds of items. A stream announces
// items (response.output_item.added/done) and streams their text and arguments as deltas; its
// terminal event (response.completed/incomplete/failed) carries the whole response again.

import type { ConversationMessage, ConversationReply, Part, ToolDefinition } from '../../contract/conversation';
import {
  arr,
  asText,
  fileMedia,
  obj,
  other,
  Params,
  str,
  text,
  toolArguments,
  type Json,
  type MediaReader,
} from './parts';
import { ReplyBuilder, type FormatParser, type RequestSide } from './reply-builder';

function contentParts(content: unknown, media: MediaReader): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [text(content)];
  const parts: Part[] = [];
  for (const item of arr(content)) {
    const p = obj(item);
    if (!p) continue;
    switch (p['type']) {
      case 'input_text':
      case 'output_text':
      case 'text':
        parts.push(text(str(p['text']) ?? ''));
        break;
      case 'input_image': {
        const url = str(p['image_url']);
        const id = str(p['file_id']);
        if (url) parts.push({ type: 'image', media: media.uri(url, null) });
        else if (id) parts.push({ type: 'image', media: fileMedia(id, null) });
        break;
      }
      case 'input_file': {
        const name = str(p['filename']);
        const data = str(p['file_data']);
        const url = str(p['file_url']);
        const id = str(p['file_id']);
        if (data) parts.push({ type: 'document', media: media.uri(data, 'application/pdf', name) });
        else if (url) parts.push({ type: 'document', media: media.uri(url, null, name) });
        else if (id) parts.push({ type: 'document', media: fileMedia(id, null, name) });
        break;
      }
      case 'input_audio': {
        const a = obj(p['input_audio']) ?? p;
        const fmt = str(a['format']);
        parts.push({
          type: 'audio',
          media: media.base64(str(a['data']) ?? '', fmt ? `audio/${fmt}` : null),
          transcript: null,
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

function reasoningText(item: Json): Part {
  const summary = arr(item['summary'])
    .map((s) => str(obj(s)?.['text']) ?? '')
    .filter((t) => t !== '');
  const content = arr(item['content'])
    .map((s) => str(obj(s)?.['text']) ?? '')
    .filter((t) => t !== '');
  const t = [...summary, ...content].join('\n\n');
  // Without a summary only the encrypted reasoning travels: say so rather than show nothing.
  return { type: 'reasoning', text: t, redacted: t === '' };
}

/** One input or output item, as parts. Messages become their own message; the rest attach to the turn. */
function itemParts(item: Json, media: MediaReader): Part[] {
  switch (item['type']) {
    case 'function_call':
    case 'custom_tool_call':
      return [
        {
          type: 'tool_call',
          id: str(item['call_id']),
          name: str(item['name']) ?? '',
          arguments:
            item['type'] === 'function_call' ? toolArguments(item['arguments']) : { ok: true, value: item['input'] },
        },
      ];
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const out = item['output'];
      return [
        {
          type: 'tool_result',
          callId: str(item['call_id']),
          name: null,
          parts: Array.isArray(out) ? contentParts(out, media) : [text(asText(out))],
          isError: false,
        },
      ];
    }
    case 'reasoning':
      return [reasoningText(item)];
    case 'message':
    case undefined:
      return contentParts(item['content'], media);
    default:
      // web_search_call, file_search_call, computer_call, image_generation_call…: shown as they are.
      return [other(String(item['type']), item)];
  }
}

function roleOf(item: Json): string {
  if (item['role'] !== undefined) return str(item['role']) ?? 'user';
  return item['type'] === 'function_call_output' || item['type'] === 'custom_tool_call_output' ? 'tool' : 'assistant';
}

function input(body: Json, media: MediaReader): ConversationMessage[] {
  const inp = body['input'];
  if (typeof inp === 'string') return [{ role: 'user', name: null, parts: [text(inp)] }];
  const out: ConversationMessage[] = [];
  for (const i of arr(inp)) {
    const item = obj(i);
    if (!item) continue;
    const role = roleOf(item);
    const parts = itemParts(item, media);
    const last = out.at(-1);
    // Consecutive non-message items of one turn (reasoning, then a call) read as one message.
    if (last && last.role === role && item['role'] === undefined) last.parts.push(...parts);
    else out.push({ role, name: null, parts });
  }
  return out;
}

function tools(body: Json): ToolDefinition[] {
  return arr(body['tools']).flatMap((t) => {
    const tool = obj(t);
    if (!tool) return [];
    if (tool['type'] === 'function' || tool['type'] === 'custom')
      return [
        {
          name: str(tool['name']) ?? '',
          description: str(tool['description']),
          schema: tool['parameters'] ?? tool['format'] ?? null,
        },
      ];
    // Built-in tools (web_search, file_search, code_interpreter…) are named by their type.
    return [{ name: str(tool['type']) ?? 'tool', description: null, schema: tool }];
  });
}

function params(body: Json): Params {
  const format = obj(obj(body['text'])?.['format']);
  const reasoning = obj(body['reasoning']);
  return new Params()
    .add('model', body['model'])
    .add('temperature', body['temperature'])
    .add('top_p', body['top_p'])
    .add('max_output_tokens', body['max_output_tokens'])
    .add('reasoning_effort', reasoning?.['effort'])
    .add(
      'response_format',
      format ? (str(format['name']) ? `${str(format['type'])} (${str(format['name'])})` : format['type']) : null,
    )
    .add('tool_choice', body['tool_choice'])
    .add('previous_response_id', body['previous_response_id'])
    .add('stream', body['stream']);
}

function finishOf(r: Json): string | null {
  const status = str(r['status']);
  if (status === 'in_progress' || status === 'queued') return null;
  return str(obj(r['incomplete_details'])?.['reason']) ?? status;
}

function replyOf(r: Json, media: MediaReader): ConversationReply {
  const parts = arr(r['output']).flatMap((i) => (obj(i) ? itemParts(obj(i)!, media) : []));
  return { parts, finishReason: finishOf(r), model: str(r['model']) };
}

export const openaiResponses: FormatParser = {
  request(body, media): RequestSide {
    const instructions = body['instructions'];
    const system =
      typeof instructions === 'string' ? (instructions ? [text(instructions)] : []) : contentParts(instructions, media);
    return { system, messages: input(body, media), tools: tools(body), params: params(body).list, notes: [] };
  },

  reply: replyOf,

  stream(media) {
    const b = new ReplyBuilder();
    let final: Json | null = null;
    const key = (ev: Json) => `out${String(ev['output_index'] ?? 0)}`;
    return {
      push(ev) {
        const type = str(ev['type']) ?? '';
        const response = obj(ev['response']);
        if (response) {
          b.model ??= str(response['model']);
          b.finishReason = finishOf(response) ?? b.finishReason;
          // The terminal event restates every output item whole: the reply is that.
          if (arr(response['output']).length > 0) final = response;
          return;
        }
        const item = obj(ev['item']);
        switch (type) {
          case 'response.output_item.added':
          case 'response.output_item.done':
            if (!item) return;
            if (item['type'] === 'function_call') {
              // `.done` restates the arguments whole, replacing the deltas gathered so far.
              b.call(key(ev), {
                id: str(item['call_id']),
                name: str(item['name']),
                ...(type.endsWith('.done') ? { args: str(item['arguments']) ?? undefined } : {}),
              });
            } else if (item['type'] !== 'message' && item['type'] !== 'reasoning') {
              b.part(itemParts(item, media)[0]!, key(ev));
            }
            return;
          case 'response.output_text.delta':
            b.text('text', str(ev['delta']) ?? '', `${key(ev)}.${String(ev['content_index'] ?? 0)}`);
            return;
          case 'response.refusal.delta':
            b.text('refusal', str(ev['delta']) ?? '', `${key(ev)}.refusal`);
            return;
          case 'response.reasoning_summary_text.delta':
          case 'response.reasoning_text.delta':
            b.text('reasoning', str(ev['delta']) ?? '', `${key(ev)}.reasoning`);
            return;
          case 'response.function_call_arguments.delta':
            b.call(key(ev), { argsDelta: str(ev['delta']) ?? '' });
            return;
          default:
            return;
        }
      },
      result() {
        return final ? replyOf(final, media) : b.result();
      },
    };
  },
};
