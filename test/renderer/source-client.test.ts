import { describe, expect, it } from 'vitest';
import { callNames, type EventName } from '../../electron/core/contract/contract';
import { isApiError } from '../../electron/core/contract/errors';
import type { Client } from '../../renderer/src/api/client';
import { scopeClient } from '../../renderer/src/model/source-client';

/** A client that records every call and subscription instead of sending it. */
function recordingClient() {
  const calls: [string, unknown][] = [];
  const subscribed: EventName[] = [];
  const methods = Object.fromEntries(callNames.map((n) => [n, async (input?: unknown) => void calls.push([n, input])]));
  const client = {
    ...methods,
    on: (event: EventName) => {
      subscribed.push(event);
      return () => undefined;
    },
  } as unknown as Client;
  return { client, calls, subscribed };
}

describe('a client scoped to a read-only database', () => {
  it('adds the source to every read call and to exports, and leaves other calls alone', async () => {
    const { client, calls } = recordingClient();
    const viewer = scopeClient(client, 'db3');
    await viewer.listRequests();
    await viewer.listRequests({ limit: 5 });
    await viewer.getRequest({ id: 7 });
    await viewer.getStats({ groupBy: 'model' });
    await viewer.getTokenRatios();
    await viewer.exportDatabase({ format: 'csv', destination: '/tmp/x.csv' });
    await viewer.listThreads({ limit: 10 });
    await viewer.getThread({ threadId: 4 });
    await viewer.getRequestCache({ id: 7 });
    await viewer.getThreadCache({ threadId: 4 });
    await viewer.getStatus();
    await viewer.cancelExport({ jobId: 'j1' });
    expect(calls).toEqual([
      ['listRequests', { source: 'db3' }],
      ['listRequests', { limit: 5, source: 'db3' }],
      ['getRequest', { id: 7, source: 'db3' }],
      ['getStats', { groupBy: 'model', source: 'db3' }],
      ['getTokenRatios', { source: 'db3' }],
      ['exportDatabase', { format: 'csv', destination: '/tmp/x.csv', source: 'db3' }],
      ['listThreads', { limit: 10, source: 'db3' }],
      ['getThread', { threadId: 4, source: 'db3' }],
      ['getRequestCache', { id: 7, source: 'db3' }],
      ['getThreadCache', { threadId: 4, source: 'db3' }],
      ['getStatus', undefined],
      ['cancelExport', { jobId: 'j1' }],
    ]);
  });

  it('refuses the write calls without sending them', async () => {
    const { client, calls } = recordingClient();
    const viewer = scopeClient(client, 'db3');
    for (const write of [
      () => viewer.clearLogs({ confirm: true }),
      () => viewer.rebuildTokenRatios(),
      () => viewer.updateSettings({ port: 1 }),
      // A split or merge names ids of the database shown: sent to the live log, it would edit other threads.
      () => viewer.editThread({ kind: 'split', requestId: 3 }),
    ]) {
      const e = await write().then(
        () => null,
        (err: unknown) => err,
      );
      expect(isApiError(e) && e.code).toBe('forbidden');
    }
    expect(calls).toEqual([]);
  });

  it('never subscribes to the live log’s row events, but passes the others through', () => {
    const { client, subscribed } = recordingClient();
    const viewer = scopeClient(client, 'db3');
    for (const event of [
      'requestsAppended',
      'requestStarted',
      'requestProgress',
      'exportProgress',
      'statusChanged',
      'menuCommand',
    ] as const) {
      viewer.on(event, () => undefined)();
    }
    expect(subscribed).toEqual(['exportProgress', 'statusChanged', 'menuCommand']);
  });
});
