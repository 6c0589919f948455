package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/villagefeeds/village/internal/dedup"
)

// Items a feed lists again as it wrote them. A feed that changed lists
// mostly items it listed before; each item key's row of entry_keys keeps
// the digest of the item it was last read from (see parse's known.go), and
// an item whose digest is the stored one is stored as it reads: it is not
// read, sanitised, looked up and compared again, and its refresh counts it
// unchanged.
//
// With near-duplicate detection on, an item is also only taken as known
// while it is in its source's window of recent posts, which the refresh
// then touches instead of reading its text again (see learnFrom).

// KnownItems answers, for one refresh of a source, which of its items are
// stored as read from an item of a given digest. It is made before the
// feed is parsed, and handed to SaveRefresh in Refresh.Known.
type KnownItems struct {
	ctx    context.Context
	reader *sql.DB
	prefix string
	window *dedup.Window // nil when near-duplicate detection is off
	// stored holds the source's item keys with a digest, read at once, and
	// all is set when they are all there; else a key not in stored is
	// looked up on its own.
	stored map[string]storedItem
	all    bool
	// entries holds the entry of every item key Has answered true for.
	entries map[string]int64
}

type storedItem struct {
	entry  int64
	digest []byte
}

// knownAtOnce is how many of a source's item keys Known reads in one
// query: a feed's items, and then some, for all but the largest archives.
const knownAtOnce = 512

// Known returns what answers for sourceID's items in one refresh. near
// tells whether near-duplicate detection is on.
func (s *Store) Known(ctx context.Context, sourceID int64, near bool) (*KnownItems, error) {
	k := &KnownItems{ctx: ctx, reader: s.reader, prefix: sourceKeyPrefix(sourceID),
		stored: map[string]storedItem{}, entries: map[string]int64{}}
	if near {
		var window []byte
		err := s.reader.QueryRowContext(ctx, `SELECT edge_window FROM sources WHERE id = ?1`, sourceID).Scan(&window)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("read known items of source %d: %w", sourceID, err)
		}
		// A window that does not decode is learned afresh (see learnFrom):
		// no item is in it.
		if k.window, err = dedup.ParseWindow(window); err != nil {
			k.window = &dedup.Window{}
		}
	}
	if err := k.readStored(ctx, sourceID); err != nil {
		return nil, fmt.Errorf("read known items of source %d: %w", sourceID, err)
	}
	return k, nil
}

// readStored reads up to knownAtOnce of the source's item keys that have
// a digest.
func (k *KnownItems) readStored(ctx context.Context, sourceID int64) error {
	rows, err := k.reader.QueryContext(ctx, `
SELECT value, entry_id, digest FROM entry_keys
 WHERE kind = 'item' AND value >= ?1 AND value < ?2 AND digest IS NOT NULL
 LIMIT ?3`, k.prefix, strconv.FormatInt(sourceID, 10)+";", knownAtOnce+1)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			key string
			it  storedItem
		)
		if err := rows.Scan(&key, &it.entry, &it.digest); err != nil {
			return err
		}
		k.stored[key] = it
	}
	if err := rows.Err(); err != nil {
		return err
	}
	k.all = len(k.stored) <= knownAtOnce
	return nil
}

// Has reports whether the source's item key is stored as read from an item
// of this digest. It answers false, to read the item, when it cannot tell.
func (k *KnownItems) Has(key string, digest []byte) bool {
	if k == nil || key == "" || len(digest) == 0 {
		return false
	}
	full := k.prefix + key
	if k.window != nil && !k.window.Has(full) {
		return false
	}
	it, ok := k.stored[full]
	if !ok && !k.all {
		err := k.reader.QueryRowContext(k.ctx, `SELECT entry_id, digest FROM entry_keys WHERE kind = 'item' AND value = ?1`,
			full).Scan(&it.entry, &it.digest)
		ok = err == nil
	}
	if !ok || !bytes.Equal(it.digest, digest) {
		return false
	}
	k.entries[key] = it.entry
	return true
}

// entry returns the entry of an item key Has answered true for.
func (k *KnownItems) entry(key string) (int64, bool) {
	if k == nil {
		return 0, false
	}
	id, ok := k.entries[key]
	return id, ok
}
