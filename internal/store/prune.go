package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Retention bounds what Prune keeps. Zero fields set no limit.
type Retention struct {
	MaxAge     time.Duration // entries published longer ago than this go
	MaxEntries int           // per source, the newest this many stay
	Now        time.Time     // what MaxAge counts back from; zero means time.Now()
}

// Pruned counts what Prune removed.
type Pruned struct {
	Entries    int // entries deleted, with their keys and alternates
	Tombstones int // keys newly remembered as pruned
}

// doomedSQL selects the entries beyond either limit. ?1 is the oldest
// published time kept, ?2 how many entries each source keeps; the newest
// are ranked as Entries lists them (published, then id, descending).
const doomedSQL = `
INSERT INTO temp.doomed (id)
SELECT id FROM entries WHERE published < ?1
 UNION
SELECT id FROM (SELECT id, row_number() OVER (
                    PARTITION BY source_id ORDER BY published DESC, id DESC) AS rank
                  FROM entries)
 WHERE rank > ?2`

// buryKeysSQL turns every key of a doomed entry into a tombstone: its item
// keys (its own and its alternates'), its canonical URL and content hash.
// The WHERE clause keeps "ON CONFLICT" from parsing as a join constraint.
const buryKeysSQL = `
INSERT INTO tombstones (kind, value, source_id, pruned_at)
SELECT k.kind, k.value, e.source_id, ?1
  FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.entry_id IN (SELECT id FROM temp.doomed)
    ON CONFLICT DO NOTHING`

// Prune deletes the entries beyond r's limits in one transaction and leaves
// a tombstone for each of their keys, so that a source still listing a
// pruned entry does not bring it back as new (SaveRefresh skips it). With
// no limit set it does nothing.
func (s *Store) Prune(ctx context.Context, r Retention) (Pruned, error) {
	if r.MaxAge <= 0 && r.MaxEntries <= 0 {
		return Pruned{}, nil
	}
	p, err := s.prune(ctx, r)
	if err != nil {
		return Pruned{}, fmt.Errorf("prune: %w", err)
	}
	return p, nil
}

func (s *Store) prune(ctx context.Context, r Retention) (Pruned, error) {
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	oldest, keep := int64(math.MinInt64), int64(math.MaxInt64)
	if r.MaxAge > 0 {
		oldest = toNanos(now.Add(-r.MaxAge))
	}
	if r.MaxEntries > 0 {
		keep = int64(r.MaxEntries)
	}

	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return Pruned{}, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	// The doomed IDs are computed once, into a table private to the
	// writer's connection, so the tombstones and the deletion agree.
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS doomed (id INTEGER PRIMARY KEY)`); err != nil {
		return Pruned{}, err
	}
	if _, err := tx.ExecContext(ctx, doomedSQL, oldest, keep); err != nil {
		return Pruned{}, fmt.Errorf("select entries: %w", err)
	}
	var p Pruned
	if p.Tombstones, err = execCount(ctx, tx, buryKeysSQL, toNanos(now)); err != nil {
		return Pruned{}, fmt.Errorf("tombstones: %w", err)
	}
	// Keys and alternates go with their entry (ON DELETE CASCADE).
	if p.Entries, err = execCount(ctx, tx, `DELETE FROM entries WHERE id IN (SELECT id FROM temp.doomed)`); err != nil {
		return Pruned{}, fmt.Errorf("delete entries: %w", err)
	}
	// Emptied in the transaction: a rollback empties it too.
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.doomed`); err != nil {
		return Pruned{}, err
	}
	return p, tx.Commit()
}

func execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// buriedSQL asks whether any key of an item is a tombstone, one primary-key
// probe per key.
const buriedSQL = `
SELECT 1 FROM tombstones WHERE kind = 'item' AND value = ?1
UNION ALL
SELECT 1 FROM tombstones WHERE kind = 'url' AND value = ?2
UNION ALL
SELECT 1 FROM tombstones WHERE kind = 'hash' AND value IN (?3, ?4)
 LIMIT 1`

// hasTombstones is asked once per refresh, so that a planet that never
// pruned pays nothing per entry for tombstones.
func hasTombstones(ctx context.Context, tx *sql.Tx) (bool, error) {
	var yes bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tombstones)`).Scan(&yes)
	if err != nil {
		return false, fmt.Errorf("look for tombstones: %w", err)
	}
	return yes, nil
}
