-- Request bodies with their repeated parts stored once. Agents and chat clients resend the whole
-- history every turn: stored whole, a 50-turn conversation holds its first message 50 times. The
-- writer (storage/body-store.ts) cuts a JSON request body into its large top-level values and the
-- elements of its top-level arrays (messages, input, contents, tools, …) and keeps each distinct one
-- once in `body_parts`; the request keeps a template of the rest. exchanges.request_body is then
-- NULL. A body is templated only when the template spliced back gives the original text exactly;
-- any other body (not JSON, small, cut at capture in a way the scan cannot read) stays whole in
-- exchanges as before, and so do rows written before this migration.
-- Read a body through the `request_bodies` view (every reader of the app does): it gives the
-- original text for either kind of row.

CREATE TABLE body_parts (
  id   INTEGER PRIMARY KEY,
  hash BLOB    NOT NULL UNIQUE,  -- SHA-256 of the text (UTF-8)
  body TEXT    NOT NULL
);

-- The request body as a JSON array: strings are literal text, integers are body_parts ids;
-- concatenated in order they are the body.
CREATE TABLE body_templates (
  request_id INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  template   TEXT    NOT NULL
);

-- Which requests name which parts (each once): what keeps a part alive, and how a full-text match
-- in a part (body_fts rowid -part id, see storage/body-index.ts) finds the requests that hold it.
CREATE TABLE body_part_refs (
  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  part_id    INTEGER NOT NULL,
  PRIMARY KEY (request_id, part_id)
) WITHOUT ROWID;
CREATE INDEX body_part_refs_part ON body_part_refs (part_id);

-- Deleting a request, by retention, clear or anything else, deletes its references (the cascade
-- above); a part no request names any more goes, with its full-text entry.
CREATE TRIGGER body_part_refs_release AFTER DELETE ON body_part_refs
WHEN NOT EXISTS (SELECT 1 FROM body_part_refs WHERE part_id = old.part_id)
BEGIN
  DELETE FROM body_parts WHERE id = old.part_id;
  DELETE FROM body_fts WHERE rowid = -old.part_id;
END;

-- The bodies as captured, whichever way they are stored. Also what `sql` users query. Written for
-- SQLite 3.38 and later (a sqlite3 shell of 2022 must still open the file, so no aggregate ORDER BY):
-- group_concat over json_each alone, no join, concatenates in the array's order.
CREATE VIEW request_bodies AS
SELECT
  e.request_id,
  coalesce(e.request_body, (
    SELECT group_concat(iif(j.type = 'integer', (SELECT p.body FROM body_parts p WHERE p.id = j.value), j.value), '')
    FROM json_each((SELECT t.template FROM body_templates t WHERE t.request_id = e.request_id)) j
  )) AS request_body,
  e.response_body
FROM exchanges e;
