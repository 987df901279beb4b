// What an export is asked to do and what it reports: the types every export module shares.
import type { RequestFilter } from '../contract/model';

export type ExportFormat = 'sqlite' | 'jsonl' | 'csv' | 'har';

/** An AbortSignal fits; the export thread passes a flag another thread sets (see export-worker.ts). */
export interface CancelSignal {
  readonly aborted: boolean;
}

/**
 * Where a running export is. `copying`: SQLite backup pages copied of `total`; `compacting`: the
 * snapshot drops what is out of scope and VACUUMs (one SQLite call: no measure, `total` 0);
 * `writing`: rows written of `total`, the filter's count when the export began.
 */
export interface ExportProgress {
  phase: 'copying' | 'compacting' | 'writing';
  done: number;
  total: number;
}

export interface ExportJob {
  /** The log database to read (the live one is fine: exports read through their own connection). */
  source: string;
  destination: string;
  format: ExportFormat;
  /** Rows to export; `{}` for all. Time ranges are `since`/`until`. */
  filter: RequestFilter;
  includeBodies: boolean;
  includeHeaders: boolean;
  /** Called after every page or backup step; the caller throttles if it forwards them. */
  onProgress?: (progress: ExportProgress) => void;
  /** Once `aborted`, the export stops at its next page or backup step; the temporary file is removed. */
  signal?: CancelSignal;
  /** The temporary file's path, when the caller must know it (to remove it if the export thread dies). */
  tempPath?: string;
  /** Databases in use (the live log, open viewers) the destination must not be; `source` always is one. */
  inUse?: readonly string[];
}

export interface ExportSummary {
  path: string;
  rows: number;
  bytes: number;
}
