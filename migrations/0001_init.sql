-- The request log. One row per request that reached the proxy, whatever its outcome.
-- The seed system's fourteen fields keep their names and meaning: correlation_id,
-- timestamp, model, provider, policy, streaming, input_tokens, output_tokens, cost,
-- provider_cost, latency_ms, success, error_status, error_message.
CREATE TABLE requests (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after pruning or clearing
  correlation_id     TEXT    NOT NULL,
  timestamp          TEXT    NOT NULL,            -- request start, ISO-8601 UTC with ms
  method             TEXT    NOT NULL,
  path               TEXT    NOT NULL,
  model              TEXT    NOT NULL DEFAULT '', -- '' when unknown
  provider           TEXT    NOT NULL,
  policy             TEXT,
  streaming          INTEGER NOT NULL DEFAULT 0 CHECK (streaming IN (0, 1)),
  status             INTEGER,                     -- status sent to the client; NULL if none was
  success            INTEGER NOT NULL CHECK (success IN (0, 1)),
  error_status       INTEGER,
  error_message      TEXT,
  input_tokens       INTEGER,                     -- whole prompt, cached tokens included
  output_tokens      INTEGER,                     -- reasoning tokens included
  cache_read_tokens  INTEGER,
  cache_write_tokens INTEGER,
  reasoning_tokens   INTEGER,
  tokens_estimated   INTEGER NOT NULL DEFAULT 0 CHECK (tokens_estimated IN (0, 1)),
  cost               REAL,                        -- NULL when the price is unknown
  provider_cost      REAL,
  latency_ms         REAL,
  ttfb_ms            REAL,
  stream_duration_ms REAL,
  finish_reason      TEXT,
  request_bytes      INTEGER,
  response_bytes     INTEGER,
  -- 0 when no response status was sent (client aborted before headers), else 1..5.
  status_class       INTEGER GENERATED ALWAYS AS (coalesce(status / 100, 0)) VIRTUAL
);

-- List queries page newest first on (timestamp, id). Each selective filter has an index
-- that yields rows already in that order (every index ends with the rowid), so a page at
-- any depth is a b-tree seek plus LIMIT rows, never a full scan or a sort. Filters that
-- match a large share of rows (streamed, succeeded, minimum cost or latency, free text)
-- walk requests_timestamp in page order and stop at LIMIT; an index of their own would
-- cost every insert and still need a sort of every match.
--
-- The model/provider/policy indexes also carry the columns getStats reads, so grouped
-- stats are one covering scan in group order: no table lookups, no sort.
CREATE INDEX requests_timestamp    ON requests (timestamp);
CREATE INDEX requests_model        ON requests (model, timestamp, id, success, input_tokens, output_tokens, cost, latency_ms);
CREATE INDEX requests_provider     ON requests (provider, timestamp, id, success, input_tokens, output_tokens, cost, latency_ms);
CREATE INDEX requests_policy       ON requests (policy, timestamp, id, success, input_tokens, output_tokens, cost, latency_ms);
-- Failures are few; a partial index finds them without making every success pay for it.
-- It also serves status filters: any status class but 2xx implies success = 0.
CREATE INDEX requests_errors       ON requests (timestamp, id, status_class) WHERE success = 0;
CREATE INDEX requests_correlation  ON requests (correlation_id, timestamp);

-- Headers and bodies, 1:1 with requests. List queries never read this table.
CREATE TABLE exchanges (
  request_id              INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  request_headers         TEXT    NOT NULL,       -- JSON object, secrets redacted
  response_headers        TEXT,                   -- JSON object; NULL when no response arrived
  request_body            TEXT,
  request_body_truncated  INTEGER NOT NULL DEFAULT 0 CHECK (request_body_truncated IN (0, 1)),
  response_body           TEXT,
  response_body_truncated INTEGER NOT NULL DEFAULT 0 CHECK (response_body_truncated IN (0, 1)),
  -- 1 when the writer shed the bodies to keep its queue within its memory bound.
  bodies_dropped          INTEGER NOT NULL DEFAULT 0 CHECK (bodies_dropped IN (0, 1))
);

-- Learned output/input token ratios per (policy, model). policy '' stands for "no policy"
-- because NULLs never collide in a primary key. Kept by Welford's online algorithm in
-- the same transaction as the rows it summarises: m2 is the sum of squared deviations.
CREATE TABLE token_ratios (
  policy       TEXT    NOT NULL,
  model        TEXT    NOT NULL,
  sample_count INTEGER NOT NULL,
  avg_ratio    REAL    NOT NULL,
  m2           REAL    NOT NULL,
  min_ratio    REAL    NOT NULL,
  max_ratio    REAL    NOT NULL,
  updated_at   TEXT    NOT NULL,
  PRIMARY KEY (policy, model)
) WITHOUT ROWID;
