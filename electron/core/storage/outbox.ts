// The OTLP outbox (migration 0006): per destination, how far the export has come over
// `requests.id`. Written only by the OTLP export thread, one small transaction per accepted batch;
// the log writer never touches it, so a commit of rows and a move of the mark never wait on each
// other for more than that one UPDATE. See the migration for what each column means.
import type { Db } from './database';
import { ROW_SELECT, exchangeSelect, toDetail } from './rows';
import type { RequestDetail } from '../contract/model';

export interface OutboxState {
  destination: string;
  startId: number;
  highWaterId: number;
  /** The date a finished backfill reached; null: none. */
  backfillFrom: string | null;
  /** A backfill in progress: rows from this date (up to backfillFrom, exclusive); null: none. */
  pendingFrom: string | null;
  backfillCursor: number;
}

interface Raw {
  destination: string;
  start_id: number;
  high_water_id: number;
  backfill_from: string | null;
  pending_from: string | null;
  backfill_cursor: number;
}

const fromRaw = (r: Raw): OutboxState => ({
  destination: r.destination,
  startId: r.start_id,
  highWaterId: r.high_water_id,
  backfillFrom: r.backfill_from,
  pendingFrom: r.pending_from,
  backfillCursor: r.backfill_cursor,
});

const now = () => new Date().toISOString();

const DETAIL_SELECT = `SELECT ${ROW_SELECT}, ${exchangeSelect()}
  FROM requests r LEFT JOIN exchanges e ON e.request_id = r.id`;
const BACKFILL_WHERE = `r.id > ? AND r.id <= ? AND r.timestamp >= ? AND (? IS NULL OR r.timestamp < ?)`;

function prepare(db: Db) {
  return {
    read: db.prepare('SELECT * FROM otlp_outbox WHERE destination = ?'),
    advanceLive: db.prepare(
      'UPDATE otlp_outbox SET high_water_id = max(high_water_id, ?), updated_at = ? WHERE destination = ?',
    ),
    backfillCursor: db.prepare('UPDATE otlp_outbox SET backfill_cursor = ?, updated_at = ? WHERE destination = ?'),
    liveRows: db.prepare(`${DETAIL_SELECT} WHERE r.id > ? ORDER BY r.id LIMIT ?`),
    backfillRows: db.prepare(`${DETAIL_SELECT} WHERE ${BACKFILL_WHERE} ORDER BY r.id LIMIT ?`),
    liveCount: db.prepare('SELECT count(*) FROM requests WHERE id > ?').pluck(),
    backfillCount: db.prepare(`SELECT count(*) FROM requests r WHERE ${BACKFILL_WHERE}`).pluck(),
  };
}

/**
 * The statements the export thread runs for every batch, prepared once per connection: preparing
 * the row query (forty-odd columns and the body view) each time cost ~0.1 ms a batch.
 */
const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();
function statements(db: Db): ReturnType<typeof prepare> {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  return s;
}

export function readOutbox(db: Db, destination: string): OutboxState | null {
  const raw = statements(db).read.get(destination) as Raw | undefined;
  return raw ? fromRaw(raw) : null;
}

/**
 * The destination's state, created on first use after `startAfterId` (the newest committed id
 * when the export was turned on: a new destination gets what is logged from then on), with the
 * backfill brought in line with the setting: a date earlier than what was covered starts a pass
 * over the part not yet sent; no date stops a pass.
 */
export function openOutbox(
  db: Db,
  destination: string,
  startAfterId: number,
  backfillFrom: string | null,
): OutboxState {
  return db.transaction(() => {
    let state = readOutbox(db, destination);
    if (!state) {
      db.prepare('INSERT INTO otlp_outbox (destination, start_id, high_water_id, updated_at) VALUES (?, ?, ?, ?)').run(
        destination,
        startAfterId,
        startAfterId,
        now(),
      );
      state = readOutbox(db, destination)!;
    }
    const wanted = backfillFrom !== null && (state.backfillFrom === null || backfillFrom < state.backfillFrom);
    if (wanted && state.pendingFrom !== backfillFrom) {
      db.prepare(
        'UPDATE otlp_outbox SET pending_from = ?, backfill_cursor = 0, updated_at = ? WHERE destination = ?',
      ).run(backfillFrom, now(), destination);
    } else if (!wanted && state.pendingFrom !== null) {
      db.prepare(
        'UPDATE otlp_outbox SET pending_from = NULL, backfill_cursor = 0, updated_at = ? WHERE destination = ?',
      ).run(now(), destination);
    }
    return readOutbox(db, destination)!;
  })();
}

/** The newest committed id: a primary-key seek. */
export function newestId(db: Db): number {
  return db.prepare('SELECT coalesce(max(id), 0) FROM requests').pluck().get() as number;
}

/** After the receiver accepted every live row up to `id`. */
export function advanceLive(db: Db, destination: string, id: number): void {
  statements(db).advanceLive.run(id, now(), destination);
}

/** After the receiver accepted backfill rows up to `id`; `finished` closes the pass. */
export function advanceBackfill(db: Db, destination: string, id: number, finished: boolean): void {
  if (finished)
    db.prepare(
      `UPDATE otlp_outbox SET backfill_from = pending_from, pending_from = NULL, backfill_cursor = 0, updated_at = ?
       WHERE destination = ?`,
    ).run(now(), destination);
  else statements(db).backfillCursor.run(id, now(), destination);
}

/** Live rows after the mark, in id order, one at a time (a row's bodies are dropped before the next is read). */
export function* liveRows(db: Db, state: OutboxState, limit: number): Generator<RequestDetail> {
  const rows = statements(db).liveRows.iterate(state.highWaterId, limit);
  for (const raw of rows) yield toDetail(raw as Record<string, unknown>);
}

/** The backfill pass's next rows, in id order. */
export function* backfillRows(db: Db, state: OutboxState, limit: number): Generator<RequestDetail> {
  if (state.pendingFrom === null) return;
  const rows = statements(db).backfillRows.iterate(
    state.backfillCursor,
    state.startId,
    state.pendingFrom,
    state.backfillFrom,
    state.backfillFrom,
    limit,
  );
  for (const raw of rows) yield toDetail(raw as Record<string, unknown>);
}

/** Requests logged and not yet accepted: live ones past the mark and what the backfill pass has left. */
export function pendingCount(db: Db, state: OutboxState): number {
  const { liveCount, backfillCount } = statements(db);
  const live = liveCount.get(state.highWaterId) as number;
  if (state.pendingFrom === null) return live;
  const backfill = backfillCount.get(
    state.backfillCursor,
    state.startId,
    state.pendingFrom,
    state.backfillFrom,
    state.backfillFrom,
  ) as number;
  return live + backfill;
}
