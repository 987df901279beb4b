// The contract implemented over the core. Handlers receive input already parsed by the
// contract's schemas and throw ApiError for domain failures; they know nothing of transports.
// `clientReady` is not here: readiness belongs to a connection, so the dispatcher answers it.
import { isAbsolute } from 'node:path';
import type { Handlers } from './contract';
import type { AppStatus, ExportResult } from './contract-types';
import type { ApiCore } from './core-port';
import { exportForApi } from '../export/api-export';
import { ApiError } from './errors';
import { toDetailView } from './stream-view';

export type CoreHandlers = Omit<Handlers, 'clientReady'>;

/** What only the host can do (a native dialog, a real export engine). All optional. */
export interface HandlerHost {
  /** Asks the user where to save; null when they cancel. Electron only. */
  chooseSavePath?(suggestedName: string): Promise<string | null>;
  /** Runs an export; by default the export engine over the store's file (Electron passes its nativeBinding). */
  exportDatabase?(options: ExportOptions): Promise<ExportResult>;
}

export type ExportOptions = Parameters<CoreHandlers['exportDatabase']>[0] & { destination: string };

export function buildStatus(core: ApiCore): AppStatus {
  return {
    proxy: core.proxyStatus(),
    upstreams: core.upstreams(),
    writer: core.store.writerStatus(),
    database: { path: core.store.path, sizeBytes: core.store.databaseSize() },
  };
}

export function createHandlers(core: ApiCore, host: HandlerHost = {}): CoreHandlers {
  const { store } = core;
  const runExport = host.exportDatabase ?? exportForApi(store.path);
  return {
    listRequests: async ({ filter, cursor, limit }) => store.listRequests(filter, cursor, limit),
    getRequest: async ({ id }) => {
      const detail = store.getRequest(id);
      if (!detail) throw new ApiError('not_found', `No request with id ${id}.`);
      return toDetailView(detail);
    },
    getStats: async ({ filter, groupBy }) => store.getStats(filter, groupBy),
    getTokenRatios: async () => store.getTokenRatios(),
    rebuildTokenRatios: async () => {
      await store.rebuildTokenRatios();
      return store.getTokenRatios();
    },
    getStatus: async () => buildStatus(core),
    getSettings: async () => core.getSettings(),
    updateSettings: async (patch) => {
      const outcome = await core.updateSettings(patch);
      switch (outcome.kind) {
        case 'applied':
          return { settings: outcome.settings, restarted: outcome.restarted };
        case 'invalid':
          throw new ApiError('invalid_input', outcome.message, outcome.issues);
        case 'bind_failed':
          throw new ApiError('bind_failed', outcome.message);
        default: {
          const never: never = outcome;
          throw new Error(`unexpected outcome ${JSON.stringify(never)}`);
        }
      }
    },
    exportDatabase: async (input) => {
      let destination = input.destination;
      if (destination === undefined) {
        if (!host.chooseSavePath) throw new ApiError('invalid_input', 'A destination path is required.', [{ path: ['destination'], message: 'Required' }]);
        const chosen = await host.chooseSavePath(`requests.${input.format === 'sqlite' ? 'sqlite' : input.format}`);
        if (chosen === null) throw new ApiError('invalid_input', 'Export cancelled.');
        destination = chosen;
      }
      if (!isAbsolute(destination)) {
        throw new ApiError('invalid_input', 'The destination must be an absolute path.', [{ path: ['destination'], message: 'must be an absolute path' }]);
      }
      return runExport({ ...input, destination });
    },
    clearLogs: async ({ before }) => {
      return { deleted: await store.clearLogs(before ?? null) };
    },
  };
}
