// The pure parts of threads: what counts as the same message, and which client ids are read.
import { describe, expect, it } from 'vitest';
import {
  hashConversation,
  readSignals,
  responseIdOf,
  sessionFromUserId,
  threadFacts,
} from '../../../../electron/core/inspect/threads';

describe('message hashes', () => {
  it('a message hashes alike wherever Anthropic’s cache_control marker moves', () => {
    const msg = (marked: boolean) => ({
      role: 'user',
      content: [{ type: 'text', text: 'hello', ...(marked ? { cache_control: { type: 'ephemeral' } } : {}) }],
    });
    const a = hashConversation('anthropic-messages', { system: 'sys', messages: [msg(true)] });
    const b = hashConversation('anthropic-messages', { system: 'sys', messages: [msg(false), msg(true)] });
    expect(a.hashes.map((h) => [h.position, h.role])).toEqual([
      [-1, 'system'],
      [0, 'user'],
    ]);
    expect(b.chain[0]).toBe(a.chain[0]);
    expect(b.contextHash).toBe(a.contextHash);
  });

  it('the system prompt and tools are the context: another one shares no prefix', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const a = hashConversation('anthropic-messages', { system: 'one', messages });
    const b = hashConversation('anthropic-messages', { system: 'two', messages });
    expect(a.hashes[1]!.hash).toBe(b.hashes[1]!.hash);
    expect(a.chain[0]).not.toBe(b.chain[0]);
  });

  it('reads each format’s messages: Responses input as a string or items, Gemini contents', () => {
    expect(hashConversation('openai-responses', { instructions: 'x', input: 'hi' }).hashes.map((h) => h.role)).toEqual([
      'system',
      'user',
    ]);
    const items = [{ type: 'function_call', name: 'f' }, { type: 'function_call_output' }];
    expect(hashConversation('openai-responses', { input: items }).hashes.map((h) => h.role)).toEqual([
      'function_call',
      'function_call_output',
    ]);
    const gemini = { systemInstruction: { parts: [] }, contents: [{ role: 'user', parts: [{ text: 'a' }] }] };
    expect(hashConversation('gemini', gemini).chain).toHaveLength(1);
  });
});

describe('client-native ids', () => {
  it('Claude Code’s metadata.user_id in both of its forms', () => {
    expect(sessionFromUserId('user_9f_account_1a2b_session_0e3c7d1f-aaaa-4bbb-8ccc-123456789abc')).toBe(
      '0e3c7d1f-aaaa-4bbb-8ccc-123456789abc',
    );
    expect(sessionFromUserId(JSON.stringify({ device_id: 'd', session_id: 's-1' }))).toBe('s-1');
    expect(sessionFromUserId('user_9f')).toBeNull();
    expect(sessionFromUserId('{not json')).toBeNull();
  });

  it('our header first, then the client’s, then the body’s', () => {
    const body = { metadata: { user_id: 'u_session_abc' }, prompt_cache_key: 'k' };
    expect(readSignals({ 'x-inspector-thread': 'mine', 'x-claude-code-session-id': 's' }, body).native).toEqual({
      source: 'header:x-inspector-thread',
      value: 'mine',
    });
    expect(readSignals({ 'x-claude-code-session-id': 's' }, body).native!.source).toBe(
      'header:x-claude-code-session-id',
    );
    expect(readSignals({}, body).native).toEqual({ source: 'metadata.user_id', value: 'abc' });
    expect(readSignals({}, { prompt_cache_key: 'k' }).native!.source).toBe('prompt_cache_key');
    expect(readSignals({ session_id: 'codex-1' }, {}).native).toEqual({
      source: 'header:session_id',
      value: 'codex-1',
    });
    expect(readSignals({ 'conversation-id': 'c' }, {}).native!.source).toBe('header:conversation-id');
    expect(readSignals({ 'x-inspector-thread': 'x'.repeat(201) }, {}).native).toBeNull();
    expect(readSignals({}, { previous_response_id: 'resp_1' }).previousResponseId).toBe('resp_1');
  });

  it('a Responses id from a JSON body or the first event of a stream', () => {
    expect(responseIdOf('{"id":"resp_abc","object":"response"}')).toBe('resp_abc');
    expect(responseIdOf('event: response.created\ndata: {"type":"response.created","response":{"id":"resp_9"')).toBe(
      'resp_9',
    );
    expect(responseIdOf('{"id":"chatcmpl-1"}')).toBeNull();
  });
});

describe('facts', () => {
  const input = (over: Partial<Parameters<typeof threadFacts>[0]>) => ({
    method: 'POST',
    path: '/v1/chat/completions',
    requestHeaders: {},
    requestBody: '{"messages":[{"role":"user","content":"hi"}]}',
    requestBodyTruncated: false,
    responseBody: null,
    ...over,
  });
  it('only for a conversation endpoint with a whole JSON object as its body', () => {
    expect(threadFacts(input({}))!.chain).toHaveLength(1);
    expect(threadFacts(input({ method: 'GET' }))).toBeNull();
    expect(threadFacts(input({ path: '/v1/embeddings' }))).toBeNull();
    expect(threadFacts(input({ requestBody: '[1]' }))).toBeNull();
    expect(threadFacts(input({ requestBody: '{"messages":[' }))).toBeNull();
    expect(threadFacts(input({ requestBodyTruncated: true }))).toBeNull();
  });
});
