-- 004_near_duplicates: what finding cross-posts that are not word for word
-- needs: each source's learned boilerplate, each entry's text and its
-- near-duplicate search keys, and why each alternate was recorded.

-- canonical mirrors feeds.yaml: this source's copy of a post is the entry.
ALTER TABLE sources ADD COLUMN canonical INTEGER NOT NULL DEFAULT 0 CHECK (canonical IN (0, 1));
-- edge_window holds the edge-block keys of the source's recent posts and
-- boilerplate the keys learned from them (dedup.Window, dedup.Boilerplate).
ALTER TABLE sources ADD COLUMN edge_window BLOB NOT NULL DEFAULT X'';
ALTER TABLE sources ADD COLUMN boilerplate BLOB NOT NULL DEFAULT X'';

-- dated is 0 when the source gave the entry no usable date (published is
-- then when it was first seen): any dated copy is earlier than it.
ALTER TABLE entries ADD COLUMN dated INTEGER NOT NULL DEFAULT 1 CHECK (dated IN (0, 1));
-- first_round is the poll round the entry was first stored in (unix ns); an
-- earlier copy from the same round gives the entry its own public id.
ALTER TABLE entries ADD COLUMN first_round INTEGER NOT NULL DEFAULT 0;

-- rule says why a copy was found to be the entry's: "same canonical URL",
-- "similar (jaccard 0.91, …)". '' for rows from before this migration.
ALTER TABLE alternates ADD COLUMN rule TEXT NOT NULL DEFAULT '';

-- The visible text of each entry, one line per block, and the
-- near-duplicate search keys of that text as a JSON array. Entries stored
-- before this migration have none until `village dedup rescan`.
CREATE TABLE entry_texts (
	entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
	text     TEXT    NOT NULL,
	bands    TEXT    NOT NULL DEFAULT '[]'
) STRICT;

-- The near-duplicate index: one row per search key of an entry's text.
-- Kept by the triggers below, so that every way an entry's text changes or
-- goes (update, take-over, merge, prune, cascade) keeps the index exact.
CREATE TABLE entry_bands (
	band     INTEGER NOT NULL,
	entry_id INTEGER NOT NULL,
	PRIMARY KEY (band, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER entry_texts_insert AFTER INSERT ON entry_texts BEGIN
	INSERT OR IGNORE INTO entry_bands (band, entry_id)
	SELECT value, NEW.entry_id FROM json_each(NEW.bands);
END;

CREATE TRIGGER entry_texts_update AFTER UPDATE OF bands ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
	INSERT OR IGNORE INTO entry_bands (band, entry_id)
	SELECT value, NEW.entry_id FROM json_each(NEW.bands);
END;

CREATE TRIGGER entry_texts_delete AFTER DELETE ON entry_texts BEGIN
	DELETE FROM entry_bands
	 WHERE entry_id = OLD.entry_id AND band IN (SELECT value FROM json_each(OLD.bands));
END;
