// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetailView } from '../../electron/core/contract/types';
import type { Client } from '../../renderer/src/api/client';
import { DetailPane } from '../../renderer/src/components/detail-pane';
import { ClientContext } from '../../renderer/src/lib/hooks';
import { makeRecord } from '../helpers/records';

afterEach(cleanup);

function detail(stream: RequestDetailView['stream'], overrides: Partial<RequestDetailView> = {}): RequestDetailView {
  const { exchange, ...rec } = makeRecord({ streaming: true, success: false, errorMessage: 'upstream connection closed before the response was complete' });
  return { ...rec, id: 7, exchange: { ...exchange, bodiesDropped: false }, stream, conversation: { ok: false, reason: 'not read' }, ...overrides };
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
}

describe('detail pane of a finished stream without a message', () => {
  it('says the stream ended before any event, not that its format is unknown', async () => {
    await open(detail({ format: 'openai-chat', events: [], text: '' }));
    expect(screen.getByText('The stream ended before any event arrived.')).toBeTruthy();
    expect(screen.queryByText(/unknown stream format/)).toBeNull();
  });

  it('says there was no assistant text when the events carried none', async () => {
    await open(detail({ format: 'openai-chat', events: [{ event: null, data: '{"choices":[{"delta":{"role":"assistant"}}]}' }], text: '' }));
    expect(screen.getByText('No assistant text in this stream.')).toBeTruthy();
  });

  it('blames the format only when the stream could not be read', async () => {
    await open(detail({ format: 'unknown', events: [{ event: null, data: 'opaque' }], text: null }));
    expect(screen.getByText('Not reassembled (unknown stream format).')).toBeTruthy();
  });
});
