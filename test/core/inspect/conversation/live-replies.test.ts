// A live stream's reply, as the page gets it with progress events, equals the reply read from the
// stored stream once the row is logged: the view does not change at the commit.
import { expect, it } from 'vitest';
import { createLiveReplies } from '../../../../electron/core/inspect/conversation/live-replies';
import { parseSseEvents } from '../../../../electron/core/proxy/usage';
import { anthropicStream, responsesStream } from '../../proxy/usage/fixtures';
import { conversation } from './exchange';

/** The proxy's started event for a streamed POST to `path`. */
const started = (id: string, path: string) => ({
  id,
  timestamp: '2026-01-01T00:00:00.000Z',
  method: 'POST',
  path,
  provider: 'p',
  model: '',
  policy: null,
  streaming: true,
});

it('grows a reply event by event, ending where the stored stream reads', () => {
  for (const [path, body] of [
    ['/anthropic/v1/messages', anthropicStream],
    ['/openai/v1/responses', responsesStream],
  ] as const) {
    const replies = createLiveReplies();
    replies.started(started('c1', path));
    const events = parseSseEvents(body);
    let last = null;
    // Two progress events, split mid-stream, as the proxy's throttle would.
    const half = Math.floor(events.length / 2);
    for (const newEvents of [events.slice(0, half), events.slice(half)]) {
      last = replies.progress({ id: 'c1', events: 0, outputTokens: null, textDelta: '', newEvents }).reply;
    }
    expect(last).toEqual(conversation({ path, request: { messages: [] }, response: body, streaming: true }).reply);
    replies.finished('c1');
    expect(
      replies.progress({ id: 'c1', events: 0, outputTokens: null, textDelta: '', newEvents: [] }).reply,
    ).toBeUndefined();
  }
});

it('leaves events of formats it does not read untouched', () => {
  const replies = createLiveReplies();
  replies.started({
    id: 'e',
    timestamp: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/v1/embeddings',
    provider: 'p',
    model: '',
    policy: null,
    streaming: false,
  });
  const e = { id: 'e', events: 1, outputTokens: null, textDelta: '', newEvents: [{ event: null, data: '{}' }] };
  expect(replies.progress(e)).toBe(e);
});

it("keeps each request's reply apart, whichever finishes first", () => {
  const replies = createLiveReplies();
  const path = '/anthropic/v1/messages';
  const ids = ['a', 'b', 'c', 'd'];
  for (const id of ids) {
    replies.started(started(id, path));
  }
  const events = parseSseEvents(anthropicStream);
  const half = Math.floor(events.length / 2);
  const progress = (id: string, newEvents: typeof events) =>
    replies.progress({ id, events: 0, outputTokens: null, textDelta: '', newEvents }).reply;
  for (const id of ids) progress(id, events.slice(0, half));
  // The first and the third leave (the middle of the list, then what was moved into it).
  replies.finished('a');
  replies.finished('c');
  expect(progress('a', [])).toBeUndefined();
  expect(progress('c', [])).toBeUndefined();
  const whole = conversation({ path, request: { messages: [] }, response: anthropicStream, streaming: true }).reply;
  expect(progress('d', events.slice(half))).toEqual(whole);
  expect(progress('b', events.slice(half))).toEqual(whole);
  replies.finished('b');
  replies.finished('d');
  expect(progress('b', [])).toBeUndefined();
});
