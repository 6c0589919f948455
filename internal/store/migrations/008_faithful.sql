-- 004_faithful: what a source says about an entry beyond its text, how the
-- source tells its items apart, a slug that stays with its source, and what
-- the last parse of a source had to repair.

-- item_key is the key the entry is known by within its source (without the
-- "<source_id>:" prefix of entry_keys): its guid; its guid and link when
-- the feed gives several posts one guid; its link; else a digest of its
-- title, date and text. '' for rows from before: guid, else link.
ALTER TABLE entries ADD COLUMN item_key TEXT NOT NULL DEFAULT '';
-- JSON arrays of {name, uri, email} and {url, type, length, title}.
ALTER TABLE entries ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE entries ADD COLUMN enclosures TEXT NOT NULL DEFAULT '[]';
-- A language tag (xml:lang, RSS or JSON Feed language), '' when unknown.
ALTER TABLE entries ADD COLUMN lang TEXT NOT NULL DEFAULT '';
-- The entry's own atom:source as JSON {id, title, link, self, updated},
-- '' when it names none.
ALTER TABLE entries ADD COLUMN origin TEXT NOT NULL DEFAULT '';

-- slug is the source's path segment (/sources/{slug}/), given once and
-- kept, so that removing or renaming another source never moves it. ''
-- until the first sync after this migration gives one.
ALTER TABLE sources ADD COLUMN slug TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sources_slug ON sources (slug) WHERE slug <> '';
-- notes are what the last successful parse had to repair or guess (a
-- wrong charset, items without ids or titles), a JSON array of strings.
ALTER TABLE sources ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';

-- listed is the date an entry is listed under in the planet's pages and
-- feeds, newest first: its published date, except for an entry that flood
-- control kept off the newest page (a new source's twentieth undated
-- post), which is listed just below that page. Readers are shown the
-- published date; de-duplication compares published dates.
ALTER TABLE entries ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
UPDATE entries SET listed = published;
CREATE INDEX entries_listed ON entries (listed DESC, id DESC);
CREATE INDEX entries_source_listed ON entries (source_id, listed DESC, id DESC);
