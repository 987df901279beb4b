-- Threads: which conversation each request belongs to, inferred from the traffic (see
-- electron/core/inspect/threads/). The writer keeps all of it in the same transaction as the rows;
-- a rebuild from `requests` and `exchanges` gives the same.

-- The thread's id is the id of its first request; turns count from 1 in request order. NULL for a
-- request that is no conversation (a models list, a body cut at the capture cap).
ALTER TABLE requests ADD COLUMN thread_id INTEGER;
ALTER TABLE requests ADD COLUMN turn INTEGER;
CREATE INDEX requests_thread ON requests (thread_id) WHERE thread_id IS NOT NULL;

-- One row per message of a request, as sent: threads, diffs and cache diagnosis compare these
-- instead of parsing bodies again. position -2 holds the tool definitions, -1 the system prompt
-- given apart from the messages (Anthropic, Gemini, Responses' instructions), 0… the messages.
CREATE TABLE request_messages (
  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  role       TEXT    NOT NULL,
  hash       TEXT    NOT NULL,
  size       INTEGER NOT NULL,  -- characters of the message's JSON
  PRIMARY KEY (request_id, position)
) WITHOUT ROWID;

-- How each request was assigned: what the assignment read (hashes, native id, Responses ids) and
-- what it decided beyond requests.thread_id/turn.
CREATE TABLE request_threads (
  request_id           INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  segment              INTEGER NOT NULL,  -- counts up when compaction or a rewind shrinks the history
  -- the signal used: 'header:x-claude-code-session-id', 'prefix:37', 'fork:3', 'new', …
  source               TEXT    NOT NULL,
  parent_thread_id     INTEGER,           -- a fork's or a split's thread of origin
  native_key           TEXT,              -- '<source>=<client id>' when the client sent one
  context_hash         TEXT    NOT NULL,  -- format, system prompt and tools
  chain_hash           TEXT,              -- context and every message: what a later request extends
  message_count        INTEGER NOT NULL,
  extends_id           INTEGER,           -- the earlier request whose whole history this one extends
  previous_response_id TEXT,
  response_id          TEXT
);
CREATE INDEX request_threads_chain    ON request_threads (chain_hash) WHERE chain_hash IS NOT NULL;
CREATE INDEX request_threads_native   ON request_threads (native_key) WHERE native_key IS NOT NULL;
CREATE INDEX request_threads_response ON request_threads (response_id) WHERE response_id IS NOT NULL;
CREATE INDEX request_threads_extends  ON request_threads (extends_id) WHERE extends_id IS NOT NULL;

-- The user's corrections, applied again by every rebuild: split a thread at a request (which then
-- starts a thread of its own), merge one thread into another.
CREATE TABLE thread_overrides (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT    NOT NULL CHECK (kind IN ('split', 'merge')),
  request_id INTEGER,  -- split: the request that starts the new thread
  thread_id  INTEGER,  -- merge: the thread merged…
  into_id    INTEGER,  -- …into this one
  created_at TEXT    NOT NULL
);

-- A log from before this migration gets its threads from its rows when it is opened.
INSERT INTO derived_tables (name, complete) VALUES ('threads', NOT EXISTS (SELECT 1 FROM requests));
