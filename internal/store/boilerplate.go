package store

import (
	"database/sql"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
)

// sourceDedup is what de-duplication knows of the source being refreshed.
type sourceDedup struct {
	id          int64
	canonical   bool
	boilerplate dedup.Boilerplate
}

// learn adds the items of a refresh to the source's window of recent posts
// and learns its boilerplate from it, before any item is looked up, so that
// even a first fetch that lists a few posts has its syndicator's lines left
// out. changed reports whether the boilerplate differs from what the
// source's stored entries were keyed with. ahead, when not nil, is what
// ReadAhead learned; it is taken when the stored window is still the one
// it learned from.
func (sv *saver) learn(sourceID int64, entries []model.Entry, ahead *readAhead) (src sourceDedup, changed bool, err error) {
	src.id = sourceID
	var window, stored []byte
	err = sv.tx.QueryRowContext(sv.ctx, `SELECT canonical, edge_window, boilerplate FROM sources WHERE id = ?1`,
		sourceID).Scan(&src.canonical, &window, &stored)
	if err != nil {
		return src, false, fmt.Errorf("read boilerplate: %w", err)
	}
	if sv.opts.Off {
		return src, false, nil
	}
	w, bp, prev, ok := ahead.learned(window, stored)
	if !ok {
		var allKnown bool
		w, prev, allKnown = learnFrom(window, stored, sv.keyPrefix, entries)
		if !allKnown {
			return src, false, ErrReadAgain
		}
		bp = w.Learn(prev)
	}
	src.boilerplate = bp
	if err := sv.saveBoilerplate(sourceID, w, src.boilerplate); err != nil {
		return src, false, err
	}
	return src, !src.boilerplate.Equal(prev), nil
}

// learnFrom decodes a source's stored window and boilerplate and adds the
// items of a refresh to the window; the boilerplate in force for them is
// w.Learn(prev). keyPrefix is the source's item key prefix (saver.keyPrefix).
// A known item (model.Entry.Known) keeps the edge blocks the window holds
// for it; allKnown is false when one was not there (see KnownItems).
func learnFrom(window, stored []byte, keyPrefix string, entries []model.Entry) (w *dedup.Window, prev dedup.Boilerplate, allKnown bool) {
	// A window or set that does not decode (written by a bug, or by hand)
	// is learned afresh: it must not stop the source's posts being stored.
	w, err := dedup.ParseWindow(window)
	if err != nil {
		w = &dedup.Window{}
	}
	prev, err = dedup.ParseBoilerplate(stored)
	if err != nil {
		prev = dedup.Boilerplate{}
	}
	listed := make([]dedup.Listed, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- { // feeds list the newest first
		e := &entries[i]
		if k := keyOf(e); k != "" {
			listed = append(listed, dedup.Listed{Key: keyPrefix + k, Post: postOf(e), Known: e.Known})
		}
	}
	return w, prev, w.Update(listed)
}

func (x *index) saveBoilerplate(sourceID int64, w *dedup.Window, bp dedup.Boilerplate) error {
	window, err := w.MarshalBinary()
	if err != nil {
		return err
	}
	learned, err := bp.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = x.st.saveBoilerplate.ExecContext(x.ctx, sourceID, window, learned)
	if err != nil {
		return fmt.Errorf("save boilerplate: %w", err)
	}
	x.bps[sourceID] = bp
	return nil
}

// rekeyIfLearned re-keys the source's other stored entries when this
// refresh changed its boilerplate: their texts without it get new hashes and
// search keys, and an entry that now turns out to be a copy of another
// source's entry (it was stored before the source's lines were known) is
// merged with it.
func (sv *saver) rekeyIfLearned() error {
	if !sv.learned {
		return nil
	}
	ids, err := sv.entriesOf(sv.src.id)
	if err != nil {
		return err
	}
	// Items this refresh stored or changed were read with the boilerplate
	// in force already; one that was unchanged kept the keys it was stored
	// with, and is re-keyed.
	for _, id := range ids {
		if sv.fresh[id] {
			continue
		}
		merged, err := sv.reexamine(id)
		if err != nil {
			return err
		}
		if merged {
			sv.res.Merged++
		}
	}
	return sv.rekeyFullerCopies(sv.src.id)
}

func (x *index) entriesOf(sourceID int64) ([]int64, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT id FROM entries WHERE source_id = ?1 ORDER BY id`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("list entries of source %d: %w", sourceID, err)
	}
	return scanIDs(rows)
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
