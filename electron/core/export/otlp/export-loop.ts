// The export's loop, on its own thread: read committed rows past the outbox mark, build and send a
// batch, and move the mark only once the receiver accepted it; on failure wait (backoff) and send
// the same rows again. Live rows go first, then the backfill pass. Nothing here runs on the proxy's
// thread or waits for the log writer; it reads what is already committed.
import type { Db } from '../../storage/database';
import {
  advanceBackfill,
  advanceLive,
  backfillRows,
  liveRows,
  openOutbox,
  pendingCount,
  readOutbox,
  type OutboxState,
} from '../../storage/outbox';
import type { OtlpExportStatus } from '../../contract/otlp-settings';
import { buildBatch, MAX_BATCH_SPANS, type Batch } from './batch';
import { encodeSpans } from './encode';
import type { ExportThreadConfig } from './protocol';
import { buildResource, scope } from './resource';
import { backoffMs, sendBatch } from './sender';
import type { SpanOptions } from './span';

/** After a batch that was not full, wait this long so light traffic goes out in batches, not one by one. */
export const FLUSH_INTERVAL_MS = 1000;
/** With nothing to send, look again this often even without a wake (rows written by another process). */
const IDLE_POLL_MS = 5000;

export interface LoopIo {
  /** Resolves after `ms`, or earlier on a wake (when `wakeable`) or a stop. */
  sleep(ms: number, wakeable: boolean): Promise<void>;
  stopped(): boolean;
  signal: AbortSignal;
  status(status: Omit<OtlpExportStatus, 'destination'>): void;
}

export async function runExportLoop(db: Db, config: ExportThreadConfig, io: LoopIo): Promise<void> {
  const destination = config.destination.url;
  const options: SpanOptions = {
    resource: buildResource({ serviceName: config.serviceName, installId: config.installId }),
    scope,
    servers: new Map(config.servers),
    content: config.content,
  };
  let state: OutboxState = openOutbox(db, destination, config.startAfterId, config.backfillFrom);
  const status: Omit<OtlpExportStatus, 'destination'> = {
    state: 'exporting',
    exported: 0,
    pending: pendingCount(db, state),
    lastError: null,
    lastExportAt: null,
  };
  io.status({ ...status });
  let failures = 0;

  while (!io.stopped()) {
    state = readOutbox(db, destination) ?? openOutbox(db, destination, config.startAfterId, config.backfillFrom);
    let batch: Batch = buildBatch((limit) => liveRows(db, state, limit), options);
    let kind: 'live' | 'backfill' = 'live';
    if (batch.spans.length === 0 && state.pendingFrom !== null) {
      batch = buildBatch((limit) => backfillRows(db, state, limit), options);
      kind = 'backfill';
      if (batch.spans.length === 0) {
        advanceBackfill(db, destination, 0, true);
        continue;
      }
    }
    if (batch.spans.length === 0) {
      const pending = pendingCount(db, state);
      if (pending !== status.pending) io.status({ ...status, pending });
      status.pending = pending;
      await io.sleep(IDLE_POLL_MS, true);
      continue;
    }
    const result = await sendBatch(
      config.destination,
      encodeSpans(batch.spans, config.destination.protocol),
      io.signal,
    );
    if (io.stopped()) break;
    if (!result.ok) {
      failures++;
      Object.assign(status, { state: 'failing', lastError: result.error, pending: pendingCount(db, state) });
      io.status({ ...status });
      await io.sleep(backoffMs(failures, result.retryAfterMs), false);
      continue;
    }
    failures = 0;
    // Accepted: the mark moves in one small transaction of its own.
    if (kind === 'live') advanceLive(db, destination, batch.lastId);
    else advanceBackfill(db, destination, batch.lastId, batch.drained);
    state = readOutbox(db, destination)!;
    Object.assign(status, {
      state: 'exporting',
      exported: status.exported + batch.spans.length,
      pending: pendingCount(db, state),
      lastError: result.warning,
      lastExportAt: new Date().toISOString(),
    });
    io.status({ ...status });
    if (batch.spans.length < MAX_BATCH_SPANS && batch.drained) await io.sleep(FLUSH_INTERVAL_MS, false);
  }
}
