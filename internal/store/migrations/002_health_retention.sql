-- 002_health_retention: what a source's server said about its move or its
-- end, and the keys of pruned entries.

-- moved_to is where every redirect hop (all 301/308) led: the URL to put
-- in feeds.yaml. village reports it and never rewrites the file.
ALTER TABLE sources ADD COLUMN moved_to TEXT NOT NULL DEFAULT '';
-- gone is set by a 410 Gone: the source is no longer polled.
ALTER TABLE sources ADD COLUMN gone INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1));

-- A tombstone is one key (as in entry_keys) of an entry that retention
-- pruned. A source that still lists the entry finds the tombstone and does
-- not bring it back as new.
CREATE TABLE tombstones (
	kind      TEXT    NOT NULL CHECK (kind IN ('item', 'url', 'hash')),
	value     TEXT    NOT NULL CHECK (value <> ''),
	source_id INTEGER NOT NULL, -- the source of the pruned entry; no foreign key: it outlives sources
	pruned_at INTEGER NOT NULL,
	PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;
