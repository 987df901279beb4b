// A client that reads a database opened read-only (db:open) instead of the live log: every read
// call carries its `source` id, the write calls are refused before they leave the page, and the
// live log's events (rows committed, requests in flight) never reach it, so a viewer's list can't
// mix in live rows. Screens take it from ClientContext like any client and need not know.
import type { EventName } from '../../../electron/core/contract/contract';
import { ApiError } from '../../../electron/core/contract/errors';
import type { Client } from '../api/client';

const LIVE_EVENTS: ReadonlySet<EventName> = new Set(['requestStarted', 'requestProgress', 'requestsAppended']);

export function scopeClient(client: Client, source: string): Client {
  const readOnly = () =>
    Promise.reject(new ApiError('forbidden', 'This database is open read-only; switch to Live to change anything.'));
  return {
    ...client,
    listRequests: (input = {}) => client.listRequests({ ...input, source }),
    getRequest: (input) => client.getRequest({ ...input, source }),
    diffRequests: (input) => client.diffRequests({ ...input, source }),
    getStats: (input = {}) => client.getStats({ ...input, source }),
    getTokenRatios: (input = {}) => client.getTokenRatios({ ...input, source }),
    getTokenDistributions: (input = {}) => client.getTokenDistributions({ ...input, source }),
    estimate: (input) => client.estimate({ ...input, source }),
    exportDatabase: (input) => client.exportDatabase({ ...input, source }),
    listThreads: (input = {}) => client.listThreads({ ...input, source }),
    getThread: (input) => client.getThread({ ...input, source }),
    getRequestCache: (input) => client.getRequestCache({ ...input, source }),
    getThreadCache: (input) => client.getThreadCache({ ...input, source }),
    editThread: readOnly,
    rebuildTokenRatios: readOnly,
    updateSettings: readOnly,
    clearLogs: readOnly,
    resendRequest: readOnly,
    on: (event, listener) => (LIVE_EVENTS.has(event) ? () => {} : client.on(event, listener)),
  };
}
