// Anthropic Messages: `system` beside `messages` whose content is a string or blocks (text, image,
// document, tool_use, tool_result, thinking…). A stream opens blocks by index
// (content_block_start), fills them with deltas (text, input_json, thinking) and closes the
// message with message_delta's stop_reason.

import type { ConversationReply, Media, Part, ToolDefinition } from '../../contract/conversation';
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

function sourceMedia(source: Json | null, media: MediaReader, name: string | null): Media | null {
  if (!source) return null;
  const mime = str(source['media_type']);
  switch (source['type']) {
    case 'base64':
      return media.base64(str(source['data']) ?? '', mime, name);
    case 'url':
      return media.uri(str(source['url']) ?? '', mime, name);
    case 'file':
      return fileMedia(str(source['file_id']) ?? '', mime, name);
    default:
      return null;
  }
}

function block(b: Json, media: MediaReader): Part {
  switch (b['type']) {
    case 'text':
      return text(str(b['text']) ?? '');
    case 'image': {
      const m = sourceMedia(obj(b['source']), media, null);
      return m ? { type: 'image', media: m } : other('image', b);
    }
    case 'document': {
      const source = obj(b['source']);
      // A plain-text document carries its text, not base64.
      if (source?.['type'] === 'text')
        return {
          type: 'document',
          media: {
            mime: str(source['media_type']) ?? 'text/plain',
            bytes: asText(source['data']).length,
            source: { kind: 'base64', data: { kind: 'inline', base64: '' } },
            name: str(b['title']),
            cut: false,
          },
        };
      const m = sourceMedia(source, media, str(b['title']));
      return m ? { type: 'document', media: m } : other('document', b);
    }
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_call', id: str(b['id']), name: str(b['name']) ?? '', arguments: toolArguments(b['input']) };
    case 'tool_result': {
      const content = b['content'];
      const parts =
        typeof content === 'string'
          ? [text(content)]
          : arr(content).flatMap((c) => (obj(c) ? [block(obj(c)!, media)] : []));
      return { type: 'tool_result', callId: str(b['tool_use_id']), name: null, parts, isError: b['is_error'] === true };
    }
    case 'thinking':
      return { type: 'reasoning', text: str(b['thinking']) ?? '', redacted: false };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: true };
    default:
      // web_search_tool_result, code execution results, container uploads…: shown as they are.
      return other(String(b['type'] ?? 'block'), b);
  }
}

const blocks = (content: unknown, media: MediaReader): Part[] =>
  typeof content === 'string'
    ? content === ''
      ? []
      : [text(content)]
    : arr(content).flatMap((c) => (obj(c) ? [block(obj(c)!, media)] : []));

function tools(body: Json): ToolDefinition[] {
  return arr(body['tools']).flatMap((t) => {
    const tool = obj(t);
    if (!tool) return [];
    // Server tools (web_search_20250305, code_execution…) have a type and a name but no schema.
    return [
      {
        name: str(tool['name']) ?? str(tool['type']) ?? 'tool',
        description: str(tool['description']),
        schema: tool['input_schema'] ?? (tool['type'] ? tool : null),
      },
    ];
  });
}

function params(body: Json): Params {
  const thinking = obj(body['thinking']);
  return new Params()
    .add('model', body['model'])
    .add('max_tokens', body['max_tokens'])
    .add('temperature', body['temperature'])
    .add('top_p', body['top_p'])
    .add('top_k', body['top_k'])
    .add(
      'thinking',
      thinking
        ? thinking['type'] === 'enabled'
          ? `enabled, budget ${String(thinking['budget_tokens'])}`
          : thinking['type']
        : null,
    )
    .add('tool_choice', obj(body['tool_choice'])?.['type'] ?? null)
    .add('stop_sequences', body['stop_sequences'])
    .add('stream', body['stream']);
}

export const anthropic: FormatParser = {
  request(body, media): RequestSide {
    return {
      system: blocks(body['system'], media),
      messages: arr(body['messages']).flatMap((m) => {
        const msg = obj(m);
        return msg ? [{ role: str(msg['role']) ?? 'user', name: null, parts: blocks(msg['content'], media) }] : [];
      }),
      tools: tools(body),
      params: params(body).list,
      notes: [],
    };
  },

  reply(body, media): ConversationReply {
    return { parts: blocks(body['content'], media), finishReason: str(body['stop_reason']), model: str(body['model']) };
  },

  stream(media) {
    const b = new ReplyBuilder();
    const key = (ev: Json) => `block${String(ev['index'] ?? 0)}`;
    return {
      push(ev) {
        switch (ev['type']) {
          case 'message_start': {
            const m = obj(ev['message']);
            b.model ??= str(m?.['model']);
            return;
          }
          case 'content_block_start': {
            const cb = obj(ev['content_block']);
            if (!cb) return;
            const k = key(ev);
            if (cb['type'] === 'text') b.text('text', str(cb['text']) ?? '', k);
            else if (cb['type'] === 'thinking') b.text('reasoning', str(cb['thinking']) ?? '', k, false);
            else if (cb['type'] === 'redacted_thinking') b.text('reasoning', '', k, true);
            else if (cb['type'] === 'tool_use' || cb['type'] === 'server_tool_use') {
              // The input streams as partial JSON; a start with a non-empty input holds it whole.
              const input = obj(cb['input']);
              b.call(k, {
                id: str(cb['id']),
                name: str(cb['name']),
                ...(input && Object.keys(input).length > 0 ? { value: input } : {}),
              });
            } else b.part(block(cb, media), k);
            return;
          }
          case 'content_block_delta': {
            const d = obj(ev['delta']);
            const k = key(ev);
            if (!d) return;
            if (d['type'] === 'text_delta') b.text('text', str(d['text']) ?? '', k);
            else if (d['type'] === 'thinking_delta') b.text('reasoning', str(d['thinking']) ?? '', k);
            else if (d['type'] === 'input_json_delta') b.call(k, { argsDelta: str(d['partial_json']) ?? '' });
            return;
          }
          case 'message_delta': {
            const stop = str(obj(ev['delta'])?.['stop_reason']);
            if (stop) b.finishReason = stop;
            return;
          }
          default:
            return;
        }
      },
      result: () => b.result(),
    };
  },
};
