package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"sync"
	"sync/atomic"
)

// The search keys in memory. Most posts are copies of nothing, yet looking
// them up probes the near-duplicate index once per search key, inside the
// writer's transaction: a fifth of the writer's time on a cold ingest. A
// Bloom filter of every key stored answers "no such key" from memory for
// almost all of them, so the index is asked only for the keys that may be
// there, and not at all when too few may be for any candidate to qualify.
//
// The filter only ever errs towards "may be there": every key a
// transaction writes is added before it commits (a rolled back one leaves
// bits set for nothing), and the keys stored before Open are added by a
// scan in the background; until it ends, every key may be there. Keys that
// another process writes are read by a new scan once the writer notices
// its commits (see noticeOtherWriters), and meanwhile every key may be
// there too. Keys of entries that are re-keyed or deleted stay set until
// the next start.

const (
	// filterMinBits and filterMaxBits bound the filter's size: 2 MiB
	// holds a planet of 50,000 entries at about one false "may be" in a
	// thousand keys, 8 MiB ten times that at about one in a hundred. It is
	// sized at Open from the entries stored and never grows; a bigger
	// planet gets more false positives (more index probes), never a miss.
	filterMinBits = 1 << 24
	filterMaxBits = 1 << 26
	// filterBitsPerEntry leaves room for the entries stored and three times
	// as many more: about 20 keys an entry, 16 bits a key.
	filterBitsPerEntry = 4 * 20 * 16
	filterHashes       = 3
)

// bandFilter is a Bloom filter of search keys, safe for concurrent use.
type bandFilter struct {
	words []atomic.Uint64
	mask  uint64 // bits - 1
	ready atomic.Bool
	// mu orders distrust and the end of a fill: a fill that began before
	// the last distrust must not make the filter ready.
	mu        sync.Mutex
	distrusts uint64
}

// distrust makes the filter answer "may be there" for every key until a
// fill that begins after it has ended.
func (f *bandFilter) distrust() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.distrusts++
	f.ready.Store(false)
}

func newBandFilter(entries int64) *bandFilter {
	n := uint64(min(max(entries*filterBitsPerEntry, filterMinBits), filterMaxBits))
	n = 1 << bits.Len64(n-1) // a power of two, so a mask picks the bit
	return &bandFilter{words: make([]atomic.Uint64, n/64), mask: n - 1}
}

// probes returns the i-th bit of key: double hashing on the key's halves,
// which are already uniform (search keys are hashes).
func (f *bandFilter) probe(key int64, i uint64) (word int, bit uint64) {
	k := uint64(key)
	b := (k + i*(k>>32|1)) & f.mask
	return int(b / 64), 1 << (b % 64)
}

// add records key as stored.
func (f *bandFilter) add(key int64) {
	for i := range uint64(filterHashes) {
		w, b := f.probe(key, i)
		if f.words[w].Load()&b == 0 {
			f.words[w].Or(b)
		}
	}
}

// mayHave reports whether key may be stored; false means it is not.
func (f *bandFilter) mayHave(key int64) bool {
	if f == nil || !f.ready.Load() {
		return true
	}
	for i := range uint64(filterHashes) {
		w, b := f.probe(key, i)
		if f.words[w].Load()&b == 0 {
			return false
		}
	}
	return true
}

// present returns the keys of keys that may be stored.
func (f *bandFilter) present(keys []int64) []int64 {
	out := make([]int64, 0, len(keys))
	for _, k := range keys {
		if f.mayHave(k) {
			out = append(out, k)
		}
	}
	return out
}

// fill adds every key stored in db, then marks the filter ready.
func (f *bandFilter) fill(ctx context.Context, db *sql.DB) error {
	f.mu.Lock()
	began := f.distrusts
	f.mu.Unlock()
	rows, err := db.QueryContext(ctx, `SELECT band FROM search_keys`)
	if err != nil {
		return fmt.Errorf("read search keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return fmt.Errorf("read search keys: %w", err)
		}
		f.add(k)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read search keys: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.distrusts == began {
		f.ready.Store(true)
	}
	return nil
}
