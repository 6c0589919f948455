package store

import (
	"bytes"
	"context"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
)

// Reading ahead. Reading a post for near-duplicate search (its words,
// shingles and search keys) is most of the CPU an entry costs, and it needs
// nothing from the transaction but the source's boilerplate. ReadAhead does
// it in the caller's goroutine, before the refresh queues for the one
// writer, so that the refreshes of a poll round read their posts on every
// core and the writer only looks up and writes. The writer uses a reading
// only when the boilerplate it learns in the transaction is the one the
// reading was made with (it is, unless another refresh of the same source
// committed in between); otherwise it reads the post again.

// readAhead is what ReadAhead found for a refresh's entries.
type readAhead struct {
	bp   dedup.Boilerplate
	docs []dedup.Doc // one per entry of the refresh, in order
	// The source's stored window and boilerplate as ReadAhead read them,
	// and the window with the refresh's posts added: when the writer finds
	// the same bytes stored, it takes window and bp instead of learning
	// them again.
	storedWindow, storedBP []byte
	window                 *dedup.Window
	prev                   dedup.Boilerplate // storedBP, parsed
}

// ReadAhead reads the posts of r for near-duplicate search with the
// boilerplate the source has learned so far (and learns from r), so that
// SaveRefresh need not. Calling it is optional; it does nothing when
// near-duplicate detection is off, and leaves r as it was when the source's
// boilerplate cannot be read.
func (s *Store) ReadAhead(ctx context.Context, sourceID int64, r *Refresh) error {
	r.ahead = nil
	if r.Dedup.Off || len(r.Entries) == 0 {
		return nil
	}
	var window, stored []byte
	err := s.read.queryRow(ctx, nil, learnedSQL,
		sourceID).Scan(&window, &stored)
	if err != nil {
		return fmt.Errorf("read boilerplate of source %d: %w", sourceID, err)
	}
	w, prev, allKnown := learnFrom(window, stored, sourceKeyPrefix(sourceID), r.Entries)
	if !allKnown {
		return nil // the writer finds out why (see KnownItems)
	}
	ra := &readAhead{bp: w.Learn(prev), docs: make([]dedup.Doc, len(r.Entries)),
		storedWindow: window, storedBP: stored, window: w, prev: prev}
	for i := range r.Entries {
		if !r.Entries[i].Known { // a known item is not looked up
			ra.docs[i] = dedup.Analyze(postOf(&r.Entries[i]), ra.bp)
		}
	}
	r.ahead = ra
	return nil
}

// doc returns the reading of entry i made ahead with bp, or nil when there
// is none.
func (ra *readAhead) doc(i int, bp dedup.Boilerplate) *dedup.Doc {
	if ra == nil || i >= len(ra.docs) || !ra.bp.Equal(bp) {
		return nil
	}
	return &ra.docs[i]
}

// learned returns the window and boilerplate ReadAhead learned, when the
// source's stored window and boilerplate are still the bytes it learned
// them from (no refresh of the source committed in between);
// prev is the stored boilerplate, parsed.
func (ra *readAhead) learned(window, stored []byte) (w *dedup.Window, bp, prev dedup.Boilerplate, ok bool) {
	if ra == nil || ra.window == nil || !bytes.Equal(window, ra.storedWindow) || !bytes.Equal(stored, ra.storedBP) {
		return nil, dedup.Boilerplate{}, dedup.Boilerplate{}, false
	}
	return ra.window, ra.bp, ra.prev, true
}
