-- 004_public_error: the last error in plain words, as the public page and
-- /sources.json show it ("connection refused", "HTTP 503 Service
-- Unavailable"), beside the full error that `village feeds` and the logs
-- show. Rows from before this migration keep '' until their next poll.
ALTER TABLE sources ADD COLUMN last_problem TEXT NOT NULL DEFAULT '';
