package store

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
)

// apply carries out what dedup.Decide chose for an item, and returns the
// entry the item now belongs to. row is the entry's row when an exact key
// found it.
func (sv *saver) apply(d dedup.Decision, it incoming, row entryRow) (int64, error) {
	switch d.Action {
	case dedup.New:
		return sv.insert(it)
	case dedup.Repeat:
		sv.res.Duplicates++
		return d.Entry, nil
	case dedup.Update:
		return d.Entry, sv.updateOwn(it, d.Entry, row)
	case dedup.TakeOver:
		return d.Entry, sv.promote(it, d)
	case dedup.Alternate:
		return d.Entry, sv.addAlternate(it, d)
	}
	return 0, fmt.Errorf("unknown de-duplication action %d", d.Action)
}

func (sv *saver) insert(it incoming) (int64, error) {
	e := it.e
	published := it.copy.Published
	updated := insertedUpdatedAt(e, published, sv.checkedAt)
	var id int64
	x := encodeExtras(e)
	err := sv.st.insertEntry.QueryRowContext(sv.ctx, sv.src.id, e.GUID, e.Link,
		e.CanonicalURL, e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated),
		toNanos(sv.checkedAt), it.fp, e.PublicID,
		keyOf(e), x.authors, x.enclosures, e.Lang, x.origin, it.copy.Dated, sv.round).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert entry %q: %w", it.key, err)
	}
	if err := sv.saveText(id, it.doc); err != nil {
		return 0, err
	}
	if err := sv.addKeys(id, it); err != nil {
		return 0, err
	}
	sv.res.New++
	sv.inserted = append(sv.inserted, arrival{id, published})
	return id, nil
}

// updateOwn handles an item that names one of this source's entries: by its
// item key, or by URL or hash under a new item key (a feed that changed its
// GUIDs), in which case the new key is recorded too.
func (sv *saver) updateOwn(it incoming, id int64, h entryRow) error {
	e := it.e
	changed := string(it.fp) != string(h.fingerprint)
	if h.match != dedup.MatchItem || changed {
		if err := sv.addKeys(id, it); err != nil {
			return err
		}
	}
	if !changed {
		sv.res.Unchanged++
		if h.match == dedup.MatchItem && !bytes.Equal(h.itemDigest, e.ItemDigest) {
			return sv.keepDigest(it)
		}
		return nil
	}
	published := notLater(publishedAt(e, h.firstSeen, sv.checkedAt), h.publish)
	updated := changedUpdatedAt(e, h.updated, published, sv.checkedAt)
	x := encodeExtras(e)
	_, err := sv.st.updateEntry.ExecContext(sv.ctx, id, e.Link, e.CanonicalURL,
		e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated), it.fp,
		x.authors, x.enclosures, e.Lang, x.origin, it.copy.Dated)
	if err != nil {
		return fmt.Errorf("update entry %d: %w", id, err)
	}
	if err := sv.saveText(id, it.doc); err != nil {
		return err
	}
	if err := sv.forgetOtherDigests(id, it); err != nil {
		return err
	}
	sv.res.Updated++
	return nil
}

// addAlternate records the item as another source's copy of entry d.Entry.
// The alternate's insert answers whether it is new; a known one only
// follows a changed link.
func (sv *saver) addAlternate(it incoming, d dedup.Decision) error {
	e := it.e
	var got int64
	err := sv.st.insertAlternate.QueryRowContext(sv.ctx, d.Entry, sv.src.id, it.key, e.GUID, e.Link, d.Reason()).Scan(&got)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := sv.st.updateAlternate.ExecContext(sv.ctx, sv.src.id, it.key, e.Link); err != nil {
			return fmt.Errorf("update alternate %q: %w", it.key, err)
		}
		sv.res.Unchanged++
	case err != nil:
		return fmt.Errorf("insert alternate %q: %w", it.key, err)
	default:
		sv.res.Duplicates++
	}
	return sv.addKeys(d.Entry, it)
}

// promote makes the item the entry d.Entry and the previous owner's copy
// one of its alternates: the item is the original, or the owner was removed
// from feeds.yaml (its copy would hide the item). The entry keeps its keys,
// first-seen time and, unless it was stored in this very poll round, its
// public id.
func (sv *saver) promote(it incoming, d dedup.Decision) error {
	e := it.e
	if err := sv.keepOwnAsTeaser(d); err != nil {
		return err
	}
	if _, err := sv.st.demoteOwner.ExecContext(sv.ctx, d.Entry, d.Reason()); err != nil {
		return fmt.Errorf("demote owner of entry %d: %w", d.Entry, err)
	}
	if _, err := sv.st.dropAlternate.ExecContext(sv.ctx, sv.src.id, it.key); err != nil {
		return fmt.Errorf("drop alternate %q: %w", it.key, err)
	}
	if _, err := sv.tx.ExecContext(sv.ctx, `DELETE FROM teaser_copies WHERE source_id = ?1 AND item_key = ?2`, sv.src.id, it.key); err != nil {
		return fmt.Errorf("drop teaser %q: %w", it.key, err)
	}
	if it.doc != nil {
		if err := sv.keepOwnAsFuller(d.Entry, it.doc.Words); err != nil {
			return err
		}
	}
	publicID := ""
	if d.AdoptID {
		publicID = e.PublicID
	}
	published := it.copy.Published
	updated := insertedUpdatedAt(e, published, sv.checkedAt)
	x := encodeExtras(e)
	_, err := sv.st.promote.ExecContext(sv.ctx, d.Entry, sv.src.id, e.GUID, e.Link,
		e.CanonicalURL, e.ContentHash, e.Title, e.Author, e.Summary, e.Content,
		encodeList(e.Categories), toNanos(published), toNanos(updated), it.fp,
		keyOf(e), x.authors, x.enclosures, e.Lang, x.origin, it.copy.Dated, publicID)
	if err != nil {
		return fmt.Errorf("promote %q over entry %d: %w", it.key, d.Entry, err)
	}
	if err := sv.saveText(d.Entry, it.doc); err != nil {
		return err
	}
	if err := sv.forgetOtherDigests(d.Entry, it); err != nil {
		return err
	}
	sv.res.Duplicates++
	return sv.addKeys(d.Entry, it)
}

func (sv *saver) addKeys(id int64, it incoming) error {
	_, err := sv.st.insertKeys.ExecContext(sv.ctx, it.key, it.e.CanonicalURL, it.e.ContentHash, id, it.hash, digestArg(it.e.ItemDigest), it.e.OriginURL)
	if err != nil {
		return fmt.Errorf("insert keys of %q: %w", it.key, err)
	}
	return nil
}

// keepDigest records the digest of an unchanged item whose key names its
// entry.
func (sv *saver) keepDigest(it incoming) error {
	if len(it.e.ItemDigest) == 0 {
		return nil
	}
	if _, err := sv.st.keepDigest.ExecContext(sv.ctx, it.key, it.e.ItemDigest); err != nil {
		return fmt.Errorf("keep digest of %q: %w", it.key, err)
	}
	return nil
}

// forgetOtherDigests forgets the digests of entry id's item keys but the
// item's, once the entry was written from the item.
func (sv *saver) forgetOtherDigests(id int64, it incoming) error {
	if _, err := sv.st.forgetOtherDigests.ExecContext(sv.ctx, id, it.key); err != nil {
		return fmt.Errorf("forget digests of entry %d: %w", id, err)
	}
	return nil
}

// digestArg is an item digest as a statement's argument: NULL for none.
func digestArg(d []byte) any {
	if len(d) == 0 {
		return nil
	}
	return d
}

// saveText stores an entry's near-duplicate search keys, and clears the
// text an older village kept with them (see texts.go). A new entry's keys
// are added to the search index here; the triggers of entry_texts replace
// the rows of keys that change.
func (x *index) saveText(id int64, doc *dedup.Doc) error {
	bands, words := "[]", 0
	if doc != nil && len(doc.Bands) > 0 {
		b, err := json.Marshal(doc.Bands)
		if err != nil {
			return err
		}
		bands = string(b)
	}
	if doc != nil {
		words = doc.Words
	}
	if err := x.writeText(id, bands, words); err != nil {
		return fmt.Errorf("save text of entry %d: %w", id, err)
	}
	if x.keys != nil && doc != nil {
		x.keys.added(doc.Bands)
	}
	x.fresh[id] = true
	return nil
}

// writeText inserts entry id's row of entry_texts and its rows of the
// search index, or updates the row the entry has, with its fuller copy's
// keys if it keeps one.
func (x *index) writeText(id int64, bands string, words int) error {
	res, err := x.st.insertText.ExecContext(x.ctx, id, "", bands, words)
	if err != nil {
		return err
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if inserted == 0 {
		if bands, err = x.ownKeysChanged(id, bands, words); err != nil {
			return err
		}
		_, err = x.st.updateText.ExecContext(x.ctx, id, "", bands, words)
		return err
	}
	_, err = x.st.insertBands.ExecContext(x.ctx, id, bands)
	return err
}
