package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
)

// index finds the stored entries an item may be a copy of, inside one
// transaction: by the item's exact keys, and by its near-duplicate search
// keys. It only reads; what to do with the candidates is dedup.Decide's.
type index struct {
	ctx   context.Context
	tx    *sql.Tx
	st    *txStatements
	opts  dedup.Options
	round int64                       // the poll round of the items looked up (unix ns); 0 for none
	bps   map[int64]dedup.Boilerplate // sources' learned boilerplate, parsed once
	// fresh holds the entries whose text and keys this transaction saved,
	// read with the boilerplate in force now: re-keying passes them by.
	fresh map[int64]bool
	// docs, when not nil, keeps candidates' readings across transactions.
	docs *readings
	// keys, when not nil, is told of every search key saved, and lookups
	// skip the keys its filter rules out.
	keys *searchKeys
}

func newIndex(ctx context.Context, tx *sql.Tx, st *txStatements, opts dedup.Options, round int64) *index {
	return &index{ctx: ctx, tx: tx, st: st, opts: opts, round: round, bps: map[int64]dedup.Boilerplate{}, fresh: map[int64]bool{}}
}

// query runs one of the statements the write path prepared, or, in a
// read-only transaction (`village dedup explain`), the same SQL unprepared.
func (x *index) query(q string, args ...any) (*sql.Rows, error) {
	if x.st != nil {
		switch q {
		case exactSQL:
			return x.st.exact.QueryContext(x.ctx, args...)
		case similarSQL:
			return x.st.similar.QueryContext(x.ctx, args...)
		}
	}
	return x.tx.QueryContext(x.ctx, q, args...)
}

// entryRow is what the saver needs of an entry found by an exact key to
// update it in place.
type entryRow struct {
	sourceID                    int64
	fingerprint                 []byte
	firstSeen, updated, publish time.Time
	guid, link, itemKey         string // itemKey "" for rows from before keys were kept
	match                       dedup.Match
	// itemDigest is the digest stored with the item key, when the item's
	// key found the entry (see KnownItems).
	itemDigest []byte
}

// exactSQL finds the entries an item's keys name, one primary-key probe per
// key; an empty key matches nothing because none is ever stored. ?5 is the
// item's source, to tell whether it already has a copy of the entry. ?6 is
// the URL of the post the item says it copies (model.Entry.OriginURL),
// which names another source's entry as its own URL would.
const exactSQL = `
WITH hits (kind, entry_id, digest) AS (
	SELECT kind, entry_id, digest FROM entry_keys WHERE kind = 'item' AND value = ?1
	UNION ALL
	SELECT kind, entry_id, NULL FROM entry_keys WHERE kind = 'url' AND value = ?2
	UNION ALL
	SELECT kind, entry_id, NULL FROM entry_keys WHERE kind = 'hash' AND value IN (?3, ?4)
	UNION ALL
	SELECT 'origin', entry_id, NULL FROM entry_keys WHERE kind = 'url' AND value = ?6 AND ?6 <> ?2
)
SELECT h.kind, e.id, e.source_id, e.fingerprint, e.first_seen, e.updated,
       e.published, e.guid, e.link, e.item_key, e.dated, e.first_round, s.active, s.canonical, h.digest,
       EXISTS (SELECT 1 FROM alternates AS a WHERE a.entry_id = e.id AND a.source_id = ?5)
  FROM hits AS h
  JOIN entries AS e ON e.id = h.entry_id
  JOIN sources AS s ON s.id = e.source_id
 WHERE h.kind <> 'origin' OR e.source_id <> ?5
 ORDER BY e.id`

var matchOfKind = map[string]dedup.Match{"item": dedup.MatchItem, "url": dedup.MatchURL, "origin": dedup.MatchURL, "hash": dedup.MatchHash}

// exact returns the candidates an item's keys name, and the rows of their
// entries by id. stripped is the text hash without the source's
// boilerplate, origin the URL of the post the item says it copies.
func (x *index) exact(sourceID int64, itemKey, url, hash, stripped, origin string) ([]dedup.Candidate, map[int64]entryRow, error) {
	rows, err := x.query(exactSQL, itemKey, url, hash, stripped, sourceID, origin)
	if err != nil {
		return nil, nil, fmt.Errorf("look up keys: %w", err)
	}
	defer rows.Close()
	var cands []dedup.Candidate
	var byID map[int64]entryRow
	for rows.Next() {
		var (
			kind                                    string
			c                                       dedup.Candidate
			r                                       entryRow
			firstSeen, updated, published, firstRnd int64
		)
		err := rows.Scan(&kind, &c.Entry, &r.sourceID, &r.fingerprint, &firstSeen, &updated,
			&published, &r.guid, &r.link, &r.itemKey, &c.Owner.Dated, &firstRnd, &c.Owner.Active,
			&c.Owner.Canonical, &r.itemDigest, &c.HasCopyFromSource)
		if err != nil {
			return nil, nil, fmt.Errorf("look up keys: %w", err)
		}
		r.firstSeen, r.updated, r.publish = fromNanos(firstSeen), fromNanos(updated), fromNanos(published)
		r.match, c.Match = matchOfKind[kind], matchOfKind[kind]
		c.NamedOrigin = kind == "origin"
		c.Owner.Source, c.Owner.Published = r.sourceID, r.publish
		c.SameRound = firstRnd != 0 && firstRnd == x.round
		if byID == nil {
			byID = map[int64]entryRow{}
		}
		if prev, seen := byID[c.Entry]; !seen || r.match < prev.match {
			byID[c.Entry] = r
		}
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("look up keys: %w", err)
	}
	for i := range cands { // an entry the item names names it whatever key found it
		cands[i].NamedOrigin = slices.ContainsFunc(cands, func(c dedup.Candidate) bool { return c.Entry == cands[i].Entry && c.NamedOrigin })
	}
	return cands, byID, nil
}

// similarSQL finds the entries that share near-duplicate search keys with
// an item: one of the whole text's (?1), or two of the leads' (?6), for a
// lead made of a common phrase or a line of code meets other posts' now
// and then, while a copy's lead meets its post's on most keys. One index
// probe per key, then only entries of other sources, published within the
// window (or undated: their date is when they were first seen, see
// similar), of which the item's source has no copy yet; of those, the ?7
// that share the most keys (a whole-text key counts two, a lead key one).
// ?5 is an entry to leave out (the one being re-examined), or 0.
//
// Only the texts of those ?7 (maxCandidates) are read: a key made of what
// many posts share (a common code listing, a licence) meets more posts the
// more are stored, and reading and comparing every one of them made a
// lookup cost grow with the planet. A copy shares many keys with its post,
// a look-alike few.
//
// A key that more than ?8 (maxKeyEntries) stored entries share is left
// out: it was made of what many posts have in common, it tells nothing of
// which post an item copies, and reading its entries made a lookup cost
// grow with the planet. Finding that out costs one probe of the index
// that reads ?8 + 1 rows at most.
const similarSQL = `
WITH keys (band, weight) AS (
	SELECT value, 2 FROM json_each(?1)
	UNION ALL
	SELECT value, 1 FROM json_each(?6)
),
telling (band, weight) AS (
	SELECT band, weight FROM keys
	 WHERE (SELECT count(*) FROM (SELECT 1 FROM search_keys AS s WHERE s.band = keys.band LIMIT ?8 + 1)) <= ?8
),
hits (entry_id, weight) AS (
	SELECT entry_id, 2 FROM search_keys WHERE band IN (SELECT band FROM telling WHERE weight = 2)
	UNION ALL
	SELECT entry_id, 1 FROM search_keys WHERE band IN (SELECT band FROM telling WHERE weight = 1)
),
shared (entry_id, score) AS (
	SELECT entry_id, sum(weight) FROM hits GROUP BY entry_id HAVING sum(weight) >= 2
),
picked (entry_id) AS (
	SELECT k.entry_id
	  FROM shared AS k
	  JOIN entries AS e ON e.id = k.entry_id
	 WHERE e.source_id <> ?2
	   AND (e.published BETWEEN ?3 AND ?4 OR NOT e.dated)
	   AND e.id <> ?5
	   AND NOT EXISTS (SELECT 1 FROM alternates AS a WHERE a.entry_id = e.id AND a.source_id = ?2)
	 ORDER BY k.score DESC, k.entry_id
	 LIMIT ?7
)
SELECT e.id, e.source_id, e.published, e.dated, e.first_round, e.title,
       e.categories, t.text, e.content, e.fingerprint, s.active, s.canonical, s.boilerplate,
       ` + fullerColumns + `
  FROM picked AS p
  JOIN entries AS e ON e.id = p.entry_id
  JOIN entry_texts AS t ON t.entry_id = e.id
  JOIN sources AS s ON s.id = e.source_id
  LEFT JOIN fuller_copies AS f ON f.entry_id = e.id
  LEFT JOIN sources AS fs ON fs.id = f.source_id
 ORDER BY e.id`

// maxCandidates is how many near-duplicate candidates one item's lookup
// reads and compares at most (see similarSQL). The copies of a post
// already merged are alternates of one entry, not candidates each, so a
// post cross-posted on a dozen blogs is one candidate for the thirteenth
// copy; an item meets more than this only when it shares common text with
// many stored posts. 8 read 9% less CPU than 16 on the 10000x10 farm and
// found every pair of the labelled corpus as well.
const maxCandidates = 8

// maxKeyEntries is how many stored entries may share a search key for it
// to count in a lookup (see similarSQL). A copy shares a dozen keys or
// more with its post, most of them with no other; the copies of one post
// are one entry.
const maxKeyEntries = 32

// searchFinds reports whether similarSQL finds an entry that shares full
// whole-text keys and lead lead keys with an item: a whole-text key weighs
// two, a lead key one, and it takes two.
func searchFinds(full, lead int) bool { return 2*full+lead >= 2 }

// similar returns the entries whose texts may be copies of an item's, for
// Decide to confirm: the item is post, read as doc with its source's
// boilerplate bp left out; each candidate's text, and the item's again when
// the candidate's source knows other boilerplate, is read with both
// sources' boilerplate left out. published is the item's date, the centre
// of the window, unless dated is false: an undated copy (a plain-text
// mirror) has only the time it was first seen, which says nothing of when
// its post was published, and is looked for at any date.
func (x *index) similar(sourceID int64, post dedup.Post, bp dedup.Boilerplate, doc *dedup.Doc, published time.Time, dated bool, except int64) ([]dedup.Candidate, error) {
	if len(doc.Bands) == 0 {
		return nil, nil
	}
	fullKeys, leadKeys := doc.Bands[:doc.LeadAt], doc.Bands[doc.LeadAt:]
	if x.keys != nil {
		fullKeys, leadKeys = x.keys.filter.present(fullKeys), x.keys.filter.present(leadKeys)
		if !searchFinds(len(fullKeys), len(leadKeys)) {
			return nil, nil
		}
	}
	full, err := json.Marshal(fullKeys)
	if err != nil {
		return nil, err
	}
	leads, err := json.Marshal(leadKeys)
	if err != nil {
		return nil, err
	}
	from, to := toNanos(published.Add(-x.opts.WindowOrDefault())), toNanos(published.Add(x.opts.WindowOrDefault()))
	if !dated {
		from, to = math.MinInt64, math.MaxInt64
	}
	rows, err := x.query(similarSQL, string(full), sourceID, from, to, except, string(leads), maxCandidates, maxKeyEntries)
	if err != nil {
		return nil, fmt.Errorf("look up similar texts: %w", err)
	}
	defer rows.Close()
	var cands []dedup.Candidate
	for rows.Next() {
		c := dedup.Candidate{Match: dedup.MatchSimilar}
		var (
			p                   dedup.Post
			cats, content       string
			learned, version    []byte
			published, firstRnd int64
			fs                  fullerScan
		)
		err := rows.Scan(append([]any{&c.Entry, &c.Owner.Source, &published, &c.Owner.Dated, &firstRnd,
			&p.Title, &cats, &p.Text, &content, &version, &c.Owner.Active, &c.Owner.Canonical, &learned}, fs.dest()...)...)
		if err != nil {
			return nil, fmt.Errorf("look up similar texts: %w", err)
		}
		if p.Categories, err = decodeList(cats); err != nil {
			return nil, fmt.Errorf("look up similar texts: entry %d: %w", c.Entry, err)
		}
		c.Owner.Published = fromNanos(published)
		c.SameRound = firstRnd != 0 && firstRnd == x.round
		theirs, err := x.boilerplate(c.Owner.Source, learned)
		if err != nil {
			return nil, err
		}
		// A candidate's text is read from its content only when no reading
		// of it is kept: its fingerprint tells an entry changed since.
		if theirs.Len() == 0 && bp.Len() == 0 && x.docs != nil {
			d := x.docs.read(c.Entry, p.Title, version, func() dedup.Post {
				p.Text = textOf(p.Text, content)
				return p
			})
			c.Doc = &d
		} else {
			p.Text = textOf(p.Text, content)
			readAgainst(&c, p, theirs, post, bp)
		}
		f, _ := fs.fuller()
		if err := x.readFuller(&c, f, post, bp); err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up similar texts: %w", err)
	}
	return cands, nil
}

// readAgainst sets c.Doc to the text of c's entry, whose post is theirs
// and its source's boilerplate tbp, and c.Item to the item's, post with
// bp, when tbp makes it differ from Incoming.Doc: each read with both
// sources' boilerplate left out (see dedup.AnalyzeAgainst).
func readAgainst(c *dedup.Candidate, theirs dedup.Post, tbp dedup.Boilerplate, post dedup.Post, bp dedup.Boilerplate) {
	d := dedup.AnalyzeAgainst(theirs, tbp, post, bp)
	c.Doc = &d
	if tbp.Len() > 0 {
		item := dedup.AnalyzeAgainst(post, bp, theirs, tbp)
		c.Item = &item
	}
}

// readCandidate reads the text of c's entry, found by an exact key, for
// Decide to judge an item whose post is post, whose canonical URL is url,
// and whose source's boilerplate is bp, against it, and whether the
// entry's copy says it copies the item. An entry stored without its text
// is left unread: its key decides.
func (x *index) readCandidate(c *dedup.Candidate, post dedup.Post, url string, bp dedup.Boilerplate) error {
	st, theirs, ok, err := x.readRow(c.Entry)
	if err != nil || !ok || !st.hasText {
		return err
	}
	text := func() dedup.Post {
		if st.content != "" && st.post.Text == "" {
			st.post.Text = textOf("", st.content)
		}
		return st.post
	}
	// An entry the item names as its original does not name the item.
	c.NamesItem = url != "" && !c.NamedOrigin && dedup.OriginURL(st.content, text().Text, st.canonical) == url
	if theirs.Len() == 0 && bp.Len() == 0 && x.docs != nil {
		// As similar reads it: the search that follows finds the reading kept.
		d := x.docs.read(c.Entry, st.post.Title, st.fingerprint, text)
		c.Doc = &d
	} else {
		readAgainst(c, text(), theirs, post, bp)
	}
	return x.readFuller(c, st.fuller, post, bp)
}

// boilerplate returns source id's learned boilerplate, parsing data the
// first time the transaction meets the source.
func (x *index) boilerplate(id int64, data []byte) (dedup.Boilerplate, error) {
	if bp, ok := x.bps[id]; ok {
		return bp, nil
	}
	bp, err := dedup.ParseBoilerplate(data)
	if err != nil {
		return dedup.Boilerplate{}, fmt.Errorf("source %d: %w", id, err)
	}
	x.bps[id] = bp
	return bp, nil
}
