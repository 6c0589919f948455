-- 018_fuller_copies: an entry is also compared by its fullest copy.
--
-- An entry kept only the text of the copy it shows, and a new item was
-- compared with that text alone. When that copy is a teaser (the earliest
-- copy, or its source's canonical), a response that quotes the post's first
-- paragraph read as the whole post the teaser was of; and an excerpt of
-- a copy that opens with an editor's introduction met nothing, for the
-- copy shown has no introduction. fuller_copies keeps, for an entry that
-- has one, the text of the other source's copy that says the most (see
-- store's fuller.go and dedup.Confirm), and entry_texts.bands holds its
-- search keys with the entry's own (own_bands).
--
-- words is how many words the entry's own text has once its source's
-- boilerplate is left out; NULL until the entry is read again.
ALTER TABLE entry_texts ADD COLUMN words INTEGER;

CREATE TABLE fuller_copies (
	entry_id  INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	published INTEGER NOT NULL,
	dated     INTEGER NOT NULL,
	title     TEXT    NOT NULL,
	text      TEXT    NOT NULL,
	words     INTEGER NOT NULL,
	bands     TEXT    NOT NULL,
	own_bands TEXT    NOT NULL
) STRICT;
