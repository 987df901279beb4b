-- The OTLP export's outbox: one row per destination (the traces URL), holding how far the export
-- has come. Rows of `requests` are sent in id order (commit order; ids are never reused), so one
-- number says what a receiver has accepted: every request with id <= high_water_id that the
-- destination covers. It moves only after the receiver answered 2xx, in its own transaction, so
-- a restart resends at most the batch in flight (same span ids: idempotent at the receiver) and
-- never skips one.
--
-- start_id is where the destination began (the newest id when it was first configured): requests
-- above it are the live export. A backfill covers requests at or below it whose timestamp is at or
-- after a date: backfill_from is the date the last finished backfill reached (NULL: none), and a
-- backfill in progress walks ids up to start_id with backfill_cursor, for timestamps in
-- [pending_from, backfill_from) — so moving the date earlier sends only what is new.
CREATE TABLE otlp_outbox (
  destination     TEXT    PRIMARY KEY,
  start_id        INTEGER NOT NULL,
  high_water_id   INTEGER NOT NULL,
  backfill_from   TEXT,
  pending_from    TEXT,
  backfill_cursor INTEGER NOT NULL DEFAULT 0,
  updated_at      TEXT    NOT NULL
) WITHOUT ROWID;
