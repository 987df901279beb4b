// @vitest-environment jsdom
// The detail pane's Conversation tab on stored rows read by the real parsers and stream view.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { withConversation } from '../../electron/core/inspect/conversation/detail-view';
import { toDetailView } from '../../electron/core/proxy/usage/stream-view';
import type { RequestDetailView } from '../../electron/core/contract/types';
import type { Client } from '../../renderer/src/api/client';
import { DetailPane } from '../../renderer/src/components/detail-pane';
import { ClientContext } from '../../renderer/src/lib/hooks';
import { makeRecord } from '../helpers/records';
import type { LogRecord } from '../../electron/core/contract/model';

afterEach(cleanup);

function detail(
  over: Partial<LogRecord>,
  request: unknown,
  response: string | null,
  contentType = 'application/json',
): RequestDetailView {
  const { exchange, ...rec } = makeRecord(over);
  return withConversation(
    toDetailView({
      ...rec,
      id: 7,
      threadId: null,
      turn: null,
      exchange: {
        ...exchange,
        requestBody: JSON.stringify(request),
        responseBody: response,
        responseHeaders: { 'content-type': contentType },
        bodiesDropped: false,
      },
    }),
  );
}

/** The pane for a stored row, its detail answered by a stand-in client. */
async function open(d: RequestDetailView) {
  const client = { getRequest: async () => d } as unknown as Client;
  render(
    <ClientContext.Provider value={client}>
      <DetailPane target={{ kind: 'row', id: d.id }} proxyUrl="http://127.0.0.1:8080" onClose={() => undefined} />
    </ClientContext.Provider>,
  );
  await screen.findByTestId('detail');
  return screen.findByTestId('conversation').catch(() => screen.findByTestId('conversation-fallback'));
}

describe('Conversation tab', () => {
  it('comes first and shows messages, params, tools collapsed, and the reply with its finish reason', async () => {
    const request = {
      model: 'gpt-4o',
      temperature: 0.3,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '-3 °C' },
      ],
    };
    const response = JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Cold: -3 °C.' }, finish_reason: 'stop' }],
      model: 'gpt-4o-2024-08-06',
    });
    const view = await open(detail({}, request, response));
    expect(screen.getByRole('tab', { name: 'Conversation' }).getAttribute('aria-selected')).toBe('true');
    expect(within(view).getByTestId('params').textContent).toBe('model gpt-4otemperature 0.3');
    expect(
      within(view)
        .getAllByTestId('message')
        .map((m) => m.getAttribute('data-role')),
    ).toEqual(['system', 'user', 'assistant', 'tool']);
    // Tools collapsed to their names; the schema is inside the closed <details>.
    const tools = view.querySelector('details.tools')!;
    expect(tools.hasAttribute('open')).toBe(false);
    expect(tools.querySelector('summary')!.textContent).toBe('Tools (1): get_weather');
    // The result shows its call's id and names the tool, which OpenAI's tool message doesn't carry.
    const call = within(view).getByTestId('tool-call');
    const result = within(view).getByTestId('tool-result');
    expect(call.getAttribute('data-call-id')).toBe('call_1');
    expect(result.getAttribute('data-call-id')).toBe('call_1');
    expect(result.textContent).toContain('result of get_weather');
    expect(call.querySelector('pre')!.textContent).toBe('{\n  "city": "Oslo"\n}');
    expect(within(view).getByTestId('assistant-message').textContent).toBe('Cold: -3 °C.');
    expect(within(view).getByTestId('finish-reason').textContent).toBe('stop');
  });

  it('says why a stream has no reply', async () => {
    const view = await open(
      detail(
        {
          streaming: true,
          success: false,
          errorMessage: 'upstream connection closed before the response was complete',
        },
        { messages: [{ role: 'user', content: 'hi' }] },
        '',
        'text/event-stream',
      ),
    );
    expect(view.textContent).toContain('upstream connection closed before the response was complete');
  });

  it('falls back to the raw tabs with a one-line reason for an endpoint it does not read', async () => {
    const view = await open(detail({ path: '/v1/embeddings' }, { input: 'x' }, '{}'));
    expect(view.textContent).toBe(
      'POST /v1/embeddings is not an endpoint this app reads as a conversation. The Request and ' +
        'Response tabs show the bodies as they were stored.',
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Request' }));
    expect(screen.getByTestId('detail').textContent).toContain('input');
  });

  it('shows a remote image as a link and a PDF as a named attachment with its size', async () => {
    const pdf = Buffer.alloc(2048, 1).toString('base64');
    const view = await open(
      detail(
        {},
        {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
                { type: 'file', file: { filename: 'q3.pdf', file_data: `data:application/pdf;base64,${pdf}` } },
              ],
            },
          ],
        },
        '{"choices":[]}',
      ),
    );
    const link = within(view).getByRole('link');
    expect(link.getAttribute('href')).toBe('https://example.com/cat.png');
    expect(view.querySelector('img')).toBeNull();
    expect(within(view).getByTestId('media-document').textContent).toContain('q3.pdf application/pdf · 2.0 KiB');
  });
});
