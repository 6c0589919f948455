package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Flood control. A source added today with twenty undated posts, or one
// that re-dates its whole archive under new ids, would otherwise put every
// post at the top of the merged feed and push everyone else off its first
// page. A refresh may put at most Refresh.MaxArrivals new entries on the
// merged feed's newest page (the Refresh.PageSize newest entries of the
// active sources); the rest are listed just below it, in a stable order.
// Only the date an entry is listed under (entries.listed) moves: its
// published date, which readers see and de-duplication compares, stays.

// arrival is an entry a refresh inserted: its row and the date it is
// listed under, its published date.
type arrival struct {
	id     int64
	listed time.Time
}

// floodDates decides the listed dates of a refresh's new entries, in feed
// order. cutoff is the listed date of the oldest entry on the merged feed's
// newest page before the refresh (the page's last entry, or the oldest
// entry of all while the page is not full; zero when there is none).
// Entries dated after it arrive on the page: the limit newest of them (the
// first in the feed among equal dates) keep their dates, and the others
// are listed a second apart just below the cutoff (below the last kept one
// when there is no cutoff), never later than their own date, newest and
// first in the feed first. It returns the new dates by index in arrivals;
// none when nothing moves or limit is 0 (no limit).
func floodDates(arrivals []arrival, cutoff time.Time, limit int) map[int]time.Time {
	if limit <= 0 {
		return nil
	}
	var onPage []int
	for i, a := range arrivals {
		if cutoff.IsZero() || a.listed.After(cutoff) {
			onPage = append(onPage, i)
		}
	}
	if len(onPage) <= limit {
		return nil
	}
	slices.SortStableFunc(onPage, func(i, j int) int { return arrivals[j].listed.Compare(arrivals[i].listed) })
	floor := cutoff
	if floor.IsZero() {
		floor = arrivals[onPage[limit-1]].listed
	}
	moved := map[int]time.Time{}
	for n, i := range onPage[limit:] {
		d := floor.Add(-time.Duration(n+1) * time.Second)
		if own := arrivals[i].listed; own.Before(d) {
			d = own
		}
		if !d.Equal(arrivals[i].listed) {
			moved[i] = d
		}
	}
	return moved
}

// pageCutoffSQL is the listed date of the oldest of the ?1 newest entries
// of the active sources: the last entry of the merged feed's newest page,
// or the oldest entry of all while the page is not full. The source test
// is a scalar subquery for the reason Query.filter's is.
const pageCutoffSQL = `
SELECT listed FROM (
	SELECT e.listed FROM entries AS e
	 WHERE (SELECT s.active FROM sources AS s WHERE s.id = e.source_id) = 1
	 ORDER BY e.listed DESC, e.id DESC
	 LIMIT ?1)
 ORDER BY listed LIMIT 1`

// pageCutoff returns the cutoff floodDates needs, read before the refresh
// inserts anything; zero when the planet has no entries or no limit is set.
func (s *Store) pageCutoff(ctx context.Context, tx *sql.Tx, r *Refresh) (time.Time, error) {
	if r.MaxArrivals <= 0 || r.PageSize <= 0 {
		return time.Time{}, nil
	}
	var n int64
	err := s.written.queryRow(ctx, tx, pageCutoffSQL, r.PageSize).Scan(&n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("newest page: %w", err)
	}
	return fromNanos(n), nil
}

// limitFlood lists the entries a refresh inserted as floodDates says.
func limitFlood(ctx context.Context, tx *sql.Tx, r *Refresh, arrivals []arrival, cutoff time.Time) error {
	for i, d := range floodDates(arrivals, cutoff, r.MaxArrivals) {
		_, err := tx.ExecContext(ctx, `UPDATE entries SET listed = ?2 WHERE id = ?1`, arrivals[i].id, toNanos(d))
		if err != nil {
			return fmt.Errorf("date entry %d below the newest page: %w", arrivals[i].id, err)
		}
	}
	return nil
}
