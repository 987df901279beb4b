-- The same rollup as stats_hourly (0002), per minute: 'YYYY-MM-DDTHH:MM', the timestamp's first 16
-- characters. Stats over a time range that cuts hours read the whole minutes of those hours here, so
-- only the part-minutes at the very ends of the range read `requests` (at most two minutes of rows,
-- instead of up to two hours). Kept by the writer in the same transaction as the rows, subtracted on
-- pruning, and built from the rows by the app when a log from before this migration is opened.
CREATE TABLE stats_minutely (
  minute        TEXT    NOT NULL,
  model         TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  policy        TEXT    NOT NULL,  -- '' for "no policy"
  streaming     INTEGER NOT NULL,
  success       INTEGER NOT NULL,
  status_class  INTEGER NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost          REAL    NOT NULL,  -- over requests whose cost is known
  cost_unknown  INTEGER NOT NULL,
  latency_hist  BLOB,              -- as in stats_hourly (latency-histogram.ts)
  PRIMARY KEY (minute, model, provider, policy, streaming, success, status_class)
) WITHOUT ROWID;

-- A new log has no rows to build it from: complete from the start.
INSERT INTO derived_tables (name, complete) VALUES ('stats_minutely', NOT EXISTS (SELECT 1 FROM requests));
