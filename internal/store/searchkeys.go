package store

import (
	"context"
	"fmt"
	"sync/atomic"
)

// The near-duplicate index lives in two tables (migration 011): entries'
// search keys are written to entry_bands_new, a small table whose pages a
// commit mostly finds already changed, and moved in key order into
// entry_bands once the small table holds newKeysLimit keys: one pass over
// the large index for thousands of entries, instead of a page of it per
// key at every commit. Lookups read both (the search_keys view).

// newKeysLimit is how many search keys wait in entry_bands_new before they
// are moved: about 3,000 entries, a table of about 2 MiB.
const newKeysLimit = 64 << 10

// searchKeys is what the store keeps in memory about the index: the
// filter of every key stored, and how many keys wait to be moved.
type searchKeys struct {
	filter  *bandFilter
	unmoved atomic.Int64 // at least: rows deleted since are not counted
}

// added records the keys of an entry written to the index.
func (k *searchKeys) added(keys []int64) {
	for _, key := range keys {
		k.filter.add(key)
	}
	k.unmoved.Add(int64(len(keys)))
}

// openSearchKeys sizes the filter from the entries stored, counts the keys
// waiting to be moved, and starts filling the filter in the background.
func (s *Store) openSearchKeys(ctx context.Context) error {
	var entries, unmoved int64
	err := s.writer.QueryRowContext(ctx, `SELECT coalesce(max(entry_id), 0), (SELECT count(*) FROM entry_bands_new) FROM entry_texts`).
		Scan(&entries, &unmoved)
	if err != nil {
		return fmt.Errorf("read search keys: %w", err)
	}
	s.keys = &searchKeys{filter: newBandFilter(entries)}
	s.keys.unmoved.Store(unmoved)
	fillCtx, stop := context.WithCancel(context.Background())
	s.stopFill = stop
	// A scan that fails leaves the filter answering "may be there" for
	// every key: lookups are slower, never wrong.
	s.filling.Go(func() { _ = s.keys.filter.fill(fillCtx, s.reader) })
	return nil
}

// moveSearchKeys moves the keys waiting in entry_bands_new into entry_bands
// once there are newKeysLimit of them. It runs between the writer's
// transactions, in one of its own; until it succeeds the keys stay where
// lookups find them.
func (s *Store) moveSearchKeys(ctx context.Context) error {
	if s.keys == nil || s.keys.unmoved.Load() < newKeysLimit {
		return nil
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("move search keys: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// The small table is read in its key order, so the large one is
	// written from one end to the other.
	_, err = tx.ExecContext(ctx, `
INSERT OR IGNORE INTO entry_bands (band, entry_id) SELECT band, entry_id FROM entry_bands_new ORDER BY band, entry_id;
DELETE FROM entry_bands_new;`)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return fmt.Errorf("move search keys: %w", err)
	}
	s.keys.unmoved.Store(0)
	return nil
}
