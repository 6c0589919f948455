package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
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
	// refills asks the goroutine that fills the filter to read every key
	// again; seen is the writer connection's PRAGMA data_version when it
	// last looked (see noticeOtherWriters).
	refills chan struct{}
	seen    atomic.Int64
	filled  chan struct{} // closed when the first scan has ended, for tests
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
	k := &searchKeys{filter: newBandFilter(entries), refills: make(chan struct{}, 1), filled: make(chan struct{})}
	k.unmoved.Store(unmoved)
	// Before the first scan starts: what others commit after it is seen.
	var version int64
	if err := s.writer.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return fmt.Errorf("read data version: %w", err)
	}
	k.seen.Store(version)
	s.keys = k
	fillCtx, stop := context.WithCancel(context.Background())
	s.stopFill = stop
	// A scan that fails leaves the filter answering "may be there" for
	// every key: lookups are slower, never wrong.
	s.filling.Go(func() {
		s.trouble.report("reading search keys", k.filter.fill(fillCtx, s.reader))
		close(k.filled)
		for {
			select {
			case <-fillCtx.Done():
				return
			case <-k.refills:
				start := time.Now()
				s.trouble.report("reading search keys", k.filter.fill(fillCtx, s.reader))
				// A rescan beside the daemon commits batch after batch:
				// scan a tenth of the time at most meanwhile. Lookups
				// stay right while the filter waits, only slower.
				pause := time.NewTimer(9 * time.Since(start))
				select {
				case <-fillCtx.Done():
					pause.Stop()
					return
				case <-pause.C:
				}
			}
		}
	})
	return nil
}

// noticeOtherWriters makes the filter distrust itself when another
// connection has committed since the writer last looked: another process
// (`village dedup rescan` or `village fetch` beside the daemon) writes
// search keys this filter never saw, and a lookup it ruled out would miss
// a copy. Lookups then ask the index for every key until a new scan has
// read them all. It runs first in every write transaction that looks up,
// whose snapshot holds every commit the check counts; PRAGMA data_version
// changes with other connections' commits only.
func (s *Store) noticeOtherWriters(ctx context.Context, tx *sql.Tx) {
	if s.keys == nil {
		return
	}
	var version int64
	if err := s.written.queryRow(ctx, tx, dataVersionSQL).Scan(&version); err == nil && version == s.keys.seen.Load() {
		return
	}
	s.keys.seen.Store(version) // 0 after an error: the next check refills again
	s.keys.filter.distrust()
	select {
	case s.keys.refills <- struct{}{}:
	default: // a refill is already asked for
	}
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
