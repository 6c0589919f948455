-- 014_body_digest: the digest of the feed body a source's last refresh
-- stored whole, with what decided how it was read (see refresh's digest.go).
-- A server that ignores conditional GET sends the same bytes poll after
-- poll; they are then not parsed, sanitised and compared item by item again.
-- Empty when unknown: the next body is read in full.
ALTER TABLE sources ADD COLUMN body_digest BLOB NOT NULL DEFAULT X'';
