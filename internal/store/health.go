package store

import (
	"context"
	"fmt"
)

// MarkMoved records where a source's feed now lives after redirects that
// were all permanent, or clears it with "" once the old URL answers again
// without a redirect. The URL in feeds.yaml stays what it is: the planet's
// owner is told to change it.
func (s *Store) MarkMoved(ctx context.Context, sourceID int64, movedTo string) error {
	res, err := s.writer.ExecContext(ctx, `UPDATE sources SET moved_to = ?2 WHERE id = ?1`, sourceID, movedTo)
	if err == nil {
		err = mustAffect(res)
	}
	if err != nil {
		return fmt.Errorf("mark source %d moved: %w", sourceID, err)
	}
	return nil
}

// MarkGone records a 410 Gone as a failure and stops polling the source:
// DueSources skips it and its next check is put beyond any schedule, so a
// scheduler that sleeps until the next check never wakes for it. Listing
// the source again after removing it from feeds.yaml clears the mark.
func (s *Store) MarkGone(ctx context.Context, sourceID int64, f Failure) error {
	err := s.execInGroup(ctx, `UPDATE sources
		   SET last_status = ?2, last_error = ?3, error_count = error_count + 1,
		       last_check = ?4, next_check = ?5, gone = 1, last_problem = ?6, `+failingSinceSQL+`
		 WHERE id = ?1`,
		sourceID, f.Status, f.Err, toNanos(f.CheckedAt), toNanos(maxTime), f.Problem)
	if err != nil {
		return fmt.Errorf("mark source %d gone: %w", sourceID, err)
	}
	return nil
}

// EntriesBySource counts the shown entries of every source that has any
// (those its filter leaves out are not counted), for the per-source health
// report. It reads the counts the listings' triggers keep (migration 010):
// /sources.json and /metrics are public, and counting the entries each
// time read the whole archive, a second at a million entries.
func (s *Store) EntriesBySource(ctx context.Context) (map[int64]int, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT source_id, entries FROM listings WHERE entries > 0`)
	if err != nil {
		return nil, fmt.Errorf("count entries by source: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]int)
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count entries by source: %w", err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count entries by source: %w", err)
	}
	return out, nil
}
