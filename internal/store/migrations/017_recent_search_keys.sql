-- 017_recent_search_keys: the search keys of the newest entries are no
-- longer written to a table of their own; they are read from the entries'
-- rows of entry_texts (which hold them anyway, for the triggers), kept in
-- memory by the writer, and moved in key order into entry_bands in batches
-- (see store's searchkeys.go).
--
-- entry_bands_new (migration 011) was small, yet its rows, keyed by hash,
-- landed on a page of their own each: a cold ingest rewrote most of the
-- table at every commit, a third of what it wrote and of the CPU that
-- near-duplicate search cost. The rows of entry_texts are written in entry
-- order, a few to a page.
--
-- search_keys_moved holds the last entry whose keys are in entry_bands:
-- the keys of the entries after it are in entry_texts only. A text written
-- or changed for an entry at or before it goes to entry_bands at once.

INSERT OR IGNORE INTO entry_bands (band, entry_id)
SELECT band, entry_id FROM entry_bands_new ORDER BY band, entry_id;

DROP VIEW search_keys;
DROP TRIGGER entry_texts_update;
DROP TRIGGER entry_texts_delete;
DROP TABLE entry_bands_new;

CREATE TABLE search_keys_moved (upto INTEGER NOT NULL) STRICT;
INSERT INTO search_keys_moved (upto) SELECT coalesce(max(entry_id), 0) FROM entry_texts;

-- search_keys is the whole index, for what reads it whole (the filter's
-- first fill, `village dedup explain`); lookups on the ingest path read
-- entry_bands and the writer's copy of the newest keys in memory.
CREATE VIEW search_keys AS
SELECT band, entry_id FROM entry_bands
UNION ALL
SELECT k.value, t.entry_id
  FROM entry_texts AS t, json_each(t.bands) AS k
 WHERE t.entry_id > (SELECT upto FROM search_keys_moved);

CREATE TRIGGER entry_texts_update AFTER UPDATE OF bands ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
	INSERT OR IGNORE INTO entry_bands (band, entry_id)
	SELECT value, NEW.entry_id FROM json_each(NEW.bands)
	 WHERE NEW.entry_id <= (SELECT upto FROM search_keys_moved);
END;

CREATE TRIGGER entry_texts_delete AFTER DELETE ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
END;
