package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
)

// Explained is one stored post as `village dedup explain` shows it: what
// identifies it, what its text comes to without its source's boilerplate,
// its copies and the other entries its text resembles.
type Explained struct {
	Entry       int64
	Source      string // the source's name, else its URL
	SourceID    int64
	Title, Link string
	Published   time.Time
	URLKey      string // canonical URL
	Hash        string // text hash
	HasText     bool   // false for entries stored before texts were kept, until a rescan
	Doc         dedup.Doc
	// FullerFrom names the source of the entry's fuller copy, which it is
	// compared by too, and FullerWords its words; "" for none.
	FullerFrom  string
	FullerWords int
	Copies      []ExplainedCopy
	Candidates  []ExplainedCandidate
	// Alternate is set when the reference named another source's copy of
	// the entry rather than the entry itself.
	Alternate *ExplainedCopy
}

// ExplainedCopy is another source's copy of an entry and why it is one.
type ExplainedCopy struct {
	Source string
	Link   string
	Rule   string // "" for copies recorded before rules were
}

// ExplainedCandidate is an entry whose text shares search keys with the
// explained one, with the verdict on the two texts and what keeps them
// apart, if anything.
type ExplainedCandidate struct {
	Entry     int64
	Source    string
	Title     string
	Published time.Time
	Verdict   dedup.Verdict
	Apart     string // why they are not merged whatever the texts say, or ""
	// Unsearched says, when the search for near-duplicates does not
	// bring the two together, what they lack; "" when it does.
	Unsearched string
}

// ErrAmbiguous is returned by Explain when a reference names several entries.
var ErrAmbiguous = errors.New("store: reference names several entries")

// Explain describes the entry ref names: an entry id, or a URL (the post's
// link or canonical URL, or a copy's link).
func (s *Store) Explain(ctx context.Context, ref string, opts dedup.Options) (Explained, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Explained{}, fmt.Errorf("explain: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	x := newIndex(ctx, tx, nil, opts, 0)
	id, alt, err := x.resolve(ref)
	if err != nil {
		return Explained{}, fmt.Errorf("explain %s: %w", ref, err)
	}
	e, err := x.explain(id)
	if err != nil {
		return Explained{}, fmt.Errorf("explain %s: %w", ref, err)
	}
	e.Alternate = alt
	return e, nil
}

// resolve finds the entry ref names, and the copy when ref is a copy's link.
func (x *index) resolve(ref string) (int64, *ExplainedCopy, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		var found int64
		err := x.tx.QueryRowContext(x.ctx, `SELECT id FROM entries WHERE id = ?1`, id).Scan(&found)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil, ErrNotFound
		}
		return found, nil, err
	}
	rows, err := x.tx.QueryContext(x.ctx, `
		SELECT id, 0, '', '' FROM entries WHERE link = ?1 OR canonical_url = ?2 OR public_id = ?1
		UNION
		SELECT entry_id, 0, '', '' FROM entry_keys WHERE kind = 'url' AND value = ?2
		UNION
		SELECT a.entry_id, 1, coalesce(nullif(s.name, ''), s.url), a.rule
		  FROM alternates AS a JOIN sources AS s ON s.id = a.source_id WHERE a.link = ?1`,
		ref, dedup.CanonicalURL(ref))
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	ids := map[int64]*ExplainedCopy{}
	for rows.Next() {
		var id int64
		var isCopy bool
		var c ExplainedCopy
		if err := rows.Scan(&id, &isCopy, &c.Source, &c.Rule); err != nil {
			return 0, nil, err
		}
		if _, seen := ids[id]; !seen || isCopy {
			ids[id] = nil
			if isCopy {
				c.Link = ref
				ids[id] = &c
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	switch len(ids) {
	case 0:
		return 0, nil, ErrNotFound
	case 1:
		for id, c := range ids {
			return id, c, nil
		}
	}
	return 0, nil, ErrAmbiguous
}

// Pair is two stored posts side by side: one entry (one a copy of the
// other), or two, with the verdict on their texts and what else keeps them
// apart.
type Pair struct {
	A, B       Explained
	Same       bool // one entry already
	Verdict    dedup.Verdict
	Apart      string
	Unsearched string // as ExplainedCandidate's, of B from A
}

// ExplainPair describes the entries a and b name and how they compare.
func (s *Store) ExplainPair(ctx context.Context, a, b string, opts dedup.Options) (Pair, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Pair{}, fmt.Errorf("explain: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	x := newIndex(ctx, tx, nil, opts, 0)
	var p Pair
	for _, side := range []struct {
		ref string
		dst *Explained
	}{{a, &p.A}, {b, &p.B}} {
		id, alt, err := x.resolve(side.ref)
		if err == nil {
			*side.dst, err = x.explain(id)
		}
		if err != nil {
			return Pair{}, fmt.Errorf("explain %s: %w", side.ref, err)
		}
		side.dst.Alternate = alt
	}
	if p.Same = p.A.Entry == p.B.Entry; p.Same || !p.A.HasText || !p.B.HasText {
		return p, nil
	}
	stA, bpA, _, err := x.readStored(p.A.Entry)
	if err != nil {
		return Pair{}, err
	}
	stB, _, _, err := x.readStored(p.B.Entry)
	if err != nil {
		return Pair{}, err
	}
	// As Decide compares them: by the texts the entries keep and by their
	// fuller copies.
	in, err := x.asIncoming(stA, &p.A.Doc)
	if err != nil {
		return Pair{}, err
	}
	c := dedup.Candidate{Entry: p.B.Entry, Owner: stB.copy, Doc: &p.B.Doc}
	if err := x.readFuller(&c, stB.fuller, stA.post, bpA); err != nil {
		return Pair{}, err
	}
	p.Verdict = dedup.Confirm(in, &c)
	p.Apart, err = x.apart(stA, ExplainedCandidate{Entry: p.B.Entry, Source: p.B.Source, Published: p.B.Published}, p.B.SourceID)
	if err != nil {
		return Pair{}, err
	}
	if why, linked := dedup.LinkedOnly(p.A.Doc, p.B.Doc, false); linked && p.Apart == "" && p.A.URLKey != "" && p.A.URLKey == p.B.URLKey {
		p.Apart = why
	}
	p.Unsearched, err = x.unsearched(&p.A.Doc, p.B.Entry)
	return p, err
}

// asIncoming is stored entry st, read as doc, as Decide would compare it
// with another: with its fuller copy.
func (x *index) asIncoming(st stored, doc *dedup.Doc) (dedup.Incoming, error) {
	in := dedup.Incoming{Copy: st.copy, Doc: doc}
	if st.fuller != nil {
		var f dedup.Candidate
		if err := x.readFuller(&f, st.fuller, dedup.Post{}, dedup.Boilerplate{}); err != nil {
			return in, err
		}
		in.Fuller, in.FullerCopy = f.Fuller, f.FullerCopy
	}
	return in, nil
}

// unsearched says why the near-duplicate search from doc does not find
// entry (see similarSQL: one whole-text key, or two of the leads'), or ""
// when it does. Explain lists an entry's look-alikes by any key they
// share, so that a copy the search misses shows, with why.
func (x *index) unsearched(doc *dedup.Doc, entry int64) (string, error) {
	full, err := x.sharedKeys(doc.Bands[:doc.LeadAt], entry)
	if err != nil {
		return "", err
	}
	lead, err := x.sharedKeys(doc.Bands[doc.LeadAt:], entry)
	if err != nil || searchFinds(full, lead) {
		return "", err
	}
	keys := "lead keys"
	if lead == 1 {
		keys = "lead key"
	}
	return fmt.Sprintf("the search does not bring them together (they share %d %s and no whole-text key; it needs two lead keys or one whole-text key)", lead, keys), nil
}

// sharedKeys counts the keys of bands that entry is stored under, leaving
// out, as similarSQL does, those more than maxKeyEntries entries share.
func (x *index) sharedKeys(bands []int64, entry int64) (int, error) {
	if len(bands) == 0 {
		return 0, nil
	}
	list, err := json.Marshal(bands)
	if err != nil {
		return 0, err
	}
	var n int
	err = x.tx.QueryRowContext(x.ctx, `SELECT count(*) FROM search_keys AS k
		WHERE k.entry_id = ?1 AND k.band IN (SELECT value FROM json_each(?2))
		  AND (SELECT count(*) FROM (SELECT 1 FROM search_keys AS s WHERE s.band = k.band LIMIT ?3 + 1)) <= ?3`,
		entry, string(list), maxKeyEntries).Scan(&n)
	return n, err
}

func (x *index) explain(id int64) (Explained, error) {
	st, bp, ok, err := x.readStored(id)
	if err != nil {
		return Explained{}, err
	}
	if !ok {
		return Explained{}, ErrNotFound
	}
	e := Explained{Entry: id, SourceID: st.sourceID, Title: st.post.Title, Published: st.copy.Published, Hash: st.contentHash, HasText: st.hasText}
	err = x.tx.QueryRowContext(x.ctx, `SELECT e.link, e.canonical_url, coalesce(nullif(s.name, ''), s.url)
		FROM entries AS e JOIN sources AS s ON s.id = e.source_id WHERE e.id = ?1`, id).Scan(&e.Link, &e.URLKey, &e.Source)
	if err != nil {
		return Explained{}, err
	}
	if e.Copies, err = x.copiesOf(id); err != nil {
		return Explained{}, err
	}
	if st.fuller != nil {
		e.FullerWords = st.fuller.words
		err = x.tx.QueryRowContext(x.ctx, `SELECT coalesce(nullif(name, ''), url) FROM sources WHERE id = ?1`, st.fuller.source).Scan(&e.FullerFrom)
		if err != nil {
			return Explained{}, err
		}
	}
	if !st.hasText {
		return e, nil
	}
	e.Doc = dedup.Analyze(st.post, bp)
	e.Candidates, err = x.lookalikes(st, bp, &e.Doc)
	return e, err
}

func (x *index) copiesOf(id int64) ([]ExplainedCopy, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT coalesce(nullif(s.name, ''), s.url), a.link, a.rule
		FROM alternates AS a JOIN sources AS s ON s.id = a.source_id WHERE a.entry_id = ?1 ORDER BY a.rowid`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExplainedCopy
	for rows.Next() {
		var c ExplainedCopy
		if err := rows.Scan(&c.Source, &c.Link, &c.Rule); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// lookalikesSQL lists every entry that shares a search key with a text,
// window or source aside: explain says why each is kept apart.
const lookalikesSQL = `
SELECT e.id, e.source_id, coalesce(nullif(s.name, ''), s.url), e.title, e.categories,
       e.published, e.dated, t.text, e.content, s.boilerplate, ` + fullerColumns + `
  FROM entries AS e
  JOIN entry_texts AS t ON t.entry_id = e.id
  JOIN sources AS s ON s.id = e.source_id
  LEFT JOIN fuller_copies AS f ON f.entry_id = e.id
  LEFT JOIN sources AS fs ON fs.id = f.source_id
 WHERE e.id IN (SELECT entry_id FROM search_keys WHERE band IN (SELECT value FROM json_each(?1)))
   AND e.id <> ?2
 ORDER BY e.id`

// maxLookalikes bounds what explain lists, the closest first.
const maxLookalikes = 10

func (x *index) lookalikes(st stored, bp dedup.Boilerplate, doc *dedup.Doc) ([]ExplainedCandidate, error) {
	bands, err := json.Marshal(doc.Bands)
	if err != nil {
		return nil, err
	}
	rows, err := x.tx.QueryContext(x.ctx, lookalikesSQL, string(bands), st.id)
	if err != nil {
		return nil, err
	}
	in, err := x.asIncoming(st, doc)
	if err != nil {
		return nil, err
	}
	var out []ExplainedCandidate
	var sources []int64
	for rows.Next() {
		var c ExplainedCandidate
		var p dedup.Post
		var cats, content string
		var published int64
		var dated bool
		var learned []byte
		var src int64
		var fs fullerScan
		if err := rows.Scan(append([]any{&c.Entry, &src, &c.Source, &p.Title, &cats, &published, &dated, &p.Text, &content, &learned}, fs.dest()...)...); err != nil {
			rows.Close()
			return nil, err
		}
		p.Text = textOf(p.Text, content)
		if p.Categories, err = decodeList(cats); err != nil {
			rows.Close()
			return nil, err
		}
		theirs, err := x.boilerplate(src, learned)
		if err != nil {
			rows.Close()
			return nil, err
		}
		c.Title, c.Published = p.Title, fromNanos(published)
		// As Decide compares them: by their kept texts and fuller copies.
		theirDoc, ourDoc := dedup.AnalyzeAgainst(p, theirs, st.post, bp), dedup.AnalyzeAgainst(st.post, bp, p, theirs)
		cand := dedup.Candidate{Entry: c.Entry, Owner: dedup.Copy{Source: src, Dated: dated, Published: c.Published}, Doc: &theirDoc, Item: &ourDoc}
		f, _ := fs.fuller()
		if err := x.readFuller(&cand, f, st.post, bp); err != nil {
			rows.Close()
			return nil, err
		}
		c.Verdict = dedup.Confirm(in, &cand)
		out = append(out, c)
		sources = append(sources, src)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Apart, err = x.apart(st, out[i], sources[i]); err != nil {
			return nil, err
		}
		if out[i].Unsearched, err = x.unsearched(doc, out[i].Entry); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b ExplainedCandidate) int {
		return cmp.Compare(b.Verdict.Jaccard+b.Verdict.Containment, a.Verdict.Jaccard+a.Verdict.Containment)
	})
	return out[:min(len(out), maxLookalikes)], nil
}

// apart says what keeps an entry and a look-alike apart besides their texts.
func (x *index) apart(st stored, c ExplainedCandidate, source int64) (string, error) {
	w := x.opts.WindowOrDefault()
	switch d := st.copy.Published.Sub(c.Published); {
	case source == st.sourceID:
		// Name it: the references explained may be other sources'
		// copies, held by two entries of this one.
		return fmt.Sprintf("same source: entries %d and %d are both %s's, and within a source its own ids decide", st.id, c.Entry, c.Source), nil
	case d > w || d < -w:
		return fmt.Sprintf("published %s apart, beyond the %s window", roundDays(d), roundDays(w)), nil
	}
	share, err := x.shareSource(st.id, c.Entry)
	if err != nil || !share {
		return "", err
	}
	return "one source has copies of both: its own ids decide", nil
}

func roundDays(d time.Duration) string {
	return strconv.Itoa(int(max(d, -d).Hours()/24)) + "d"
}
