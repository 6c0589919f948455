-- 004_failing_since: when a source's current run of failures began, so
-- that a source that never worked can say "failing since ..." rather than
-- only when it was last tried. 0 while the source is not failing.
ALTER TABLE sources ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;

-- The best guess for sources already failing: their last check.
UPDATE sources SET failing_since = last_check WHERE error_count > 0;
