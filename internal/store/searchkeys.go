package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// The near-duplicate index (migrations 011 and 017): entry_bands holds, in
// key order, the search keys of every entry up to search_keys_moved.upto.
// The keys of the entries after it are only in their rows of entry_texts,
// written in entry order, and the writer keeps them in memory (recentKeys).
// Once there are newKeysLimit of them they are moved into entry_bands in
// key order: one pass over the large index for thousands of entries,
// instead of a page of it per key at every commit.

// newKeysLimit is how many search keys of the newest entries wait before
// they are moved: about 3,000 entries, about 2 MiB in memory.
const newKeysLimit = 64 << 10

// searchKeys is what the store keeps in memory about the index: the
// filter of every key stored, and the keys not moved yet.
type searchKeys struct {
	filter *bandFilter
	// refills asks the goroutine that fills the filter to read every key
	// again; seen is the writer connection's PRAGMA data_version when it
	// last looked (see noticeOtherWriters).
	refills chan struct{}
	seen    atomic.Int64
	filled  chan struct{} // closed when the first scan has ended, for tests

	mu     sync.Mutex
	recent recentKeys
}

// recentKeys are the search keys of the entries after upto, each key with
// the entries that have it. They are a superset of what entry_texts holds:
// the keys of an entry since deleted or re-keyed, or written by a
// transaction that was rolled back, stay until the next move or reload,
// and a candidate found by one is read and compared like any other.
type recentKeys struct {
	upto  int64           // search_keys_moved.upto, as the writer last read or wrote it
	heads map[int64]int32 // key -> its newest entry's place in ids
	next  []int32         // the place of the key's entry before it, or -1
	ids   []int64
}

func newRecentKeys(upto int64) recentKeys {
	return recentKeys{upto: upto, heads: map[int64]int32{}}
}

func (r *recentKeys) add(id int64, keys []int64) {
	for _, k := range keys {
		prev, ok := r.heads[k]
		if !ok {
			prev = -1
		}
		r.heads[k] = int32(len(r.ids))
		r.next = append(r.next, prev)
		r.ids = append(r.ids, id)
	}
}

// entriesOf appends to dst the entry of every recent key of keys, once per
// key it has, as a lookup of entry_bands would list them.
func (r *recentKeys) entriesOf(dst []int64, keys []int64) []int64 {
	for _, k := range keys {
		i, ok := r.heads[k]
		for ok && i >= 0 {
			dst = append(dst, r.ids[i])
			i = r.next[i]
		}
	}
	return dst
}

// written records the keys of entry id, whose row of entry_texts the
// writer has just inserted or changed, and reports whether they belong in
// entry_bands now: the entry is at or before upto (an id used again after
// the newest entries were deleted), where a move will not look.
func (k *searchKeys) written(id int64, keys []int64) (toIndex bool) {
	for _, key := range keys {
		k.filter.add(key)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if id <= k.recent.upto {
		return true
	}
	k.recent.add(id, keys)
	return false
}

// entriesOf lists the recent entries that have each of keys.
func (k *searchKeys) entriesOf(keys []int64) []int64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.recent.entriesOf(nil, keys)
}

func (k *searchKeys) waiting() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.recent.ids)
}

// recentKeysSQL reads the search keys not moved yet, and upto.
const recentKeysSQL = `
SELECT m.upto, t.entry_id, t.bands
  FROM search_keys_moved AS m
  LEFT JOIN entry_texts AS t ON t.entry_id > m.upto
 ORDER BY t.entry_id`

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readRecentKeys reads the search keys not moved yet from entry_texts.
func readRecentKeys(ctx context.Context, q querier) (recentKeys, error) {
	rows, err := q.QueryContext(ctx, recentKeysSQL)
	if err != nil {
		return recentKeys{}, fmt.Errorf("read recent search keys: %w", err)
	}
	defer rows.Close()
	r := newRecentKeys(0)
	for rows.Next() {
		var id sql.NullInt64
		var bands sql.NullString
		if err := rows.Scan(&r.upto, &id, &bands); err != nil {
			return recentKeys{}, fmt.Errorf("read recent search keys: %w", err)
		}
		if !id.Valid {
			continue // no entry after upto
		}
		var keys []int64
		if err := json.Unmarshal([]byte(bands.String), &keys); err != nil {
			return recentKeys{}, fmt.Errorf("read recent search keys of entry %d: %w", id.Int64, err)
		}
		r.add(id.Int64, keys)
	}
	if err := rows.Err(); err != nil {
		return recentKeys{}, fmt.Errorf("read recent search keys: %w", err)
	}
	return r, nil
}

// openSearchKeys reads the keys not moved yet, sizes the filter from the
// entries stored, and starts filling it in the background.
func (s *Store) openSearchKeys(ctx context.Context) error {
	var entries int64
	err := s.writer.QueryRowContext(ctx, `SELECT coalesce(max(entry_id), 0) FROM entry_texts`).Scan(&entries)
	if err != nil {
		return fmt.Errorf("read search keys: %w", err)
	}
	// Before the keys are read: what others commit after it is seen.
	var version int64
	if err := s.writer.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return fmt.Errorf("read data version: %w", err)
	}
	recent, err := readRecentKeys(ctx, s.writer)
	if err != nil {
		return err
	}
	k := &searchKeys{filter: newBandFilter(entries), refills: make(chan struct{}, 1), filled: make(chan struct{}), recent: recent}
	k.seen.Store(version)
	s.keys = k
	fillCtx, stop := context.WithCancel(context.Background())
	s.stopFill = stop
	// A scan that fails leaves the filter answering "may be there" for
	// every key: lookups are slower, never wrong.
	s.filling.Go(func() {
		_ = k.filter.fill(fillCtx, s.reader)
		close(k.filled)
		for {
			select {
			case <-fillCtx.Done():
				return
			case <-k.refills:
				start := time.Now()
				_ = k.filter.fill(fillCtx, s.reader)
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

// noticeOtherWriters catches up with another connection's commits:
// another process (`village dedup rescan` or `village fetch` beside the
// daemon) writes search keys this store never saw, and a lookup that
// missed them would miss a copy. The recent keys are read again, and the
// filter distrusts itself (every key may be there) until a new scan has
// read them all. It runs first in every write transaction that writes or
// looks up search keys, whose snapshot holds every commit the check
// counts; PRAGMA data_version changes with other connections' commits
// only.
func (s *Store) noticeOtherWriters(ctx context.Context, tx *sql.Tx) error {
	if s.keys == nil {
		return nil
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return fmt.Errorf("read data version: %w", err)
	}
	if version == s.keys.seen.Load() {
		return nil
	}
	recent, err := readRecentKeys(ctx, tx)
	if err != nil {
		return err
	}
	s.keys.mu.Lock()
	s.keys.recent = recent
	s.keys.mu.Unlock()
	s.keys.seen.Store(version)
	s.keys.filter.distrust()
	select {
	case s.keys.refills <- struct{}{}:
	default: // a refill is already asked for
	}
	return nil
}

// moveSearchKeysSQL moves the keys of the entries after upto into
// entry_bands, in key order, so that the large index is written from one
// end to the other.
const moveSearchKeysSQL = `
INSERT OR IGNORE INTO entry_bands (band, entry_id)
SELECT k.value, t.entry_id
  FROM entry_texts AS t, json_each(t.bands) AS k
 WHERE t.entry_id > (SELECT upto FROM search_keys_moved)
 ORDER BY 1, 2;
UPDATE search_keys_moved
   SET upto = max(upto, (SELECT coalesce(max(entry_id), 0) FROM entry_texts));`

// moveSearchKeys moves the recent keys into entry_bands once there are
// newKeysLimit of them. It runs between the writer's transactions, in one
// of its own; until it succeeds the keys stay where lookups find them.
func (s *Store) moveSearchKeys(ctx context.Context) error {
	return s.moveSearchKeysOver(ctx, newKeysLimit)
}

// moveSearchKeysOver is moveSearchKeys once there are limit keys.
func (s *Store) moveSearchKeysOver(ctx context.Context, limit int) error {
	if s.keys == nil || s.keys.waiting() < limit {
		return nil
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("move search keys: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := s.noticeOtherWriters(ctx, tx); err != nil {
		return fmt.Errorf("move search keys: %w", err)
	}
	var upto int64
	_, err = tx.ExecContext(ctx, moveSearchKeysSQL)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT upto FROM search_keys_moved`).Scan(&upto)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return fmt.Errorf("move search keys: %w", err)
	}
	s.keys.mu.Lock()
	s.keys.recent = newRecentKeys(upto)
	s.keys.mu.Unlock()
	return nil
}
