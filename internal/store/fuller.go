package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/villagefeeds/village/internal/dedup"
)

// An entry is compared by the text of the copy it shows and, when another
// source's copy of it says more, by that copy's text too (see
// dedup.Confirm). The copy shown is the original, which is not always the whole
// post: a newsletter's teaser sent before the blog post, a canonical
// source's summary. Compared with the teaser alone, a response that quotes
// the post's first paragraph read as the whole post the teaser was of;
// and an excerpt of a copy that opens with an editor's introduction met
// nothing, for the copy shown has none. fuller_copies keeps, per entry,
// the text of the copy with the most words, when it has at least
// dedup.FullerWords more than the entry's own; entry_texts.bands holds
// its search keys beside the entry's own (kept apart in own_bands), so
// that an item like the fuller copy finds the entry too.

// fuller is a copy of an entry fuller than the one it shows.
type fuller struct {
	source      int64
	copy        dedup.Copy // its source and date, for dedup.CompareCopies
	title, text string
	words       int
	bands       []int64
	learned     []byte // its source's boilerplate, when read for a comparison
}

// compared is what an entry is compared by, in words.
type compared struct {
	ok          bool // the entry has a text row
	own         int  // words of the entry's own text
	fullerWords int  // words of its fuller copy; 0 for none
	ownBands    string
}

func (c compared) most() int { return max(c.own, c.fullerWords) }

const comparedSQL = `
SELECT t.words, t.bands, f.words, f.own_bands
  FROM entry_texts AS t
  LEFT JOIN fuller_copies AS f ON f.entry_id = t.entry_id
 WHERE t.entry_id = ?1`

// compared returns what entry id is compared by. The words of an entry
// stored before they were counted are counted now, from its stored text.
func (x *index) compared(id int64) (compared, error) {
	var own, more sql.NullInt64
	var bands string
	var ownBands sql.NullString
	err := x.tx.QueryRowContext(x.ctx, comparedSQL, id).Scan(&own, &bands, &more, &ownBands)
	if errors.Is(err, sql.ErrNoRows) {
		return compared{}, nil
	}
	if err != nil {
		return compared{}, fmt.Errorf("read texts of entry %d: %w", id, err)
	}
	c := compared{ok: true, own: int(own.Int64), fullerWords: int(more.Int64), ownBands: bands}
	if ownBands.Valid {
		c.ownBands = ownBands.String
	}
	if !own.Valid {
		st, bp, ok, err := x.readStored(id)
		if err != nil || !ok {
			return compared{}, err
		}
		c.own = dedup.Analyze(st.post, bp).Words
		if _, err := x.tx.ExecContext(x.ctx, `UPDATE entry_texts SET words = ?2 WHERE entry_id = ?1`, id, c.own); err != nil {
			return compared{}, fmt.Errorf("count words of entry %d: %w", id, err)
		}
	}
	return c, nil
}

// keepFuller makes f entry id's fuller copy when it has dedup.FullerWords
// more words than what the entry is compared by now.
func (x *index) keepFuller(id int64, f fuller) error {
	if f.words < dedup.MinWords {
		return nil
	}
	c, err := x.compared(id)
	if err != nil || !c.ok || f.words < c.most()+dedup.FullerWords {
		return err
	}
	return x.setFuller(id, c, f)
}

const setFullerSQL = `
INSERT INTO fuller_copies (entry_id, source_id, published, dated, title, text, words, bands, own_bands)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
    ON CONFLICT (entry_id) DO UPDATE SET
       source_id = excluded.source_id, published = excluded.published, dated = excluded.dated,
       title = excluded.title, text = excluded.text, words = excluded.words,
       bands = excluded.bands, own_bands = excluded.own_bands`

// setFuller stores f as entry id's fuller copy, and its search keys with
// the entry's own.
func (x *index) setFuller(id int64, c compared, f fuller) error {
	bands, err := json.Marshal(f.bands)
	if err != nil {
		return err
	}
	_, err = x.tx.ExecContext(x.ctx, setFullerSQL, id, f.source, toNanos(f.copy.Published), f.copy.Dated,
		f.title, f.text, f.words, string(bands), c.ownBands)
	if err != nil {
		return fmt.Errorf("keep fuller copy of entry %d: %w", id, err)
	}
	both, err := unionBands(c.ownBands, f.bands)
	if err != nil {
		return fmt.Errorf("keep fuller copy of entry %d: %w", id, err)
	}
	if _, err := x.tx.ExecContext(x.ctx, `UPDATE entry_texts SET bands = ?2 WHERE entry_id = ?1 AND bands <> ?2`, id, both); err != nil {
		return fmt.Errorf("keep fuller copy of entry %d: %w", id, err)
	}
	if x.keys != nil {
		x.keys.added(f.bands)
	}
	return nil
}

// unionBands is the JSON list of the keys in list own and in more.
func unionBands(own string, more []int64) (string, error) {
	var keys []int64
	if err := json.Unmarshal([]byte(own), &keys); err != nil {
		return "", err
	}
	for _, k := range more {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	b, err := json.Marshal(keys)
	return string(b), err
}

// ownKeysChanged is saveText's for an entry whose own text was read again
// (updated, taken over, re-keyed): it returns the keys entry_texts is to
// hold. A fuller copy stays while it still has dedup.FullerWords more
// words than the entry's own text.
func (x *index) ownKeysChanged(id int64, own string, words int) (string, error) {
	var more int
	var bands string
	err := x.tx.QueryRowContext(x.ctx, `SELECT words, bands FROM fuller_copies WHERE entry_id = ?1`, id).Scan(&more, &bands)
	if errors.Is(err, sql.ErrNoRows) {
		return own, nil
	}
	if err != nil {
		return "", err
	}
	if more < words+dedup.FullerWords {
		_, err := x.tx.ExecContext(x.ctx, `DELETE FROM fuller_copies WHERE entry_id = ?1`, id)
		return own, err
	}
	if _, err := x.tx.ExecContext(x.ctx, `UPDATE fuller_copies SET own_bands = ?2 WHERE entry_id = ?1`, id, own); err != nil {
		return "", err
	}
	var keys []int64
	if err := json.Unmarshal([]byte(bands), &keys); err != nil {
		return "", err
	}
	return unionBands(own, keys)
}

// keepOwnAsFuller is for an entry whose own copy another is about to
// take over (a canonical teaser over the whole post it was merged with):
// the copy it showed becomes its fuller copy when it says more than the
// one taking over, which has words words.
func (x *index) keepOwnAsFuller(id int64, words int) error {
	c, err := x.compared(id)
	if err != nil || !c.ok || c.own < words+dedup.FullerWords || c.own < c.fullerWords {
		return err
	}
	st, _, ok, err := x.readStored(id)
	if err != nil || !ok {
		return err
	}
	var keys []int64
	if err := json.Unmarshal([]byte(c.ownBands), &keys); err != nil {
		return fmt.Errorf("keys of entry %d: %w", id, err)
	}
	return x.setFuller(id, c, fuller{source: st.sourceID, copy: st.copy, title: st.post.Title,
		text: st.post.Text, words: c.own, bands: keys})
}

// passFullest gives entry winner, which entry loser is merged into, the
// text loser was compared by when it is the fuller: its fuller copy, or
// its own.
func (x *index) passFullest(loser, winner int64) error {
	l, err := x.compared(loser)
	if err != nil || !l.ok {
		return err
	}
	w, err := x.compared(winner)
	if err != nil || !w.ok || l.most() < w.most()+dedup.FullerWords {
		return err
	}
	st, _, ok, err := x.readStored(loser)
	if err != nil || !ok {
		return err
	}
	f := fuller{source: st.sourceID, copy: st.copy, title: st.post.Title, text: st.post.Text, words: l.own}
	err = json.Unmarshal([]byte(l.ownBands), &f.bands)
	if st.fuller != nil && l.fullerWords > l.own {
		f = *st.fuller
		err = json.Unmarshal([]byte(st.fullerBands), &f.bands)
	}
	if err != nil {
		return fmt.Errorf("keys of entry %d: %w", loser, err)
	}
	return x.setFuller(winner, w, f)
}

// readFuller sets c.Fuller to the text of f, c's entry's fuller copy, and
// c.FullerItem to the item's, post with bp, when f's source's boilerplate
// makes it differ: each read with both sources' boilerplate left out.
func (x *index) readFuller(c *dedup.Candidate, f *fuller, post dedup.Post, bp dedup.Boilerplate) error {
	if f == nil {
		return nil
	}
	fbp, err := x.boilerplate(f.source, f.learned)
	if err != nil {
		return err
	}
	theirs := dedup.Post{Title: f.title, Text: f.text}
	d := dedup.AnalyzeAgainst(theirs, fbp, post, bp)
	c.Fuller, c.FullerCopy = &d, f.copy
	if fbp.Len() > 0 {
		item := dedup.AnalyzeAgainst(post, bp, theirs, fbp)
		c.FullerItem = &item
	}
	return nil
}

// fullerColumns are the columns of an entry's fuller copy that
// scanFuller reads, from fuller_copies AS f joined with sources AS fs.
const fullerColumns = `f.source_id, f.published, f.dated, f.title, f.text, f.words, f.bands, fs.active, fs.canonical, fs.boilerplate`

// fullerScan receives fullerColumns.
type fullerScan struct {
	source, published, words sql.NullInt64
	dated, active, canonical sql.NullBool
	title, text, bands       sql.NullString
	learned                  []byte
}

func (s *fullerScan) dest() []any {
	return []any{&s.source, &s.published, &s.dated, &s.title, &s.text, &s.words, &s.bands, &s.active, &s.canonical, &s.learned}
}

// fuller returns the scanned fuller copy, nil for none, and its keys.
func (s *fullerScan) fuller() (*fuller, string) {
	if !s.source.Valid {
		return nil, ""
	}
	return &fuller{
		source: s.source.Int64,
		copy: dedup.Copy{Source: s.source.Int64, Published: fromNanos(s.published.Int64), Dated: s.dated.Bool,
			Active: s.active.Bool, Canonical: s.canonical.Bool},
		title: s.title.String, text: s.text.String, words: int(s.words.Int64), learned: s.learned,
	}, s.bands.String
}

// rekeyFullerCopies reads again, with the boilerplate source id has just
// learned (in x.bps), the copies of its that are other sources' entries'
// fuller copies: their search keys were made with the lines it adds to
// every post, unknown then. A copy that no longer says FullerWords more
// than the entry's own text once those lines are left out is dropped.
func (x *index) rekeyFullerCopies(id int64) error {
	copies, err := x.fullerCopiesOf(id)
	if err != nil {
		return err
	}
	for _, c := range copies {
		doc := dedup.Analyze(dedup.Post{Title: c.f.title, Text: c.f.text}, x.bps[id])
		cmp, err := x.compared(c.entry)
		if err != nil {
			return err
		}
		if !cmp.ok {
			continue // no text row: nothing is searched by
		}
		if doc.Words < cmp.own+dedup.FullerWords || doc.Words < dedup.MinWords {
			if err := x.dropFuller(c.entry, cmp.ownBands); err != nil {
				return err
			}
			continue
		}
		c.f.words, c.f.bands = doc.Words, doc.Bands
		if err := x.setFuller(c.entry, cmp, c.f); err != nil {
			return err
		}
	}
	return nil
}

// dropFuller forgets entry id's fuller copy: the entry is searched for by
// its own keys, own, alone.
func (x *index) dropFuller(id int64, own string) error {
	if _, err := x.tx.ExecContext(x.ctx, `DELETE FROM fuller_copies WHERE entry_id = ?1`, id); err != nil {
		return fmt.Errorf("drop fuller copy of entry %d: %w", id, err)
	}
	if _, err := x.tx.ExecContext(x.ctx, `UPDATE entry_texts SET bands = ?2 WHERE entry_id = ?1 AND bands <> ?2`, id, own); err != nil {
		return fmt.Errorf("drop fuller copy of entry %d: %w", id, err)
	}
	return nil
}

// heldFuller is a fuller copy and the entry that keeps it.
type heldFuller struct {
	entry int64
	f     fuller
}

// fullerCopiesOf returns the fuller copies source id gave other entries.
func (x *index) fullerCopiesOf(id int64) ([]heldFuller, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT entry_id, published, dated, title, text FROM fuller_copies WHERE source_id = ?1`, id)
	if err != nil {
		return nil, fmt.Errorf("list fuller copies of source %d: %w", id, err)
	}
	defer rows.Close()
	var out []heldFuller
	for rows.Next() {
		var c heldFuller
		var published int64
		if err := rows.Scan(&c.entry, &published, &c.f.copy.Dated, &c.f.title, &c.f.text); err != nil {
			return nil, fmt.Errorf("list fuller copies of source %d: %w", id, err)
		}
		c.f.source, c.f.copy.Source, c.f.copy.Published = id, id, fromNanos(published)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list fuller copies of source %d: %w", id, err)
	}
	return out, nil
}
