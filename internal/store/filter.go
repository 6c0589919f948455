package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/villagefeeds/village/internal/model"
)

// Keep tells whether a stored entry of its source is shown.
type Keep func(model.Entry) bool

// FilterEntries marks which stored entries the sources' filters leave out,
// in one transaction: for each source ID in keep, its entries that keep
// refuses are no longer listed (and those it accepts are again); the
// entries of every other source are all shown. Nothing is deleted, so a
// loosened rule brings the entries back. It returns how many entries
// changed state.
func (s *Store) FilterEntries(ctx context.Context, keep map[int64]Keep) (int, error) {
	n, err := s.filterEntries(ctx, keep)
	if err != nil {
		return 0, fmt.Errorf("filter entries: %w", err)
	}
	return n, nil
}

func (s *Store) filterEntries(ctx context.Context, keep map[int64]Keep) (int, error) {
	ids := make([]int64, 0, len(keep))
	for id := range keep {
		ids = append(ids, id)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return 0, err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, `UPDATE entries SET filtered = 0
		WHERE filtered = 1 AND source_id NOT IN (SELECT value FROM json_each(?1))`, string(list))
	if err != nil {
		return 0, err
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	for id, k := range keep {
		n, err := filterSource(ctx, tx, id, k)
		if err != nil {
			return 0, fmt.Errorf("source %d: %w", id, err)
		}
		changed += int64(n)
	}
	return int(changed), tx.Commit()
}

// filterSource applies keep to the entries of one source.
func filterSource(ctx context.Context, tx *sql.Tx, sourceID int64, keep Keep) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, title, summary, content, categories, filtered
		FROM entries WHERE source_id = ?1`, sourceID)
	if err != nil {
		return 0, err
	}
	type flip struct {
		id       int64
		filtered bool
	}
	var flips []flip
	for rows.Next() {
		var e model.Entry
		var cats string
		var filtered bool
		if err := rows.Scan(&e.ID, &e.Title, &e.Summary, &e.Content, &cats, &filtered); err != nil {
			rows.Close()
			return 0, err
		}
		if e.Categories, err = decodeList(cats); err != nil {
			rows.Close()
			return 0, err
		}
		e.SourceID = sourceID
		if out := !keep(e); out != filtered {
			flips = append(flips, flip{e.ID, out})
		}
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, f := range flips {
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET filtered = ?2 WHERE id = ?1`, f.id, f.filtered); err != nil {
			return 0, err
		}
	}
	return len(flips), nil
}
