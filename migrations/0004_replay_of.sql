-- Resend and edit-and-resend: a request the app sent again through the proxy names the row it
-- was sent from (the X-Inspector-Replay-Of header the resend carries, read by the proxy's record
-- builder). No foreign key: retention may prune the original and keep its replays.
ALTER TABLE requests ADD COLUMN replay_of INTEGER;
CREATE INDEX requests_replay_of ON requests (replay_of) WHERE replay_of IS NOT NULL;
