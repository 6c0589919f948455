package store

import (
	"encoding/json"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
)

// A teaser of a short post, and a response that opens with the post's
// first paragraph, read alike: the teaser is a teaser of either. When the
// response is stored first (a first start, its feed answering before the
// post's) the teaser joins it, and the post, which is not a copy of the
// response, makes an entry of its own. teaser_copies keeps the text of
// every copy that joined its entry as a teaser or a cut copy of it, so
// that such a post takes its teaser back (dedup.ClaimsTeaser).

// keepTeaser records item it, just made an alternate of entry id as a
// teaser of it (d), with its text and keys.
func (sv *saver) keepTeaser(id int64, it incoming, d dedup.Decision) error {
	if d.Match != dedup.MatchSimilar || d.Verdict.Rule != dedup.RulePartial || !d.Verdict.FirstIsPart {
		return nil
	}
	e := it.e
	_, err := sv.tx.ExecContext(sv.ctx, `INSERT INTO teaser_copies
		(source_id, item_key, entry_id, published, dated, title, text, url, hash, stripped)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
		ON CONFLICT (source_id, item_key) DO UPDATE SET entry_id = excluded.entry_id,
		   published = excluded.published, dated = excluded.dated, title = excluded.title,
		   text = excluded.text, url = excluded.url, hash = excluded.hash, stripped = excluded.stripped`,
		sv.src.id, it.key, id, toNanos(it.copy.Published), it.copy.Dated, e.Title, e.Text,
		e.CanonicalURL, e.ContentHash, it.hash)
	if err != nil {
		return fmt.Errorf("keep teaser %q: %w", it.key, err)
	}
	return nil
}

const ownAsTeaserSQL = `
INSERT INTO teaser_copies (source_id, item_key, entry_id, published, dated, title, text, url, hash, stripped)
SELECT source_id, source_id || ':' || IIF(item_key <> '', item_key, IIF(guid <> '', guid, link)), id,
       published, dated, title, ?2, canonical_url, content_hash, ?3
  FROM entries WHERE id = ?1
    ON CONFLICT (source_id, item_key) DO UPDATE SET entry_id = excluded.entry_id,
       published = excluded.published, dated = excluded.dated, title = excluded.title,
       text = excluded.text, url = excluded.url, hash = excluded.hash, stripped = excluded.stripped`

// keepOwnAsTeaser records the copy entry d.Entry shows as a teaser copy
// when d, a whole post taking the entry over from its teaser, says it is
// one: with the alternate row the demotion gives it, it may then go to
// another post that claims it.
func (sv *saver) keepOwnAsTeaser(d dedup.Decision) error {
	if d.Match != dedup.MatchSimilar || d.Verdict.Rule != dedup.RulePartial || d.Verdict.FirstIsPart {
		return nil
	}
	st, bp, ok, err := sv.readStored(d.Entry)
	if err != nil || !ok || !st.hasText {
		return err
	}
	stripped := dedup.Analyze(st.post, bp).Hash
	if _, err := sv.tx.ExecContext(sv.ctx, ownAsTeaserSQL, d.Entry, st.post.Text, stripped); err != nil {
		return fmt.Errorf("keep teaser of entry %d: %w", d.Entry, err)
	}
	return nil
}

// teaserOf is a stored teaser copy.
type teaserOf struct {
	entry               int64 // the entry it is a copy of
	source              int64
	key                 string
	copy                dedup.Copy
	post                dedup.Post
	url, hash, stripped string
	learned             []byte
}

// teasersSQL reads the teaser copies of the entries listed in ?1.
const teasersSQL = `
SELECT t.entry_id, t.source_id, t.item_key, t.published, t.dated, t.title, t.text, t.url, t.hash, t.stripped,
       s.active, s.canonical, s.boilerplate
  FROM teaser_copies AS t
  JOIN sources AS s ON s.id = t.source_id
 WHERE t.entry_id IN (SELECT value FROM json_each(?1))
 ORDER BY t.entry_id, t.source_id, t.item_key`

// claimTeasers moves to entry id, which item in is now part of, the teasers that other candidate entries hold and that are the
// item's rather than theirs (dedup.ClaimsTeaser).
func (sv *saver) claimTeasers(id int64, in dedup.Incoming, cands []dedup.Candidate) error {
	if in.Doc == nil {
		return nil
	}
	holders := map[int64]dedup.Candidate{}
	var ids []int64
	for _, c := range cands {
		if _, seen := holders[c.Entry]; !seen && c.Entry != id && c.Doc != nil {
			holders[c.Entry] = c
			ids = append(ids, c.Entry)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	teasers, err := sv.teasers(ids)
	if err != nil {
		return err
	}
	for _, t := range teasers {
		bp, err := sv.boilerplate(t.source, t.learned)
		if err != nil {
			return err
		}
		if t.source == sv.src.id || !dedup.ClaimsTeaser(in, dedup.Analyze(t.post, bp), t.copy, *holders[t.entry].Doc, holders[t.entry].Owner) {
			continue
		}
		if err := sv.moveTeaser(t, t.entry, id); err != nil {
			return err
		}
	}
	return nil
}

// teasers reads the teaser copies of the entries ids.
func (sv *saver) teasers(ids []int64) ([]teaserOf, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := sv.tx.QueryContext(sv.ctx, teasersSQL, string(list))
	if err != nil {
		return nil, fmt.Errorf("read teasers of entries %v: %w", ids, err)
	}
	defer rows.Close()
	var out []teaserOf
	for rows.Next() {
		var t teaserOf
		var published int64
		err := rows.Scan(&t.entry, &t.source, &t.key, &published, &t.copy.Dated, &t.post.Title, &t.post.Text,
			&t.url, &t.hash, &t.stripped, &t.copy.Active, &t.copy.Canonical, &t.learned)
		if err != nil {
			return nil, fmt.Errorf("read teasers of entries %v: %w", ids, err)
		}
		t.copy.Source, t.copy.Published = t.source, fromNanos(published)
		out = append(out, t)
	}
	return out, rows.Err()
}

// moveTeaser makes teaser t, an alternate of entry from, one of entry
// to's, with the keys it brought.
func (sv *saver) moveTeaser(t teaserOf, from, to int64) error {
	keys, err := json.Marshal([]string{t.hash, t.stripped})
	if err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE alternates SET entry_id = ?3 WHERE source_id = ?1 AND item_key = ?2`, []any{t.source, t.key, to}},
		{`UPDATE teaser_copies SET entry_id = ?3 WHERE source_id = ?1 AND item_key = ?2`, []any{t.source, t.key, to}},
		{`UPDATE entry_keys SET entry_id = ?2
		   WHERE entry_id = ?1 AND (kind = 'item' AND value = ?3 OR kind = 'url' AND value = ?4
		         OR kind = 'hash' AND value IN (SELECT value FROM json_each(?5)))`, []any{from, to, t.key, t.url, string(keys)}},
	} {
		if _, err := sv.tx.ExecContext(sv.ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("move teaser %q from entry %d to %d: %w", t.key, from, to, err)
		}
	}
	return nil
}
