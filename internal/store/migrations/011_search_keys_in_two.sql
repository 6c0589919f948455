-- 011_search_keys_in_two: the near-duplicate index in two tables, a small
-- one that takes the search keys as entries are written and a large one
-- they are moved into, sorted, in batches (see store's searchkeys.go).
--
-- Search keys are hashes: the rows of one entry land on as many pages of
-- the index as it has keys, and a commit writes each page it changed to
-- the WAL. Written straight into an index of the whole planet, a cold
-- ingest rewrote most of that index at every commit. Written into a small
-- table, a commit changes few pages; moved in key order, thousands of rows
-- share each page of the large one.

CREATE TABLE entry_bands_new (
	band     INTEGER NOT NULL,
	entry_id INTEGER NOT NULL,
	PRIMARY KEY (band, entry_id)
) STRICT, WITHOUT ROWID;

-- search_keys is the whole index; a lookup by band uses both primary keys.
CREATE VIEW search_keys AS
SELECT band, entry_id FROM entry_bands
UNION ALL
SELECT band, entry_id FROM entry_bands_new;

DROP TRIGGER entry_texts_insert;
DROP TRIGGER entry_texts_update;
DROP TRIGGER entry_texts_delete;

CREATE TRIGGER entry_texts_insert AFTER INSERT ON entry_texts BEGIN
	INSERT OR IGNORE INTO entry_bands_new (band, entry_id)
	SELECT value, NEW.entry_id FROM json_each(NEW.bands);
END;

CREATE TRIGGER entry_texts_update AFTER UPDATE OF bands ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
	DELETE FROM entry_bands_new
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
	INSERT OR IGNORE INTO entry_bands_new (band, entry_id)
	SELECT value, NEW.entry_id FROM json_each(NEW.bands);
END;

CREATE TRIGGER entry_texts_delete AFTER DELETE ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
	DELETE FROM entry_bands_new
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
END;
