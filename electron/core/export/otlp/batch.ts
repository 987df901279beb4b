// Rows → one batch of spans, bounded twice: by count (the batch size OTel's own batch processor
// uses) and by the size of what the spans carry, so a batch of long conversations stays well
// under a collector's default 4 MiB request limit after encoding.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { RequestDetail } from '../../contract/model';
import { buildSpan, type SpanOptions } from './span';

export const MAX_BATCH_SPANS = 512;
const MAX_BATCH_CHARS = 3 * 1024 * 1024;

export interface Batch {
  spans: ReadableSpan[];
  /** The id of the last row read into the batch: the mark once the receiver accepts it. */
  lastId: number;
  /** Fewer rows than asked for were there: the source is drained for now. */
  drained: boolean;
}

function weight(span: ReadableSpan): number {
  let chars = 256;
  // for…in rather than Object.values: no array per span.
  for (const key in span.attributes) {
    const v = span.attributes[key];
    chars += typeof v === 'string' ? v.length : 16;
  }
  return chars;
}

/** Reads rows until the batch is full; `rows(limit)` yields at most `limit` rows in id order. */
export function buildBatch(rows: (limit: number) => Iterable<RequestDetail>, options: SpanOptions): Batch {
  const spans: ReadableSpan[] = [];
  let lastId = 0;
  let read = 0;
  let chars = 0;
  for (const row of rows(MAX_BATCH_SPANS)) {
    read++;
    lastId = row.id;
    const span = buildSpan(row, options);
    spans.push(span);
    chars += weight(span);
    // The rest of this query's rows are left for the next batch.
    if (chars >= MAX_BATCH_CHARS) return { spans, lastId, drained: false };
  }
  return { spans, lastId, drained: read < MAX_BATCH_SPANS };
}
