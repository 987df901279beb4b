// The contract implemented over the core. Handlers receive input already parsed by the
// contract's schemas and throw ApiError for domain failures; they know nothing of transports.
// `clientReady` is not here: readiness belongs to a connection, so the dispatcher answers it.
import { isAbsolute } from 'node:path';
import type { Handlers } from '../contract/contract';
import type { ExportResult } from '../contract/types';
import type { ApiCore } from './core-port';
import { maskSettings, unmaskPatch } from './settings-secrets';
import { ApiError } from '../contract/errors';
import { destinationConflict } from '../storage/destination';
import { withConversation } from '../inspect/conversation/detail-view';
import { toDetailView } from '../proxy/usage/stream-view';
import { runDiff } from '../inspect/diff/diff-thread';
import { planResend, previewResend } from './resend-plan';
import { loopbackBase, sendThroughProxy } from './resend';
import { runEstimate } from '../inspect/estimate';
import { requestCache, threadCache } from './cache-calls';

export type CoreHandlers = Omit<Handlers, 'clientReady'>;

/**
 * What only the host can do (a native dialog, a real export engine). All optional. A host with
 * dialogs takes file paths from them alone: a path in the call is refused (forbidden), so a page
 * that was tricked into calling can't name a file to write or read.
 */
export interface HandlerHost {
  /** Asks the user where to save; null when they cancel. Electron only. */
  chooseSavePath?(suggestedName: string): Promise<string | null>;
  /** Asks the user for a log database to open read-only; null when they cancel. Electron only. */
  chooseOpenPath?(): Promise<string | null>;
  /** Runs an export; by default the core's export threads (tests replace it). */
  exportDatabase?(options: ExportOptions): Promise<ExportResult>;
}

export type ExportOptions = Parameters<CoreHandlers['exportDatabase']>[0] & {
  destination: string;
  inUse: readonly string[];
};

type MaybeAsync<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : never;
type Store = ApiCore['store'];

/**
 * The log a read call reads: the live store, or a database opened read-only (`source` from
 * db:open), whose reads all run in its reader thread. `readPath` is the file an export reads.
 */
interface ReadSource {
  readonly readPath: string;
  listPage: Store['listPage'];
  getRequest: MaybeAsync<Store['getRequest']>;
  getStats: Store['getStats'];
  getTokenRatios: MaybeAsync<Store['getTokenRatios']>;
  getThread: MaybeAsync<Store['getThread']>;
  listThreads: Store['listThreads'];
  getTokenDistributions: Store['getTokenDistributions'];
  getDistributionRows: Store['getDistributionRows'];
}

function bind(store: Store): Omit<ReadSource, 'readPath'> {
  return {
    listPage: (query) => store.listPage(query),
    getRequest: (id) => store.getRequest(id),
    getStats: (...args) => store.getStats(...args),
    getTokenRatios: () => store.getTokenRatios(),
    getThread: (threadId) => store.getThread(threadId),
    listThreads: (...args) => store.listThreads(...args),
    getTokenDistributions: () => store.getTokenDistributions(),
    getDistributionRows: () => store.getDistributionRows(),
  };
}

export function createHandlers(core: ApiCore, host: HandlerHost = {}): CoreHandlers {
  const { store } = core;
  const upstreamHasKey = (name: string) => core.getSettings().upstreams.some((u) => u.name === name && !!u.apiKey);
  const baseUrls = () => Object.fromEntries(core.getSettings().upstreams.map((u) => [u.name, u.baseUrl]));
  const from = (source: string | undefined): ReadSource =>
    source === undefined ? { ...bind(store), readPath: store.path } : core.viewers.get(source);
  const runExport =
    host.exportDatabase ??
    ((o: ExportOptions) =>
      core.exports.run({
        jobId: o.jobId,
        source: from(o.source).readPath,
        destination: o.destination,
        format: o.format,
        filter: o.scope === 'filter' ? o.filter : {},
        includeBodies: o.includeBodies,
        includeHeaders: o.includeHeaders,
        inUse: o.inUse,
      }));
  return {
    // The schema has matched the cursor to the order; the store picks the thread that reads it.
    listRequests: async ({ source, ...query }) => from(source).listPage(query),
    getRequest: async ({ id, source }) => {
      const detail = await from(source).getRequest(id);
      if (!detail) throw new ApiError('not_found', `No request with id ${id}.`);
      return withConversation(toDetailView(detail));
    },
    diffRequests: async ({ a, b, source }) => {
      const read = from(source);
      const [da, db] = await Promise.all([read.getRequest(a), read.getRequest(b)]);
      if (!da) throw new ApiError('not_found', `No request with id ${a}.`);
      if (!db) throw new ApiError('not_found', `No request with id ${b}.`);
      const answer = await runDiff({ a: da, b: db, baseUrls: baseUrls() });
      if (!answer.ok) throw new ApiError('unavailable', `Could not compare #${a} with #${b}: ${answer.error}`);
      return answer.diff;
    },
    resendPreview: async ({ id }) => {
      const detail = await store.getRequest(id);
      if (!detail) throw new ApiError('not_found', `No request with id ${id}.`);
      return previewResend(detail, upstreamHasKey(detail.provider));
    },
    resendRequest: async ({ id, body, apiKey }) => {
      const detail = await store.getRequest(id);
      if (!detail) throw new ApiError('not_found', `No request with id ${id}.`);
      const planned = planResend({ detail, upstreamHasKey: upstreamHasKey(detail.provider), body, apiKey });
      if (!planned.ok) throw new ApiError(planned.code, planned.message);
      const base = loopbackBase(core.status().proxy);
      if (base === null) throw new ApiError('unavailable', 'The proxy is not listening, so nothing can be sent.');
      const correlationId = await sendThroughProxy(base, detail.method, id, planned.plan, core.events);
      return { correlationId, replayOf: id, leftOut: planned.plan.leftOut, key: planned.plan.key };
    },
    getThread: async ({ threadId, source }) => {
      const view = await from(source).getThread(threadId);
      if (!view) throw new ApiError('not_found', `No thread with id ${threadId}.`);
      return view;
    },
    listThreads: async ({ filter, cursor, limit, source }) => from(source).listThreads(filter, cursor, limit),
    editThread: async (edit) => {
      try {
        await store.editThread(edit);
      } catch (e) {
        throw new ApiError('invalid_input', e instanceof Error ? e.message : String(e));
      }
      const row = store.getRequest(edit.kind === 'split' ? edit.requestId : edit.intoId);
      const view = row?.threadId == null ? null : store.getThread(row.threadId);
      if (!view) throw new ApiError('not_found', 'The thread is gone.');
      return view;
    },
    // The live log answers "the turn before" with a seek; a viewer's from the thread's turns.
    getRequestCache: async ({ id, source }) =>
      requestCache(
        source === undefined ? { ...from(source), previousTurn: (x) => store.previousTurn(x) } : from(source),
        id,
        baseUrls(),
      ),
    getThreadCache: async ({ threadId, source }) => threadCache(from(source), threadId, baseUrls()),
    getStats: async ({ filter, groupBy, source }) => from(source).getStats(filter, groupBy),
    getTokenRatios: async ({ source }) => from(source).getTokenRatios(),
    rebuildTokenRatios: async () => {
      await store.rebuildTokenRatios();
      return store.getTokenRatios();
    },
    getTokenDistributions: async ({ source }) => from(source).getTokenDistributions(),
    estimate: async ({ source, ...input }) => runEstimate(input, from(source), core.getSettings()),
    getStatus: async () => core.status(),
    // Secrets go out masked and come back masked when unchanged (settings-secrets.ts).
    getSettings: async () => maskSettings(core.getSettings()),
    updateSettings: async (patch) => {
      const unmasked = unmaskPatch(patch, core.getSettings());
      if (!unmasked.ok)
        throw new ApiError('invalid_input', `Invalid settings: ${unmasked.issues[0]!.message}`, unmasked.issues);
      const outcome = await core.updateSettings(unmasked.patch);
      switch (outcome.kind) {
        case 'applied':
          return { settings: maskSettings(outcome.settings), restarted: outcome.restarted };
        case 'invalid':
          throw new ApiError('invalid_input', outcome.message, outcome.issues);
        case 'bind_failed':
          throw new ApiError('bind_failed', outcome.message);
        case 'save_failed':
          throw new ApiError('unavailable', outcome.message);
        default: {
          const never: never = outcome;
          throw new Error(`unexpected outcome ${JSON.stringify(never)}`);
        }
      }
    },
    exportDatabase: async (input) => {
      // An unknown source fails before the user is asked where to save.
      if (input.source !== undefined) core.viewers.get(input.source);
      if (host.chooseSavePath && input.destination !== undefined) {
        throw new ApiError(
          'forbidden',
          'The destination is chosen in the save dialog; a path in the call is not accepted.',
        );
      }
      let destination = input.destination;
      if (destination === undefined) {
        if (!host.chooseSavePath)
          throw new ApiError('invalid_input', 'A destination path is required.', [
            { path: ['destination'], message: 'Required' },
          ]);
        const chosen = await host.chooseSavePath(`requests.${input.format === 'sqlite' ? 'sqlite' : input.format}`);
        if (chosen === null) throw new ApiError('cancelled', 'Export cancelled.');
        destination = chosen;
      }
      if (!isAbsolute(destination)) {
        throw new ApiError('invalid_input', 'The destination must be an absolute path.', [
          { path: ['destination'], message: 'must be an absolute path' },
        ]);
      }
      // The live log and every open viewer: an export renamed over one of them destroys it.
      const inUse = [store.path, ...core.viewers.list().map((v) => v.path)];
      const conflict = destinationConflict(destination, inUse);
      if (conflict !== null)
        throw new ApiError('invalid_input', conflict, [{ path: ['destination'], message: 'is a log database in use' }]);
      return runExport({ ...input, destination, inUse });
    },
    cancelExport: async ({ jobId }) => ({ cancelled: core.exports.cancel(jobId) }),
    openDatabase: async ({ path }) => {
      if (host.chooseOpenPath && path !== undefined)
        throw new ApiError('forbidden', 'The file is chosen in the open dialog; a path in the call is not accepted.');
      let chosen = path;
      if (chosen === undefined) {
        if (!host.chooseOpenPath)
          throw new ApiError('invalid_input', 'A path to the database is required.', [
            { path: ['path'], message: 'Required' },
          ]);
        const picked = await host.chooseOpenPath();
        if (picked === null) throw new ApiError('cancelled', 'Nothing opened.');
        chosen = picked;
      }
      return core.viewers.open(chosen);
    },
    listDatabases: async () => core.viewers.list(),
    closeDatabase: async ({ id }) => {
      await core.viewers.close(id);
      return null;
    },
    clearLogs: async ({ before }) => {
      return { deleted: await store.clearLogs(before ?? null) };
    },
    getSpend: async () => core.spend.summary(),
  };
}
