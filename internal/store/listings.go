package store

import (
	"context"
	"database/sql"
	"fmt"
)

// CountEntries counts the entries q selects, ignoring Limit and Offset, for
// paging. It sums the per-source counts that migration 004's triggers keep,
// so it costs the number of sources, not of entries: a page of an archive
// of a million entries knows its page count at once.
func (s *Store) CountEntries(ctx context.Context, q Query) (int, error) {
	var b []byte
	b = append(b, `SELECT coalesce(sum(l.entries), 0) FROM listings AS l JOIN sources AS s ON s.id = l.source_id
		WHERE s.active = 1`...)
	var args []any
	if q.SourceID != 0 {
		b = append(b, ` AND s.id = @source_id`...)
		args = append(args, sql.Named("source_id", q.SourceID))
	}
	if q.Tag != "" {
		b = append(b, ` AND EXISTS (SELECT 1 FROM json_each(s.tags) AS t WHERE t.value = @tag)`...)
		args = append(args, sql.Named("tag", q.Tag))
	}
	var n int
	if err := s.reader.QueryRowContext(ctx, string(b), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count entries: %w", err)
	}
	return n, nil
}

// Changes returns the sources whose listing changed (an entry of theirs
// was stored, edited, moved, pruned, or gained or lost an alternate) after
// mark, and the mark to ask from next time. A mark of 0 asks for every
// source that ever changed. The sources may be inactive.
func (s *Store) Changes(ctx context.Context, mark int64) (ids []int64, next int64, err error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT source_id, changed FROM listings WHERE changed > ?1 ORDER BY changed`, mark)
	if err != nil {
		return nil, mark, fmt.Errorf("list changes: %w", err)
	}
	defer rows.Close()
	next = mark
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &next); err != nil {
			return nil, mark, fmt.Errorf("list changes: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, mark, fmt.Errorf("list changes: %w", err)
	}
	return ids, next, nil
}

// ChangeMark returns the mark of the latest change, so that a reader that
// has just read everything can ask Changes for what comes after.
func (s *Store) ChangeMark(ctx context.Context) (int64, error) {
	var mark int64
	if err := s.reader.QueryRowContext(ctx, `SELECT coalesce(max(changed), 0) FROM listings`).Scan(&mark); err != nil {
		return 0, fmt.Errorf("change mark: %w", err)
	}
	return mark, nil
}
