-- 010_listings: per source, how many entries it shows (its own, not left
-- out by a filter) and when what its listing shows last changed, kept by
-- triggers.
--
-- The site is paged (it needs entry counts) and renders a source's pages
-- only when they changed (it needs to know which did). Counting with
-- count(*) grows with the archive; asking the refresh code would miss the
-- other writers (takeovers, hand-overs, pruning, another process). The
-- triggers see every write, in the writer's own transaction.
--
-- changed is a sequence number shared by all rows: a reader remembers the
-- largest it has seen and asks for the rows above it. A source's listing
-- changes when one of its entries is inserted, updated or deleted, moves
-- to or from it, or gains, loses or changes an alternate (the page shows
-- where else the post was published).

CREATE TABLE listings (
	source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
	entries   INTEGER NOT NULL DEFAULT 0,
	changed   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX listings_changed ON listings (changed);

INSERT INTO listings (source_id, entries)
SELECT s.id, (SELECT count(*) FROM entries AS e WHERE e.source_id = s.id AND e.filtered = 0) FROM sources AS s;

CREATE TRIGGER listings_source AFTER INSERT ON sources BEGIN
	INSERT INTO listings (source_id) VALUES (NEW.id);
END;

CREATE TRIGGER listings_entry_insert AFTER INSERT ON entries BEGIN
	UPDATE listings SET entries = entries + (NEW.filtered = 0),
	       changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = NEW.source_id;
END;

CREATE TRIGGER listings_entry_delete AFTER DELETE ON entries BEGIN
	UPDATE listings SET entries = entries - (OLD.filtered = 0),
	       changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = OLD.source_id;
END;

-- A moved entry leaves one listing for another; an edited one stays (the
-- two updates then cancel out on the count); one a filter now leaves out,
-- or shows again, leaves or joins its listing.
CREATE TRIGGER listings_entry_update AFTER UPDATE ON entries BEGIN
	UPDATE listings SET entries = entries - (OLD.filtered = 0),
	       changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = OLD.source_id;
	UPDATE listings SET entries = entries + (NEW.filtered = 0),
	       changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = NEW.source_id;
END;

CREATE TRIGGER listings_alternate_insert AFTER INSERT ON alternates BEGIN
	UPDATE listings SET changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = (SELECT source_id FROM entries WHERE id = NEW.entry_id);
END;

CREATE TRIGGER listings_alternate_delete AFTER DELETE ON alternates BEGIN
	UPDATE listings SET changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id = (SELECT source_id FROM entries WHERE id = OLD.entry_id);
END;

CREATE TRIGGER listings_alternate_update AFTER UPDATE ON alternates BEGIN
	UPDATE listings SET changed = (SELECT max(changed) FROM listings) + 1
	 WHERE source_id IN (SELECT source_id FROM entries WHERE id IN (OLD.entry_id, NEW.entry_id));
END;
