package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
)

// Merging stored entries that turn out to be one post: after a source's
// boilerplate changed, in a rescan, and when an item is a copy of two
// entries at once.

// stored is a stored entry as reexamine reads it.
type stored struct {
	id, sourceID int64
	contentHash  string
	copy         dedup.Copy
	post         dedup.Post
	hasText      bool
	// content and canonical are its HTML and canonical URL, fingerprint
	// its version (see readings).
	content, canonical string
	fingerprint        []byte
	// fuller is the entry's fuller copy, nil for none, and fullerBands
	// its search keys.
	fuller      *fuller
	fullerBands string
}

const storedSQL = `
SELECT e.id, e.source_id, e.content_hash, e.canonical_url, e.fingerprint, e.published, e.dated, e.title, e.categories,
       s.active, s.canonical, s.boilerplate, t.text IS NOT NULL, coalesce(t.text, ''), e.content,
       ` + fullerColumns + `
  FROM entries AS e
  JOIN sources AS s ON s.id = e.source_id
  LEFT JOIN entry_texts AS t ON t.entry_id = e.id
  LEFT JOIN fuller_copies AS f ON f.entry_id = e.id
  LEFT JOIN sources AS fs ON fs.id = f.source_id
 WHERE e.id = ?1`

// readStored reads entry id with its source's boilerplate; ok is false when
// the entry is gone (merged away earlier in the same pass).
func (x *index) readStored(id int64) (st stored, bp dedup.Boilerplate, ok bool, err error) {
	st, bp, ok, err = x.readRow(id)
	st.post.Text = textOf(st.post.Text, st.content)
	return st, bp, ok, err
}

// readRow is readStored but for the text of the entry's content, which it
// leaves to be read (textOf) by a caller that needs it: a candidate whose
// reading is kept needs none.
func (x *index) readRow(id int64) (st stored, bp dedup.Boilerplate, ok bool, err error) {
	var published int64
	var cats, content string
	var learned []byte
	var fs fullerScan
	err = x.tx.QueryRowContext(x.ctx, storedSQL, id).Scan(append([]any{&st.id, &st.sourceID, &st.contentHash, &st.canonical,
		&st.fingerprint, &published, &st.copy.Dated, &st.post.Title, &cats, &st.copy.Active, &st.copy.Canonical,
		&learned, &st.hasText, &st.post.Text, &content}, fs.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return st, bp, false, nil
	}
	if err != nil {
		return st, bp, false, fmt.Errorf("read entry %d: %w", id, err)
	}
	if st.post.Categories, err = decodeList(cats); err != nil {
		return st, bp, false, fmt.Errorf("read entry %d: %w", id, err)
	}
	st.content = content
	st.copy.Source, st.copy.Published = st.sourceID, fromNanos(published)
	st.fuller, st.fullerBands = fs.fuller()
	bp, err = x.boilerplate(st.sourceID, learned)
	return st, bp, err == nil, err
}

// reexamine re-keys a stored entry with its source's boilerplate as it is
// now, then decides, as for an item arriving, whether it is a copy of
// another source's entry (or that entry a copy of it) and merges the two.
func (x *index) reexamine(id int64) (merged bool, err error) {
	st, bp, ok, err := x.readStored(id)
	if !ok || err != nil || !st.hasText {
		return false, err
	}
	doc := dedup.Analyze(st.post, bp)
	if err := x.saveText(id, &doc); err != nil {
		return false, err
	}
	if doc.Hash != "" && doc.Hash != st.contentHash {
		_, err := x.tx.ExecContext(x.ctx, `INSERT INTO entry_keys (kind, value, entry_id) VALUES ('hash', ?1, ?2)
			ON CONFLICT DO NOTHING`, doc.Hash, id)
		if err != nil {
			return false, fmt.Errorf("re-key entry %d: %w", id, err)
		}
	}
	if x.opts.Off {
		return false, nil
	}
	cands, err := x.othersLike(st, bp, &doc)
	if err != nil {
		return false, err
	}
	in := dedup.Incoming{Copy: st.copy, Doc: &doc}
	if st.fuller != nil {
		fbp, err := x.boilerplate(st.fuller.source, st.fuller.learned)
		if err != nil {
			return false, err
		}
		f := dedup.Analyze(dedup.Post{Title: st.fuller.title, Text: st.fuller.text}, fbp)
		in.Fuller, in.FullerCopy = &f, st.fuller.copy
	}
	d := dedup.Decide(in, cands)
	survivor := id
	switch d.Action {
	case dedup.Alternate:
		err, survivor = x.merge(id, d.Entry, d.Reason()), d.Entry
	case dedup.TakeOver:
		err = x.merge(d.Entry, id, d.Reason())
	default:
		return false, nil
	}
	if err != nil {
		return false, err
	}
	owner, part := ownerAfter(st.copy, d, cands)
	_, _, err = x.mergeOthers(survivor, owner, part, dedup.Others(in, cands, d))
	return true, err
}

// othersLike returns the other sources' entries that st's text hashes or
// search keys name, each marked when it shares a source with st's copies
// (then the two are different posts of that source, whatever their texts).
func (x *index) othersLike(st stored, bp dedup.Boilerplate, doc *dedup.Doc) ([]dedup.Candidate, error) {
	exact, _, err := x.exact(st.sourceID, "", "", st.contentHash, doc.Hash, "")
	if err != nil {
		return nil, err
	}
	similar, err := x.similar(st.sourceID, st.post, bp, doc, st.copy.Published, st.copy.Dated, st.id)
	if err != nil {
		return nil, err
	}
	var out []dedup.Candidate
	for _, c := range append(exact, similar...) {
		if c.Entry == st.id || c.Owner.Source == st.sourceID {
			continue
		}
		if c.HasCopyFromSource, err = x.shareSource(st.id, c.Entry); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

const shareSourceSQL = `
SELECT EXISTS (
	SELECT source_id FROM (SELECT source_id FROM entries WHERE id = ?1
	                       UNION ALL SELECT source_id FROM alternates WHERE entry_id = ?1)
	INTERSECT
	SELECT source_id FROM (SELECT source_id FROM entries WHERE id = ?2
	                       UNION ALL SELECT source_id FROM alternates WHERE entry_id = ?2))`

// shareSource reports whether one source has copies of both entries.
func (x *index) shareSource(a, b int64) (bool, error) {
	var yes bool
	if err := x.tx.QueryRowContext(x.ctx, shareSourceSQL, a, b).Scan(&yes); err != nil {
		return false, fmt.Errorf("compare sources of entries %d and %d: %w", a, b, err)
	}
	return yes, nil
}

// merge makes entry loser a copy of entry winner: the loser's own copy
// becomes one of the winner's alternates, its alternates and keys pass to
// the winner, and its row goes (its text and search keys with it). The
// winner keeps its public id and the earlier first-seen time of the two.
func (x *index) merge(loser, winner int64, rule string) error {
	if err := x.passFullest(loser, winner); err != nil {
		return fmt.Errorf("merge entry %d into %d: %w", loser, winner, err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{demoteOwnerSQL, []any{loser, rule}},
		{`UPDATE alternates SET entry_id = ?2 WHERE entry_id = ?1`, []any{loser, winner}},
		{`UPDATE teaser_copies SET entry_id = ?2 WHERE entry_id = ?1`, []any{loser, winner}},
		{`UPDATE entry_keys SET entry_id = ?2 WHERE entry_id = ?1`, []any{loser, winner}},
		{`UPDATE entries SET first_seen = min(first_seen, (SELECT first_seen FROM entries WHERE id = ?1)),
		                    listed = min(listed, (SELECT listed FROM entries WHERE id = ?1))
		   WHERE id = ?2`, []any{loser, winner}},
		{`DELETE FROM entries WHERE id = ?1`, []any{loser}},
	} {
		if _, err := x.tx.ExecContext(x.ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("merge entry %d into %d: %w", loser, winner, err)
		}
	}
	return nil
}

// mergeOthers merges into entry id, whose copy is owner (part: a teaser of
// the post), the other entries an item turned out to be a copy of too, and
// returns the entry that survives and how many were merged. Of each pair
// the entry whose copy dedup.Survives says is kept stays; two entries of
// which one source has copies are different posts of that source and stay
// apart.
func (x *index) mergeOthers(id int64, owner dedup.Copy, part bool, others []dedup.Other) (int64, int, error) {
	merged := 0
	for _, o := range others {
		share, err := x.shareSource(id, o.Entry)
		if err != nil {
			return id, merged, err
		}
		if share {
			continue
		}
		if dedup.Survives(o.Owner, owner, o.Part, part) {
			err = x.merge(id, o.Entry, o.Rule)
			id, owner, part = o.Entry, o.Owner, o.Part
		} else {
			err = x.merge(o.Entry, id, o.Rule)
		}
		if err != nil {
			return id, merged, err
		}
		merged++
	}
	return id, merged, nil
}

// ownerAfter is the copy that owns the entry a decision leaves the item
// in, and whether it is a teaser or cut copy of the item's post.
func ownerAfter(item dedup.Copy, d dedup.Decision, cands []dedup.Candidate) (dedup.Copy, bool) {
	if d.Action != dedup.Alternate {
		return item, false
	}
	for _, c := range cands {
		if c.Entry == d.Entry {
			return c.Owner, d.Match == dedup.MatchSimilar && d.Verdict.Rule == dedup.RulePartial && !d.Verdict.FirstIsPart
		}
	}
	return item, false
}
