package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
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
// Only an item that is its entry is taken as known: reading a copy of
// another source's entry again can make it take the entry over (the
// owner's standing changed: it lost its canonical mark, was removed, its
// date came to pass), so copies are always read. An entry just handed to
// another source (see heir.inherit) has no fingerprint until that source
// reads its own version of it, and is read too. With near-duplicate detection on, a known
// item must also be in the source's window of recent posts, which the
// refresh then updates with the edge blocks it holds (see learnFrom).
//
// What KnownItems answered is read before the refresh queues for the
// writer; SaveRefresh checks it again in its transaction, and when it no
// longer holds (the source was read afresh meanwhile, or an entry changed
// hands) answers ErrReadAgain, and the refresh reads every item.

// ErrReadAgain is returned by SaveRefresh when the items a refresh took as
// known are no longer stored as they were when it asked: it must read
// every item of its feed and save again.
var ErrReadAgain = errors.New("store: known items changed since: read every item again")

// KnownItems answers, for one refresh of a source, which of its items are
// stored as read from an item of a given digest. It is made before the
// feed is parsed, and handed to SaveRefresh in Refresh.Known.
type KnownItems struct {
	ctx      context.Context
	read     *queries // the readers' statements
	sourceID int64
	prefix   string
	basis    []byte        // the source's body digest when the refresh began
	window   *dedup.Window // nil when near-duplicate detection is off
	// stored holds the source's item keys with a digest, read at once, and
	// all is set when they are all there; else a key not in stored is
	// looked up on its own.
	stored map[string][]byte
	all    bool
}

// knownAtOnce is how many of a source's item keys Known reads in one
// query: a feed's items, and then some, for all but the largest archives.
const knownAtOnce = 512

// knownKeysSQL reads which of the item keys ?1 (a JSON list) name entries
// of source ?2 in their owner's version, with their digests.
const knownKeysSQL = `
SELECT k.value, k.entry_id, k.digest FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'item' AND k.value IN (SELECT value FROM json_each(?1))
   AND e.source_id = ?2 AND e.fingerprint <> X''`

// storedDigestsSQL reads up to ?4 of source ?3's own item keys (those
// from ?1 to ?2) that have a digest.
const storedDigestsSQL = `
SELECT k.value, k.digest FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'item' AND k.value >= ?1 AND k.value < ?2 AND k.digest IS NOT NULL
   AND e.source_id = ?3 AND e.fingerprint <> X''
 LIMIT ?4`

// ownItemSQL is the digest of the source's (?2) item key ?1 when the key
// is its entry's, and the entry has its owner's version (a fingerprint).
const ownItemSQL = `
SELECT k.digest FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'item' AND k.value = ?1 AND k.digest IS NOT NULL
   AND e.source_id = ?2 AND e.fingerprint <> X''`

// Known returns what answers for sourceID's items in one refresh that
// began when the source's body digest was bodyDigest. near tells whether
// near-duplicate detection is on.
func (s *Store) Known(ctx context.Context, sourceID int64, bodyDigest []byte, near bool) (*KnownItems, error) {
	k := &KnownItems{ctx: ctx, read: s.read, sourceID: sourceID, prefix: sourceKeyPrefix(sourceID),
		basis: bodyDigest, stored: map[string][]byte{}}
	if near {
		var window []byte
		err := s.read.queryRow(ctx, nil, edgeWindowSQL, sourceID).Scan(&window)
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
	if err := k.readStored(ctx); err != nil {
		return nil, fmt.Errorf("read known items of source %d: %w", sourceID, err)
	}
	return k, nil
}

// readStored reads up to knownAtOnce of the source's own item keys that
// have a digest.
func (k *KnownItems) readStored(ctx context.Context) error {
	stmt, err := k.read.stmt(ctx, storedDigestsSQL)
	if err != nil {
		return err
	}
	rows, err := stmt.QueryContext(ctx, k.prefix, strconv.FormatInt(k.sourceID, 10)+";", k.sourceID, knownAtOnce+1)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			key    string
			digest []byte
		)
		if err := rows.Scan(&key, &digest); err != nil {
			return err
		}
		k.stored[key] = digest
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
	stored, ok := k.stored[full]
	if !ok && !k.all {
		ok = k.read.queryRow(k.ctx, nil, ownItemSQL, full, k.sourceID).Scan(&stored) == nil
	}
	return ok && bytes.Equal(stored, digest)
}

// checkKnown confirms, in the refresh's transaction and before it writes,
// what KnownItems told of its known entries: the source was not read
// afresh since, and each of them is still its entry, with the digest it
// has. It returns the entry of each, by item key, or ErrReadAgain.
func (s *Store) checkKnown(ctx context.Context, tx *sql.Tx, sourceID int64, r *Refresh) (map[string]int64, error) {
	prefix := sourceKeyPrefix(sourceID)
	var keys []string
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Known {
			keys = append(keys, prefix+keyOf(e))
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	if r.Known == nil {
		return nil, ErrReadAgain
	}
	var body []byte
	err := s.written.queryRow(ctx, tx, bodyDigestSQL, sourceID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("check known items: %w", err)
	}
	if !bytes.Equal(body, r.Known.basis) {
		return nil, ErrReadAgain
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	stmt, err := s.written.in(ctx, tx, knownKeysSQL)
	if err != nil {
		return nil, fmt.Errorf("check known items: %w", err)
	}
	rows, err := stmt.QueryContext(ctx, string(list), sourceID)
	if err != nil {
		return nil, fmt.Errorf("check known items: %w", err)
	}
	defer rows.Close()
	type row struct {
		entry  int64
		digest []byte
	}
	found := make(map[string]row, len(keys))
	for rows.Next() {
		var (
			key string
			r   row
		)
		if err := rows.Scan(&key, &r.entry, &r.digest); err != nil {
			return nil, fmt.Errorf("check known items: %w", err)
		}
		found[key] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check known items: %w", err)
	}
	entries := make(map[string]int64, len(keys))
	for i := range r.Entries {
		e := &r.Entries[i]
		if !e.Known {
			continue
		}
		key := prefix + keyOf(e)
		f, ok := found[key]
		if !ok || !bytes.Equal(f.digest, e.ItemDigest) {
			return nil, ErrReadAgain
		}
		entries[key] = f.entry
	}
	return entries, nil
}
