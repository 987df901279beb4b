-- Full-text index over the request and response bodies, for `body:` in the filter language, the
-- list's "bodies" search and the MCP search tool (they used LIKE, a scan of every body).
-- Contentless (content = ''): it holds tokens and their positions (phrases need them), not a second
-- copy of the bodies, so the file grows by the index alone; an external-content table would
-- read the text back from exchanges, which ties it to how the bodies are stored and makes every
-- delete read the old text to un-index it. contentless_delete = 1 deletes by rowid instead.
-- rowid = requests.id. The writer adds each row's bodies in the same transaction as the row
-- (storage/body-index.ts, which also says what text is indexed); deleting a request, by retention,
-- clear or anything else, deletes its entry (the trigger). A log from before this migration gets
-- the index built from its bodies right after migrating (derived_tables, as for stats_hourly).
CREATE VIRTUAL TABLE body_fts USING fts5(
  request_body,
  response_body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER requests_body_fts_delete AFTER DELETE ON requests BEGIN
  DELETE FROM body_fts WHERE rowid = old.id;
END;
INSERT INTO derived_tables (name, complete) VALUES ('body_fts', 0);
