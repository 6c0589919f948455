package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
)

// Refresh is one successful poll of a source: the validators and feed
// metadata to remember, and the entries as parsed.
type Refresh struct {
	CheckedAt time.Time
	NextCheck time.Time
	// Round is when the poll round this refresh belongs to began: every
	// source polled in one pass of `village fetch`, or found due together by
	// the scheduler (all of them, on a cold start). Zero means CheckedAt.
	Round              time.Time
	Status             int
	ETag, LastModified string
	FeedID, FeedTitle  string
	Entries            []model.Entry // as parsed; SourceID, ID and FirstSeen are ignored
	Notes              []string      // what the parse repaired or guessed, kept on the source
	// MaxArrivals is how many new entries this refresh may put on the
	// merged feed's newest page, the PageSize newest entries; the others
	// are listed just below it (see floodDates). 0 means no limit.
	MaxArrivals, PageSize int
	Dedup                 dedup.Options
	// BodyDigest identifies the body the entries were read from, and how
	// (see model.Source.BodyDigest); nil for none.
	BodyDigest []byte
	// Known, when not nil, is what told the parser which items are stored
	// as they read: those entries are Known, and counted unchanged.
	Known *KnownItems

	ahead *readAhead // the posts read ahead (ReadAhead); nil to read them here
}

// Result counts what SaveRefresh did with each entry of a refresh, for the
// refresh log line and metrics.
type Result struct {
	New        int // stored as new entries
	Updated    int // this source's entries changed in place
	Duplicates int // cross-posts newly recorded as alternates, and repeats within the refresh
	Unchanged  int // known entries and alternates with nothing new
	Skipped    int // items with neither GUID nor link: nothing to know them by
	Pruned     int // items retention pruned that the source still lists: not brought back
	Merged     int // stored entries found to be copies once the source's boilerplate changed
}

// SaveRefresh stores one successful poll of a source in a single
// transaction: the entries, de-duplicated against everything stored, and the
// source's new validators and state. All of it or none of it is saved, so
// validators can never be saved without their entries (a later conditional
// GET would then hide them forever); refreshes saved at the same time share
// the transaction (see batch.go), and SaveRefresh returns once it has
// committed. It returns ErrNotFound for an unknown source.
func (s *Store) SaveRefresh(ctx context.Context, sourceID int64, r Refresh) (Result, error) {
	res, err := s.saveRefresh(ctx, sourceID, r)
	if err != nil {
		return Result{}, fmt.Errorf("save refresh of source %d: %w", sourceID, err)
	}
	return res, nil
}

func (s *Store) saveRefresh(ctx context.Context, sourceID int64, r Refresh) (Result, error) {
	return s.save(ctx, sourceID, &r)
}

// saveIn saves one refresh inside tx, which other refreshes may share.
func (s *Store) saveIn(ctx context.Context, tx *sql.Tx, sourceID int64, r *Refresh) (Result, error) {
	known, err := s.checkKnown(ctx, tx, sourceID, r)
	if err != nil {
		return Result{}, err
	}
	st := s.stmts.bind(ctx, tx)
	if err := saveSource(ctx, st, sourceID, r); err != nil {
		return Result{}, err
	}
	cutoff, err := s.pageCutoff(ctx, tx, r)
	if err != nil {
		return Result{}, err
	}
	sv, err := newSaver(ctx, tx, st, sourceID, r)
	if err != nil {
		return Result{}, err
	}
	sv.docs, sv.keys, sv.known = s.readings, s.keys, known
	for i := range r.Entries {
		// The driver only notices a cancelled ctx while it waits; checking
		// here bounds the work a shutdown has to wait for.
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if err := sv.save(&r.Entries[i], r.ahead.doc(i, sv.src.boilerplate)); err != nil {
			return Result{}, err
		}
		if s.afterEntry != nil {
			if err := s.afterEntry(i + 1); err != nil {
				return Result{}, err
			}
		}
	}
	if err := limitFlood(ctx, tx, r, sv.inserted, cutoff); err != nil {
		return Result{}, err
	}
	if err := sv.rekeyIfLearned(); err != nil {
		return Result{}, err
	}
	return sv.res, nil
}

func saveSource(ctx context.Context, st *txStatements, sourceID int64, r *Refresh) error {
	res, err := st.saveSource.ExecContext(ctx, sourceID, r.FeedID, r.FeedTitle,
		r.ETag, r.LastModified, r.Status, toNanos(r.CheckedAt), toNanos(r.NextCheck), encodeList(r.Notes),
		append([]byte{}, r.BodyDigest...)) // never NULL
	if err != nil {
		return fmt.Errorf("update source: %w", err)
	}
	return mustAffect(res)
}

// saver de-duplicates the entries of one refresh inside its transaction:
// it finds the candidates an item's keys name, lets dedup.Decide choose,
// and runs the statements that carry the decision out.
type saver struct {
	*index
	src       sourceDedup
	keyPrefix string // "<source_id>:"
	checkedAt time.Time
	// touched holds the entries this refresh already stored, updated or
	// recorded an alternate for: a second item that maps to one of them is
	// a repeat within the feed, and the first one wins.
	touched map[int64]bool
	// listed holds the item keys of every item in this refresh.
	listed  map[string]bool
	scratch []byte
	res     Result
	// buried (are there tombstones at all?) lets an item no entry knows be
	// checked against the keys of pruned entries.
	buried bool
	// learned is set when this refresh changed the source's boilerplate.
	learned bool
	// inserted are the entries this refresh stored as new, in feed order,
	// for flood control.
	inserted []arrival
	// known holds the entry of each item stored as it reads, by item key.
	known map[string]int64
}

func newSaver(ctx context.Context, tx *sql.Tx, st *txStatements, sourceID int64, r *Refresh) (*saver, error) {
	sv := &saver{
		index:     newIndex(ctx, tx, st, r.Dedup, toNanos(cmp.Or(r.Round, r.CheckedAt))),
		keyPrefix: sourceKeyPrefix(sourceID),
		checkedAt: r.CheckedAt,
		touched:   make(map[int64]bool, len(r.Entries)),
		listed:    listedKeys(sourceID, r.Entries),
	}
	var err error
	if sv.src, sv.learned, err = sv.learn(sourceID, r.Entries, r.ahead); err != nil {
		return nil, err
	}
	if sv.buried, err = hasTombstones(ctx, tx); err != nil {
		return nil, err
	}
	return sv, nil
}

// sourceKeyPrefix is what the item keys of source id begin with.
func sourceKeyPrefix(id int64) string { return strconv.FormatInt(id, 10) + ":" }

// itemKey is how the source knows the item: "<source_id>:<key>" (keyOf).
func (sv *saver) itemKey(e *model.Entry) string {
	if k := keyOf(e); k != "" {
		return sv.keyPrefix + k
	}
	return ""
}

// keyOf is the key e is known by within its source: the key the parser
// gave it, else its GUID, else its link.
func keyOf(e *model.Entry) string {
	return cmp.Or(e.ItemKey, e.GUID, e.Link)
}

// save stores e; read, when not nil, is its post read ahead with the
// boilerplate in force.
func (sv *saver) save(e *model.Entry, read *dedup.Doc) error {
	key := sv.itemKey(e)
	if key == "" {
		sv.res.Skipped++
		return nil
	}
	if e.Known {
		// Stored as it reads: its entry is this refresh's, as an
		// unchanged item's would be.
		sv.touched[sv.known[key]] = true
		sv.res.Unchanged++
		return nil
	}
	if sv.opts.Off {
		// An origin line is read by its words, as near-duplicates are:
		// off with them, URLs and exact texts alone match.
		e.OriginURL = ""
	}
	it := sv.item(e, key, read)
	cands, rows, err := sv.exact(sv.src.id, key, e.CanonicalURL, e.ContentHash, it.hash, e.OriginURL)
	if err != nil {
		return err
	}
	if len(cands) == 0 && sv.buried {
		pruned, err := sv.isBuried(key, e.CanonicalURL, e.ContentHash, it.hash)
		if pruned {
			sv.res.Pruned++
		}
		if pruned || err != nil {
			return err
		}
	}
	in := dedup.Incoming{Copy: it.copy, Doc: it.doc}
	if it.doc != nil {
		if cands, err = sv.nearby(in, postOf(e), e.GUID, e.CanonicalURL, cands); err != nil {
			return err
		}
	}
	for i := range cands {
		cands[i].Touched = sv.touched[cands[i].Entry]
		cands[i].OwnKeyListed = sv.isListedOwn(cands[i].Entry, rows, key)
	}
	d := dedup.Decide(in, cands)
	id, err := sv.apply(d, it, rows[d.Entry])
	if err != nil {
		return err
	}
	owner, part := ownerAfter(it.copy, d, cands)
	id, merged, err := sv.mergeOthers(id, owner, part, dedup.Others(in, cands, d))
	if err != nil {
		return err
	}
	if err := sv.claimURL(id, e, in, cands); err != nil {
		return err
	}
	if d.Action == dedup.Alternate && it.doc != nil {
		f := fuller{source: sv.src.id, copy: it.copy, title: e.Title, text: e.Text, words: it.doc.Words, bands: it.doc.Bands}
		if err := sv.keepFuller(id, f); err != nil {
			return err
		}
		if err := sv.keepTeaser(id, it, d); err != nil {
			return err
		}
	}
	if d.Action != dedup.Repeat {
		if err := sv.claimTeasers(id, in, cands); err != nil {
			return err
		}
	}
	sv.res.Merged += merged
	sv.touched[id] = true
	return nil
}

// claimURL moves the key of e's canonical URL to entry id when another
// source's entry held it but the texts disputed it (a link blog's post
// about the post, read first), and e names itself by that URL (its GUID
// is it): the post's own copies, and a feed that gives only a blurb under
// the post's URL and id, then find the post by it.
func (sv *saver) claimURL(id int64, e *model.Entry, in dedup.Incoming, cands []dedup.Candidate) error {
	if e.CanonicalURL == "" || dedup.CanonicalURL(e.GUID) != e.CanonicalURL ||
		!slices.ContainsFunc(cands, func(c dedup.Candidate) bool { return c.Entry != id && dedup.Disputed(in, c) }) {
		return nil
	}
	_, err := sv.tx.ExecContext(sv.ctx, `UPDATE entry_keys SET entry_id = ?1 WHERE kind = 'url' AND value = ?2`, id, e.CanonicalURL)
	if err != nil {
		return fmt.Errorf("claim URL of %q: %w", e.CanonicalURL, err)
	}
	return nil
}

// nearby adds to the exact candidates of item in, whose post is post,
// whose id is guid and whose canonical URL is url, what Decide needs to
// judge them by their texts: for every other source's entry found by the
// item's URL (or by the URL of the post the item says it copies), whether
// it has a copy under the same id published within the window (a blog
// that reuses a URL and its id for a new post years later has two posts),
// else its text and whether its copy names the item as its original; for
// a changed copy of another source's entry, its text; and the
// near-duplicate search's, unless an exact candidate of another kind
// stands. A URL shared with another source's entry does not
// stop the search: the post's copies may have made an entry of their own
// before it came (a blog's summary feed, read first, made one under the
// post's URL; its syndicators' copies another), and Others merges them.
func (sv *saver) nearby(in dedup.Incoming, post dedup.Post, guid, url string, cands []dedup.Candidate) ([]dedup.Candidate, error) {
	search := true
	for i := range cands {
		c := &cands[i]
		if c.Match == dedup.MatchItem && c.Owner.Source != sv.src.id && c.Doc == nil {
			// A copy of another source's entry, changed: which of the
			// two is the whole post decides which is kept.
			if err := sv.readCandidate(c, post, url, sv.src.boilerplate); err != nil {
				return nil, err
			}
		}
		if c.Match != dedup.MatchURL || c.Owner.Source == sv.src.id {
			search = false // its own id, its text, or its source's URL decides
			continue
		}
		var err error
		if gap := in.Copy.Published.Sub(c.Owner.Published); max(gap, -gap) <= sv.opts.WindowOrDefault() {
			c.SameID, err = sv.hasCopyWithID(c.Entry, guid)
		}
		if err == nil && !c.SameID {
			err = sv.readCandidate(c, post, url, sv.src.boilerplate)
		}
		if err != nil {
			return nil, err
		}
	}
	if !search {
		return cands, nil
	}
	similar, err := sv.similar(sv.src.id, post, sv.src.boilerplate, in.Doc, in.Copy.Published, in.Copy.Dated, 0)
	return append(cands, similar...), err
}

// hasCopyWithIDSQL tells whether entry ?1 has a copy, kept or alternate,
// under the id ?2.
const hasCopyWithIDSQL = `
SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1 AND guid = ?2)
    OR EXISTS (SELECT 1 FROM alternates WHERE entry_id = ?1 AND guid = ?2)`

// hasCopyWithID reports whether entry id has a copy under the item id guid.
func (sv *saver) hasCopyWithID(id int64, guid string) (bool, error) {
	if guid == "" {
		return false, nil
	}
	var has bool
	if err := sv.tx.QueryRowContext(sv.ctx, hasCopyWithIDSQL, id, guid).Scan(&has); err != nil {
		return false, fmt.Errorf("look up copies of entry %d: %w", id, err)
	}
	return has, nil
}

// incoming is an item of this refresh with what de-duplication made of it.
type incoming struct {
	e    *model.Entry
	key  string
	fp   []byte
	copy dedup.Copy
	doc  *dedup.Doc // nil when near-duplicate detection is off
	hash string     // the text hash without the source's boilerplate
}

func (sv *saver) item(e *model.Entry, key string, read *dedup.Doc) incoming {
	it := incoming{
		e:    e,
		key:  key,
		fp:   fingerprint(&sv.scratch, e),
		hash: e.ContentHash,
		copy: dedup.Copy{
			Source:    sv.src.id,
			Canonical: sv.src.canonical,
			Active:    true,
			Dated:     isDated(e, sv.checkedAt),
			Published: publishedAt(e, sv.checkedAt, sv.checkedAt),
		},
	}
	if sv.opts.Off {
		return it
	}
	if read == nil {
		doc := dedup.Analyze(postOf(e), sv.src.boilerplate)
		read = &doc
	}
	it.doc = read
	if read.Hash != "" {
		it.hash = read.Hash
	}
	return it
}

func postOf(e *model.Entry) dedup.Post {
	return dedup.Post{Title: e.Title, Text: e.Text, Categories: e.Categories, Hash: e.ContentHash}
}

// listedKeys returns the item keys of entries, as save computes them.
func listedKeys(sourceID int64, entries []model.Entry) map[string]bool {
	prefix := sourceKeyPrefix(sourceID)
	keys := make(map[string]bool, len(entries))
	for i := range entries {
		if k := keyOf(&entries[i]); k != "" {
			keys[prefix+k] = true
		}
	}
	return keys
}

// isListedOwn reports whether entry id, found by an item's URL or hash, is
// one of this source's entries that the source lists in this very refresh
// under its own id (two release notes linking to one page, say). Within a
// source the source's own id decides; a match under a new id whose old id is
// no longer listed is the feed renaming its ids, and stays one entry.
func (sv *saver) isListedOwn(id int64, rows map[int64]entryRow, itemKey string) bool {
	r, ok := rows[id]
	if !ok || r.sourceID != sv.src.id {
		return false
	}
	own := sv.keyPrefix + cmp.Or(r.itemKey, r.guid, r.link)
	return own != itemKey && sv.listed[own]
}

// isBuried reports whether one of the item's keys belonged to a pruned entry.
func (sv *saver) isBuried(itemKey, url, hash, stripped string) (bool, error) {
	var one int
	err := sv.tx.QueryRowContext(sv.ctx, buriedSQL, itemKey, url, hash, stripped).Scan(&one)
	switch {
	case err == sql.ErrNoRows:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up tombstones: %w", err)
	}
	return true, nil
}
