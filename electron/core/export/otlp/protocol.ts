// Messages between the app core and the OTLP export thread.
import type { OtlpExportStatus } from '../../contract/otlp-settings';
import type { Destination } from './sender';

export interface ExportThreadConfig {
  dbPath: string;
  destination: Destination;
  /** Message content on, with its per-attribute cap; null: metadata only. */
  content: { maxChars: number } | null;
  serviceName: string;
  installId: string | null;
  /** As the log's timestamps spell it (UTC ISO with ms); null: no backfill. */
  backfillFrom: string | null;
  /**
   * The newest committed id when the export was turned on: a destination seen for the first time
   * starts after it (what was logged before is the backfill's to send, if asked).
   */
  startAfterId: number;
  /** Upstream name → host and port, for server.address/server.port. */
  servers: [string, { address: string; port: number }][];
}

export type ToExportThread =
  /** Rows were committed: read past the mark now rather than at the next poll. */
  { type: 'wake' } | { type: 'stop' };

export type FromExportThread =
  | { type: 'status'; status: Omit<OtlpExportStatus, 'destination'> }
  /** The thread can't run at all (the log can't be opened); it has stopped. */
  | { type: 'fatal'; message: string }
  | { type: 'stopped' };
