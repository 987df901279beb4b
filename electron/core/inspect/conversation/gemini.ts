// Google Gemini generateContent / streamGenerateContent: `contents` of role user/model with
// `parts` (text, inlineData, fileData, functionCall, functionResponse, thought), a separate
// `systemInstruction`, `tools[].functionDeclarations`, `generationConfig`. The REST API takes both
// camelCase and snake_case field names, so both are read. A stream's chunks each hold a piece of
// the one candidate; pieces of text join, calls arrive whole.

import type { ConversationReply, Part, ToolDefinition } from '../../contract/conversation';
import {
  arr,
  fileMedia,
  mediaPart,
  obj,
  other,
  Params,
  pick,
  str,
  text,
  toolArguments,
  type Json,
  type MediaReader,
} from './parts';
import { ReplyBuilder, type FormatParser, type RequestSide } from './reply-builder';

function part(p: Json, media: MediaReader): Part {
  const t = str(p['text']);
  if (t !== null) return p['thought'] === true ? { type: 'reasoning', text: t, redacted: false } : text(t);
  const inline = obj(pick(p, 'inlineData', 'inline_data'));
  if (inline)
    return mediaPart(
      media.base64(
        str(inline['data']) ?? '',
        str(pick(inline, 'mimeType', 'mime_type')),
        str(pick(inline, 'displayName', 'display_name')),
      ),
    );
  const file = obj(pick(p, 'fileData', 'file_data'));
  if (file) {
    const uri = str(pick(file, 'fileUri', 'file_uri')) ?? '';
    const mime = str(pick(file, 'mimeType', 'mime_type'));
    // fileUri is a Files API handle or a gs:// / https:// URL; either way it is a link, never fetched.
    return mediaPart(/^https?:/i.test(uri) ? media.uri(uri, mime) : fileMedia(uri, mime));
  }
  const call = obj(pick(p, 'functionCall', 'function_call'));
  // Calls carry an id only in newer API versions; without one they are matched by name.
  if (call)
    return {
      type: 'tool_call',
      id: str(call['id']) ?? str(call['name']),
      name: str(call['name']) ?? '',
      arguments: toolArguments(call['args']),
    };
  const resp = obj(pick(p, 'functionResponse', 'function_response'));
  if (resp)
    return {
      type: 'tool_result',
      callId: str(resp['id']) ?? str(resp['name']),
      name: str(resp['name']),
      parts: [other('response', resp['response'] ?? null)],
      isError: false,
    };
  return other(Object.keys(p)[0] ?? 'part', p);
}

const partsOf = (content: unknown, media: MediaReader): Part[] =>
  arr(obj(content)?.['parts']).flatMap((p) => (obj(p) ? [part(obj(p)!, media)] : []));

function tools(body: Json): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const t of arr(body['tools'])) {
    const tool = obj(t);
    if (!tool) continue;
    const decls = arr(pick(tool, 'functionDeclarations', 'function_declarations'));
    for (const d of decls) {
      const fn = obj(d);
      if (fn)
        out.push({
          name: str(fn['name']) ?? '',
          description: str(fn['description']),
          schema: pick(fn, 'parameters', 'parametersJsonSchema', 'parameters_json_schema') ?? null,
        });
    }
    // Built-in tools (googleSearch, codeExecution, urlContext…) are named by their key.
    for (const k of Object.keys(tool))
      if (k !== 'functionDeclarations' && k !== 'function_declarations')
        out.push({ name: k, description: null, schema: tool[k] });
  }
  return out;
}

function params(body: Json, modelFromPath: string | null): Params {
  const g = obj(pick(body, 'generationConfig', 'generation_config')) ?? {};
  const thinking = obj(pick(g, 'thinkingConfig', 'thinking_config'));
  return new Params()
    .add('model', modelFromPath)
    .add('temperature', g['temperature'])
    .add('topP', pick(g, 'topP', 'top_p'))
    .add('topK', pick(g, 'topK', 'top_k'))
    .add('maxOutputTokens', pick(g, 'maxOutputTokens', 'max_output_tokens'))
    .add('thinkingBudget', thinking ? pick(thinking, 'thinkingBudget', 'thinking_budget') : null)
    .add('thinkingLevel', thinking ? pick(thinking, 'thinkingLevel', 'thinking_level') : null)
    .add('responseMimeType', pick(g, 'responseMimeType', 'response_mime_type'))
    .add('candidateCount', pick(g, 'candidateCount', 'candidate_count'))
    .add('stopSequences', pick(g, 'stopSequences', 'stop_sequences'));
}

const firstCandidate = (body: Json): Json | null =>
  obj(arr(body['candidates']).find((c) => (obj(c)?.['index'] ?? 0) === 0));

/** A prompt blocked by safety filters has no candidate, only promptFeedback.blockReason. */
const blockReason = (body: Json): string | null => str(obj(body['promptFeedback'])?.['blockReason']);

export function geminiParser(modelFromPath: string | null): FormatParser {
  return {
    request(body, media): RequestSide {
      return {
        system: partsOf(pick(body, 'systemInstruction', 'system_instruction'), media),
        messages: arr(body['contents']).flatMap((c) => {
          const content = obj(c);
          return content ? [{ role: str(content['role']) ?? 'user', name: null, parts: partsOf(content, media) }] : [];
        }),
        tools: tools(body),
        params: params(body, modelFromPath).list,
        notes: [],
      };
    },

    reply(body, media): ConversationReply {
      const cand = firstCandidate(body);
      return {
        parts: partsOf(cand?.['content'], media),
        finishReason: str(cand?.['finishReason']) ?? blockReason(body),
        model: str(body['modelVersion']),
      };
    },

    stream(media) {
      const b = new ReplyBuilder();
      return {
        push(ev) {
          b.model ??= str(ev['modelVersion']);
          const cand = firstCandidate(ev);
          for (const p of partsOf(cand?.['content'], media)) {
            if (p.type === 'text') b.text('text', p.text);
            else if (p.type === 'reasoning') b.text('reasoning', p.text);
            else b.part(p);
          }
          b.finishReason = str(cand?.['finishReason']) ?? blockReason(ev) ?? b.finishReason;
        },
        result: () => b.result(),
      };
    },
  };
}
