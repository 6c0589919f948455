-- 006_entry_filtered: set on a stored entry that its source's include or
-- exclude rules (feeds.yaml) now leave out. The entry is kept, not shown:
-- loosening the rule shows it again. New entries that the rules leave out
-- are not stored at all.
ALTER TABLE entries ADD COLUMN filtered INTEGER NOT NULL DEFAULT 0 CHECK (filtered IN (0, 1));
