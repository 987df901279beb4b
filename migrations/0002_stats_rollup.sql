-- Hourly rollup of `requests` for getStats: one row per hour and combination of the columns a
-- stats filter or grouping can name, with the sums stats report and the latency distribution as
-- a histogram (see latency-histogram.ts). The writer keeps it in the same transaction as the rows
-- it summarises; pruning subtracts what it deletes. Stats over whole hours read this table (tens
-- of thousands of rows at most) instead of scanning a million requests; the part-hours at the
-- edges of a time range, and filters it can't answer (text, minimum cost or latency, correlation
-- id), read `requests` itself.
CREATE TABLE stats_hourly (
  hour          TEXT    NOT NULL,  -- the timestamp's first 13 characters: 'YYYY-MM-DDTHH'
  model         TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  policy        TEXT    NOT NULL,  -- '' for "no policy", as in token_ratios
  streaming     INTEGER NOT NULL,
  success       INTEGER NOT NULL,
  status_class  INTEGER NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost          REAL    NOT NULL,  -- over requests whose cost is known
  cost_unknown  INTEGER NOT NULL,
  latency_hist  BLOB,              -- NULL when no request of the row has a latency
  PRIMARY KEY (hour, model, provider, policy, streaming, success, status_class)
) WITHOUT ROWID;

-- Whether a derived table matches `requests`. A log that existed before this migration gets its
-- rollup built from its rows by the app right after migrating (it needs code SQL doesn't have),
-- in a transaction of its own; until then, and if that is interrupted, stats scan `requests`.
CREATE TABLE derived_tables (
  name     TEXT    PRIMARY KEY,
  complete INTEGER NOT NULL CHECK (complete IN (0, 1))
) WITHOUT ROWID;
INSERT INTO derived_tables (name, complete) VALUES ('stats_hourly', 0);

-- Grouped stats no longer scan these indexes, so they no longer need to carry the stats columns:
-- narrow ones serve the list filters just as well and cost every insert less.
DROP INDEX requests_model;
DROP INDEX requests_provider;
DROP INDEX requests_policy;
CREATE INDEX requests_model    ON requests (model, timestamp);
CREATE INDEX requests_provider ON requests (provider, timestamp);
CREATE INDEX requests_policy   ON requests (policy, timestamp);
