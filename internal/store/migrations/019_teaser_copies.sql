-- 019_teaser_copies: the texts of alternates that joined their entry as a
-- teaser or a cut copy of it, so that a post arriving later can take its
-- own teaser back (see store's teasers.go).
--
-- A teaser of a short post and a response that opens with the post's
-- first paragraph read alike: the teaser is a teaser of either. When the
-- response comes first (a first start, feeds answering in any order), the
-- teaser joins it; the post, arriving next, is not a copy of the response
-- and makes an entry of its own, and the teaser stayed with the response.
-- With its text kept, the post claims it: a teaser of the post that
-- carries the post's title and not the response's.
CREATE TABLE teaser_copies (
	source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	item_key  TEXT    NOT NULL,
	entry_id  INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	published INTEGER NOT NULL,
	dated     INTEGER NOT NULL,
	title     TEXT    NOT NULL,
	text      TEXT    NOT NULL,
	url       TEXT    NOT NULL, -- its keys in entry_keys, which go with it
	hash      TEXT    NOT NULL,
	stripped  TEXT    NOT NULL,
	PRIMARY KEY (source_id, item_key)
) STRICT;

CREATE INDEX teaser_copies_entry ON teaser_copies (entry_id);
