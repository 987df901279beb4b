import type { ExportResult } from '../api/contract-types';
import { ApiError } from '../api/errors';
import type { ExportOptions } from '../api/handlers';
import { exportLog, isExportError } from './index';

/**
 * The contract's `exportDatabase` over the export engine, reading `source` (the live log) through
 * connections of its own. `nativeBinding`: better_sqlite3.node for Electron's ABI in development.
 * A failed export (folder read-only, disk full, ...) becomes an ApiError whose message the UI shows.
 */
export function exportForApi(source: string, nativeBinding?: string) {
  return async (options: ExportOptions): Promise<ExportResult> => {
    try {
      return await exportLog({
        source,
        destination: options.destination,
        format: options.format,
        filter: options.scope === 'filter' ? options.filter : {},
        includeBodies: options.includeBodies,
        includeHeaders: options.includeHeaders,
        nativeBinding,
      });
    } catch (e) {
      if (isExportError(e)) throw new ApiError('unavailable', e.message);
      throw e;
    }
  };
}
