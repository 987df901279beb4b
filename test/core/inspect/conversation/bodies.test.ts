// Bodies that are not whole: cut at the capture cap, not JSON, from an endpoint the app does not
// read, or answered with an error. Each says why in one line.
import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../../electron/core/inspect/conversation';
import { formatPath, parsePartialJson } from '../../../../electron/core/inspect/conversation/partial-json';
import { b64, conversation, input, partsOfType, sse } from './exchange';

const PATH = '/v1/chat/completions';

describe('partial JSON', () => {
  it('reads what is there and says where the text ended', () => {
    expect(parsePartialJson('{"a":[1,{"b":"hel')).toEqual({
      ok: true,
      value: { a: [1, { b: 'hel' }] },
      cut: ['a', 1, 'b'],
    });
    expect(parsePartialJson('{"a":1,"b":tr')).toEqual({ ok: true, value: { a: 1 }, cut: ['b'] });
    // A number at the end may have lost digits, so it is left out rather than shown wrong.
    expect(parsePartialJson('{"n":12')).toEqual({ ok: true, value: {}, cut: ['n'] });
    expect(parsePartialJson('{"s":"a\\u00')).toEqual({ ok: true, value: { s: 'a' }, cut: ['s'] });
    expect(parsePartialJson('{"s":"x\\"y\\')).toEqual({ ok: true, value: { s: 'x"y' }, cut: ['s'] });
    expect(parsePartialJson('{"k')).toEqual({ ok: true, value: {}, cut: [] });
    expect(parsePartialJson('[{"a":1},{"a":2}]')).toEqual({ ok: true, value: [{ a: 1 }, { a: 2 }], cut: null });
    expect(parsePartialJson('{"a":1}}').ok).toBe(false);
    expect(parsePartialJson('{"a":nope').ok).toBe(false);
    expect(formatPath(['messages', 3, 'content', 1, 'image_url', 'url'])).toBe('messages[3].content[1].image_url.url');
  });
});

describe('bodies that are not whole', () => {
  it('shows a request cut inside an image: the messages before it, the image marked cut, where it was cut', () => {
    const whole = JSON.stringify({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'first' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(30_000)}` } },
          ],
        },
        { role: 'user', content: 'never captured' },
      ],
    });
    const captured = whole.slice(0, whole.indexOf('base64,') + 20_000);
    const c = conversation({ path: PATH, request: captured, requestTruncated: true, response: { choices: [] } });
    expect(c.requestError).toBeNull();
    expect(c.messages).toHaveLength(2);
    const img = partsOfType(c.messages[1]!.parts, 'image')[0]!;
    expect(img.media.cut).toBe(true);
    expect(c.notes).toContain(
      `The request body was cut at the capture cap after ` +
        `${captured.length.toLocaleString('en-US')} characters, inside ` +
        `messages[1].content[1].image_url.url; what follows the cut is not shown.`,
    );
  });

  it('shows a stream cut at the cap as far as it arrived', () => {
    const body =
      sse([
        { choices: [{ index: 0, delta: { content: 'Hel' } }] },
        { choices: [{ index: 0, delta: { content: 'lo' } }] },
      ]) + 'data: {"choices":[{"index":0,"delta":{"content":" wor';
    const c = conversation({
      path: PATH,
      request: { messages: [] },
      response: body,
      streaming: true,
      responseTruncated: true,
    });
    expect(c.reply!.parts).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(c.notes.join(' ')).toContain('The stream was cut at the capture cap');
  });

  it('falls back with a one-line reason for bodies that are not JSON, unknown endpoints and errors', () => {
    const bad = conversation({ path: PATH, request: 'model=gpt-4o&prompt=hi', response: 'plain text' });
    expect(bad.requestError).toMatch(/^The request body is not valid JSON \(.+\)\.$/);
    expect(bad.replyError).toMatch(/^The response body is not valid JSON/);

    const unknown = buildConversation(input({ path: '/v1/embeddings', request: { input: 'x' } }));
    expect(unknown).toEqual({
      ok: false,
      reason: 'POST /v1/embeddings is not an endpoint this app reads as a conversation.',
    });

    const failed = conversation({
      path: PATH,
      request: { messages: [{ role: 'user', content: 'hi' }] },
      response: { error: { message: 'Rate limit reached' } },
      status: 429,
      errorMessage: 'Rate limit reached',
    });
    expect(failed.messages).toHaveLength(1);
    expect(failed.reply).toBeNull();
    expect(failed.replyError).toBe('Rate limit reached');
  });

  it('carries a large image inline when the sender escaped its slashes, so the span would not match', () => {
    const data = Buffer.alloc(6000, 0xfb).toString('base64'); // "+/v7…": slashes throughout
    const escaped = JSON.stringify({
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } }] },
      ],
    }).replace(/\//g, '\\/');
    const img = partsOfType(
      conversation({ path: PATH, request: escaped, response: { choices: [] } }).messages[0]!.parts,
      'image',
    )[0]!;
    expect(img.media.source).toEqual({ kind: 'base64', data: { kind: 'inline', base64: data } });
  });

  it('reads a 5 MB image body without copying the image', () => {
    const data = b64(5 * 1024 * 1024);
    const c = conversation({
      path: PATH,
      request: {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${data}` } }] },
        ],
      },
      response: { choices: [] },
    });
    const img = partsOfType(c.messages[0]!.parts, 'image')[0]!;
    expect(img.media.bytes).toBe(5 * 1024 * 1024);
    expect(img.media.source).toMatchObject({ kind: 'base64', data: { kind: 'span', side: 'request' } });
  });
});
