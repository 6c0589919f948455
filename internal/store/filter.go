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
// entries of every other source are all shown. A refused entry that
// another listed source also carries passes to that source's copy instead
// (see filterSource). Nothing is deleted, so a loosened rule brings the
// entries back. It returns how many entries changed state.
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
	for id := range keep {
		n, err := filterSource(ctx, tx, id, keep)
		if err != nil {
			return 0, fmt.Errorf("source %d: %w", id, err)
		}
		changed += int64(n)
	}
	return int(changed), tx.Commit()
}

// filterSource applies keep[sourceID] to the entries of one source. An
// entry the rule refuses passes to a copy that another listed source
// carries, when that source's own rule, if any, keeps the post (see
// heir.inherit): a rule says what to take from one blog, and the blogs
// that also carry the post still list it. Only an entry no such copy
// takes over is hidden. It returns how many entries changed state.
func filterSource(ctx context.Context, tx *sql.Tx, sourceID int64, keep map[int64]Keep) (int, error) {
	refused, flips, err := judgeSource(ctx, tx, sourceID, keep[sourceID])
	if err != nil {
		return 0, err
	}
	for _, r := range refused {
		h, ok, err := heirOf(ctx, tx, r.entry, keep)
		if err != nil {
			return 0, err
		}
		switch {
		case ok:
			if err := h.inherit(ctx, tx); err != nil {
				return 0, err
			}
			flips = append(flips, flip{r.entry.ID, false, r.filtered})
		case !r.filtered:
			flips = append(flips, flip{r.entry.ID, true, true})
		}
	}
	changed := 0
	for _, f := range flips {
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET filtered = ?2 WHERE id = ?1`, f.id, f.filtered); err != nil {
			return 0, err
		}
		if f.counts {
			changed++
		}
	}
	return changed, nil
}

// flip is a change of an entry's filtered flag; counts is false for a
// shown entry passed to another source, whose flag is set again.
type flip struct {
	id               int64
	filtered, counts bool
}

// refusal is an entry a source's rule refuses, and whether it was hidden.
type refusal struct {
	entry    model.Entry
	filtered bool
}

// judgeSource reads the entries of one source and applies keep: it
// returns the refused entries that other sources also carry, for
// filterSource to pass on or hide, and the flags to change of the others.
func judgeSource(ctx context.Context, tx *sql.Tx, sourceID int64, keep Keep) ([]refusal, []flip, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, title, summary, content, categories, filtered,
		EXISTS (SELECT 1 FROM alternates AS a WHERE a.entry_id = entries.id)
		FROM entries WHERE source_id = ?1`, sourceID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		refused []refusal
		flips   []flip
	)
	for rows.Next() {
		var (
			e                   model.Entry
			cats                string
			filtered, hasCopies bool
		)
		if err := rows.Scan(&e.ID, &e.Title, &e.Summary, &e.Content, &cats, &filtered, &hasCopies); err != nil {
			return nil, nil, err
		}
		if e.Categories, err = decodeList(cats); err != nil {
			return nil, nil, err
		}
		e.SourceID = sourceID
		out := !keep(e)
		switch {
		case out && hasCopies:
			refused = append(refused, refusal{e, filtered})
		case out != filtered:
			flips = append(flips, flip{e.ID, out, true})
		}
	}
	return refused, flips, rows.Err()
}

// heirOf finds the copy of e, refused by its source's rule, that is to
// become the entry: the first recorded of a listed source whose rule, if
// any, keeps the post.
func heirOf(ctx context.Context, tx *sql.Tx, e model.Entry, keep map[int64]Keep) (heir, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.rowid, a.source_id, a.guid, a.link, a.rule
		FROM alternates AS a
		JOIN sources AS s ON s.id = a.source_id AND s.active = 1
		WHERE a.entry_id = ?1 AND a.source_id <> ?2
		ORDER BY a.rowid`, e.ID, e.SourceID)
	if err != nil {
		return heir{}, false, err
	}
	defer rows.Close()
	for rows.Next() {
		h := heir{entry: e.ID}
		if err := rows.Scan(&h.altRow, &h.source, &h.guid, &h.link, &h.rule); err != nil {
			return heir{}, false, err
		}
		theirs := e
		theirs.SourceID = h.source
		if k, ok := keep[h.source]; !ok || k(theirs) {
			return h, true, nil
		}
	}
	return heir{}, false, rows.Err()
}
