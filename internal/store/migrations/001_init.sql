-- 001_init: sources, entries, the keys that identify an entry, and the
-- copies of an entry that other sources published.
--
-- Times are unix nanoseconds (UTC); 0 means "never" / "unknown".
-- Lists (tags, categories) are JSON arrays of strings.

CREATE TABLE sources (
	id            INTEGER PRIMARY KEY,
	url           TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL DEFAULT '',
	homepage      TEXT    NOT NULL DEFAULT '',
	tags          TEXT    NOT NULL DEFAULT '[]',
	interval_ns   INTEGER NOT NULL DEFAULT 0,
	feed_id       TEXT    NOT NULL DEFAULT '',
	feed_title    TEXT    NOT NULL DEFAULT '',
	etag          TEXT    NOT NULL DEFAULT '',
	last_modified TEXT    NOT NULL DEFAULT '',
	last_status   INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT '',
	error_count   INTEGER NOT NULL DEFAULT 0,
	last_check    INTEGER NOT NULL DEFAULT 0,
	last_success  INTEGER NOT NULL DEFAULT 0,
	next_check    INTEGER NOT NULL DEFAULT 0,
	active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- The scheduler asks "which active sources are due?" on every tick.
CREATE INDEX sources_due ON sources (active, next_check);

CREATE TABLE entries (
	id            INTEGER PRIMARY KEY,
	source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	guid          TEXT    NOT NULL DEFAULT '',
	link          TEXT    NOT NULL DEFAULT '',
	canonical_url TEXT    NOT NULL DEFAULT '',
	content_hash  TEXT    NOT NULL DEFAULT '',
	title         TEXT    NOT NULL DEFAULT '',
	author        TEXT    NOT NULL DEFAULT '',
	summary       TEXT    NOT NULL DEFAULT '',
	content       TEXT    NOT NULL DEFAULT '',
	categories    TEXT    NOT NULL DEFAULT '[]',
	published     INTEGER NOT NULL,
	updated       INTEGER NOT NULL,
	first_seen    INTEGER NOT NULL,
	-- Digest of what the source last sent for this entry (dates as sent),
	-- so a re-fetch detects "unchanged" without reading the content back.
	fingerprint   BLOB    NOT NULL
) STRICT;

-- Newest first with a stable tie-break, for all and for one source.
CREATE INDEX entries_newest ON entries (published DESC, id DESC);
CREATE INDEX entries_source_newest ON entries (source_id, published DESC, id DESC);

CREATE TABLE alternates (
	entry_id  INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	item_key  TEXT    NOT NULL,
	guid      TEXT    NOT NULL DEFAULT '',
	link      TEXT    NOT NULL DEFAULT '',
	UNIQUE (source_id, item_key)
) STRICT;

CREATE INDEX alternates_entry ON alternates (entry_id);

-- Every identity under which an entry is known: 'item' is
-- "<source_id>:<guid or link>", 'url' the canonical URL, 'hash' the content
-- hash. A key names one entry only: the first to claim it wins.
CREATE TABLE entry_keys (
	kind     TEXT    NOT NULL CHECK (kind IN ('item', 'url', 'hash')),
	value    TEXT    NOT NULL CHECK (value <> ''),
	entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;

CREATE INDEX entry_keys_entry ON entry_keys (entry_id);
