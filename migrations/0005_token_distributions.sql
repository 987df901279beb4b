-- Distributions beside token_ratios: per (policy, model) and band of input size, the output tokens
-- and the output/input ratio of the requests token_ratios learns from (successful, both counts
-- above zero), each as a fixed-bin log-scale histogram (electron/core/storage/token-sketch.ts: any
-- quantile within 1 % of the exact one). Bins add and subtract exactly, so the writer keeps this
-- table in the same transaction as the rows and retention subtracts what it deletes; the
-- (policy, model) distribution is the sum of its bands. A log from before this migration gets the
-- table built from its rows right after migrating (derived_tables, as for stats_hourly).
CREATE TABLE token_distributions (
  policy        TEXT    NOT NULL,  -- '' for "no policy", as in token_ratios
  model         TEXT    NOT NULL,
  input_band    INTEGER NOT NULL,  -- floor(log4(input_tokens)), at most 10: [1,4), [4,16), …, [4^10, ∞)
  sample_count  INTEGER NOT NULL,
  output_sketch BLOB    NOT NULL,  -- output tokens
  ratio_sketch  BLOB    NOT NULL,  -- output tokens / input tokens
  PRIMARY KEY (policy, model, input_band)
) WITHOUT ROWID;
INSERT INTO derived_tables (name, complete) VALUES ('token_distributions', 0);
