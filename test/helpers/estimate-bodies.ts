// One request body per API format the estimate reads, each asking the same thing (a system prompt and
// one user message), with the path it is sent to: for the estimate's tests over every format.
import type { ConversationFormat } from '../../electron/core/contract/conversation';

export const SYSTEM = 'You are a careful summarizer.';
export const PROMPT =
  'Summarize the following text in two sentences: the quick brown fox jumps over the lazy dog. '.repeat(8);

export const ESTIMATE_BODIES: Record<ConversationFormat, { path: string; body: Record<string, unknown> }> = {
  'openai-chat': {
    path: '/v1/chat/completions',
    body: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: PROMPT },
      ],
    },
  },
  'openai-completions': {
    path: '/v1/completions',
    body: { model: 'gpt-3.5-turbo-instruct', prompt: `${SYSTEM}\n${PROMPT}` },
  },
  'openai-responses': {
    path: '/v1/responses',
    body: { model: 'gpt-4o-mini', instructions: SYSTEM, input: [{ role: 'user', content: PROMPT }] },
  },
  'anthropic-messages': {
    path: '/v1/messages',
    body: {
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      system: SYSTEM,
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
    },
  },
  gemini: {
    path: '/v1beta/models/gemini-2.0-flash:generateContent',
    body: { systemInstruction: { parts: [{ text: SYSTEM }] }, contents: [{ role: 'user', parts: [{ text: PROMPT }] }] },
  },
  'ollama-chat': {
    path: '/api/chat',
    body: {
      model: 'llama3.2',
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: PROMPT },
      ],
      options: { temperature: 0 },
    },
  },
  'ollama-generate': {
    path: '/api/generate',
    body: { model: 'llama3.2', system: SYSTEM, prompt: PROMPT, options: { temperature: 0 } },
  },
};
