package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// Refresh is one successful poll of a source: the validators and feed
// metadata to remember, and the entries as parsed.
type Refresh struct {
	CheckedAt          time.Time
	NextCheck          time.Time
	Status             int
	ETag, LastModified string
	FeedID, FeedTitle  string
	Entries            []model.Entry // as parsed; SourceID, ID and FirstSeen are ignored
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
}

// SaveRefresh stores one successful poll of a source in a single
// transaction: the entries, de-duplicated against everything stored, and the
// source's new validators and state. All of it or none of it is saved, so
// validators can never be saved without their entries (a later conditional
// GET would then hide them forever). It returns ErrNotFound for an unknown
// source.
func (s *Store) SaveRefresh(ctx context.Context, sourceID int64, r Refresh) (Result, error) {
	res, err := s.saveRefresh(ctx, sourceID, r)
	if err != nil {
		return Result{}, fmt.Errorf("save refresh of source %d: %w", sourceID, err)
	}
	return res, nil
}

func (s *Store) saveRefresh(ctx context.Context, sourceID int64, r Refresh) (Result, error) {
	if s.readOnly {
		return Result{}, ErrReadOnly
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	st := s.stmts.bind(ctx, tx)
	if err := saveSource(ctx, st, sourceID, &r); err != nil {
		return Result{}, err
	}
	buried, err := hasTombstones(ctx, tx)
	if err != nil {
		return Result{}, err
	}
	sv := saver{
		ctx:       ctx,
		st:        st,
		sourceID:  sourceID,
		keyPrefix: strconv.FormatInt(sourceID, 10) + ":",
		checkedAt: r.CheckedAt,
		touched:   make(map[int64]bool, len(r.Entries)),
		listed:    listedKeys(sourceID, r.Entries),
		tx:        tx,
		buried:    buried,
	}
	for i := range r.Entries {
		// The driver only notices a cancelled ctx while it waits; checking
		// here bounds the work a shutdown has to wait for.
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if err := sv.save(&r.Entries[i]); err != nil {
			return Result{}, err
		}
		if s.afterEntry != nil {
			if err := s.afterEntry(i + 1); err != nil {
				return Result{}, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return Result{}, err
	}
	return sv.res, nil
}

func saveSource(ctx context.Context, st *txStatements, sourceID int64, r *Refresh) error {
	res, err := st.saveSource.ExecContext(ctx, sourceID, r.FeedID, r.FeedTitle,
		r.ETag, r.LastModified, r.Status, toNanos(r.CheckedAt), toNanos(r.NextCheck))
	if err != nil {
		return fmt.Errorf("update source: %w", err)
	}
	return mustAffect(res)
}

// saver de-duplicates the entries of one refresh inside its transaction.
type saver struct {
	ctx       context.Context
	st        *txStatements
	sourceID  int64
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
	// tx and buried (are there tombstones at all?) let an item no entry
	// knows be checked against the keys of pruned entries.
	tx     *sql.Tx
	buried bool
}

// hit is an entry that one of an item's keys already names.
type hit struct {
	kind        string // "item", "url" or "hash"
	id          int64
	sourceID    int64
	fingerprint []byte
	firstSeen   time.Time
	updated     time.Time
	published   time.Time
	guid, link  string // the entry's own identity in its source
	ownerActive bool   // the entry's source is still in feeds.yaml
}

func (sv *saver) save(e *model.Entry) error {
	key := e.GUID
	if key == "" {
		key = e.Link
	}
	if key == "" {
		sv.res.Skipped++
		return nil
	}
	key = sv.keyPrefix + key
	fp := fingerprint(&sv.scratch, e)

	h, found, err := sv.lookup(key, e.CanonicalURL, e.ContentHash)
	if err == nil && !found && sv.buried {
		pruned, err := sv.isBuried(key, e)
		if pruned {
			sv.res.Pruned++
		}
		if pruned || err != nil {
			return err
		}
	}
	switch {
	case err != nil:
		return err
	case !found || sv.isAnotherPost(key, h):
		h.id, err = sv.insert(e, key, fp)
	case sv.touched[h.id]:
		sv.res.Duplicates++
	case h.sourceID == sv.sourceID:
		err = sv.updateOwn(e, key, fp, h)
	case !h.ownerActive || sv.isOriginal(e, h):
		err = sv.promote(e, key, fp, h)
	default:
		err = sv.addAlternate(e, key, h.id)
	}
	if err != nil {
		return err
	}
	sv.touched[h.id] = true
	return nil
}

// lookup returns the best hit among the item's keys: the source's own
// identity of the item first, then the canonical URL, then the content hash.
func (sv *saver) lookup(itemKey, url, hash string) (hit, bool, error) {
	rows, err := sv.st.lookup.QueryContext(sv.ctx, itemKey, url, hash)
	if err != nil {
		return hit{}, false, fmt.Errorf("look up keys: %w", err)
	}
	defer rows.Close()
	var best hit
	found := false
	for rows.Next() {
		var h hit
		var firstSeen, updated, published int64
		if err := rows.Scan(&h.kind, &h.id, &h.sourceID, &h.fingerprint, &firstSeen, &updated, &published, &h.guid, &h.link, &h.ownerActive); err != nil {
			return hit{}, false, fmt.Errorf("look up keys: %w", err)
		}
		h.firstSeen, h.updated, h.published = fromNanos(firstSeen), fromNanos(updated), fromNanos(published)
		if !found || keyRank[h.kind] < keyRank[best.kind] {
			best, found = h, true
		}
	}
	if err := rows.Err(); err != nil {
		return hit{}, false, fmt.Errorf("look up keys: %w", err)
	}
	return best, found, nil
}

var keyRank = map[string]int{"item": 0, "url": 1, "hash": 2}

func (sv *saver) insert(e *model.Entry, itemKey string, fp []byte) (int64, error) {
	published := publishedAt(e, sv.checkedAt, sv.checkedAt)
	updated := insertedUpdatedAt(e, published, sv.checkedAt)
	var id int64
	err := sv.st.insertEntry.QueryRowContext(sv.ctx, sv.sourceID, e.GUID, e.Link,
		e.CanonicalURL, e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated),
		toNanos(sv.checkedAt), fp, e.PublicID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert entry %q: %w", itemKey, err)
	}
	if err := sv.addKeys(id, itemKey, e); err != nil {
		return 0, err
	}
	sv.res.New++
	return id, nil
}

// updateOwn handles an item that names one of this source's entries: by its
// item key, or by URL or hash under a new item key (a feed that changed its
// GUIDs), in which case the new key is recorded too.
func (sv *saver) updateOwn(e *model.Entry, itemKey string, fp []byte, h hit) error {
	changed := string(fp) != string(h.fingerprint)
	if h.kind != "item" || changed {
		if err := sv.addKeys(h.id, itemKey, e); err != nil {
			return err
		}
	}
	if !changed {
		sv.res.Unchanged++
		return nil
	}
	published := publishedAt(e, h.firstSeen, sv.checkedAt)
	updated := changedUpdatedAt(e, h.updated, published, sv.checkedAt)
	_, err := sv.st.updateEntry.ExecContext(sv.ctx, h.id, e.Link, e.CanonicalURL,
		e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated), fp)
	if err != nil {
		return fmt.Errorf("update entry %d: %w", h.id, err)
	}
	sv.res.Updated++
	return nil
}

// addAlternate records the item as another source's copy of entry id. The
// alternate's insert answers whether it is new; a known one only follows a
// changed link.
func (sv *saver) addAlternate(e *model.Entry, itemKey string, id int64) error {
	var got int64
	err := sv.st.insertAlternate.QueryRowContext(sv.ctx, id, sv.sourceID, itemKey, e.GUID, e.Link).Scan(&got)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := sv.st.updateAlternate.ExecContext(sv.ctx, sv.sourceID, itemKey, e.Link); err != nil {
			return fmt.Errorf("update alternate %q: %w", itemKey, err)
		}
		sv.res.Unchanged++
	case err != nil:
		return fmt.Errorf("insert alternate %q: %w", itemKey, err)
	default:
		sv.res.Duplicates++
	}
	return sv.addKeys(id, itemKey, e)
}

// listedKeys returns the item keys of entries, as save computes them.
func listedKeys(sourceID int64, entries []model.Entry) map[string]bool {
	prefix := strconv.FormatInt(sourceID, 10) + ":"
	keys := make(map[string]bool, len(entries))
	for i := range entries {
		if k := cmp.Or(entries[i].GUID, entries[i].Link); k != "" {
			keys[prefix+k] = true
		}
	}
	return keys
}

// isAnotherPost reports whether an item that matched one of this source's
// entries by URL or content hash is nevertheless a different post: the
// source lists that entry under its own id in this very refresh (two release
// notes linking to one page, say). Within a source the source's own id
// decides; a match under a new id whose old id is no longer listed is the
// feed renaming its ids, and stays one entry.
func (sv *saver) isAnotherPost(itemKey string, h hit) bool {
	if h.sourceID != sv.sourceID || h.kind == "item" {
		return false
	}
	own := h.guid
	if own == "" {
		own = h.link
	}
	own = sv.keyPrefix + own
	return own != itemKey && sv.listed[own]
}

// isOriginal reports whether e, a copy of another source's entry, was
// published before it: a mirror or a syndicating site usually republishes a
// post days after the original, so the earliest copy is the one readers
// should be sent to, whichever feed happened to be fetched first. Only a date
// the source gave counts; equal dates keep the first copy.
func (sv *saver) isOriginal(e *model.Entry, h hit) bool {
	if e.Published.IsZero() && e.Updated.IsZero() {
		return false
	}
	return publishedAt(e, sv.checkedAt, sv.checkedAt).Before(h.published)
}

// promote makes e the entry h names and the previous owner's copy one of
// its alternates: e was published first, or the owner was removed from
// feeds.yaml (its copy would hide e). The entry keeps its public id, keys
// and first-seen time.
func (sv *saver) promote(e *model.Entry, itemKey string, fp []byte, h hit) error {
	if _, err := sv.st.demoteOwner.ExecContext(sv.ctx, h.id); err != nil {
		return fmt.Errorf("demote owner of entry %d: %w", h.id, err)
	}
	if _, err := sv.st.dropAlternate.ExecContext(sv.ctx, sv.sourceID, itemKey); err != nil {
		return fmt.Errorf("drop alternate %q: %w", itemKey, err)
	}
	published := publishedAt(e, h.firstSeen, sv.checkedAt)
	updated := insertedUpdatedAt(e, published, sv.checkedAt)
	_, err := sv.st.promote.ExecContext(sv.ctx, h.id, sv.sourceID, e.GUID, e.Link,
		e.CanonicalURL, e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated), fp)
	if err != nil {
		return fmt.Errorf("promote %q over entry %d: %w", itemKey, h.id, err)
	}
	sv.res.Duplicates++
	return sv.addKeys(h.id, itemKey, e)
}

func (sv *saver) addKeys(id int64, itemKey string, e *model.Entry) error {
	_, err := sv.st.insertKeys.ExecContext(sv.ctx, itemKey, e.CanonicalURL, e.ContentHash, id)
	if err != nil {
		return fmt.Errorf("insert keys of %q: %w", itemKey, err)
	}
	return nil
}

// isBuried reports whether one of the item's keys belonged to a pruned entry.
func (sv *saver) isBuried(itemKey string, e *model.Entry) (bool, error) {
	var one int
	err := sv.tx.QueryRowContext(sv.ctx, buriedSQL, itemKey, e.CanonicalURL, e.ContentHash).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up tombstones: %w", err)
	}
	return true, nil
}
