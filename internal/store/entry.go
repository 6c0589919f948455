package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/villagefeeds/village/internal/model"
)

// Query selects a page of entries. Only entries of active sources are
// listed, newest first, and not those the source's filter leaves out.
type Query struct {
	Limit    int    // at most this many entries; 0 or less means no limit
	Offset   int    // skip this many first
	SourceID int64  // only this source's entries; 0 means all
	Tag      string // only entries of sources with this tag; "" means all
	// After, when not nil, starts the list after this entry (by its
	// Published and ID, the list's order): reading a long list a page at a
	// time so costs each page, where an Offset walks past every entry
	// before it.
	After *model.Entry
	// Oldest lists the oldest first: a page near the end of a long list
	// is then a short Offset away.
	Oldest bool
}

// filter returns the WHERE clause and arguments for q. The source test is
// a correlated subquery so that SQLite walks the newest-first index and
// stops at the page's end instead of sorting every entry of every active
// source; a single source also filters on entries.source_id so that the
// per-source index serves it. It is a scalar subquery, not EXISTS: SQLite
// answers an EXISTS on sources with a Bloom filter built from every
// source, each time the query runs, which cost 1.4 ms a query at 3,000
// sources (a scalar subquery, 0.06 ms), and the store runs one at every
// refresh (see pageCutoffSQL).
func (q Query) filter() (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("e.filtered = 0 AND ")
	if q.SourceID != 0 {
		b.WriteString("e.source_id = @source_id AND ")
		args = append(args, sql.Named("source_id", q.SourceID))
	}
	if q.After != nil {
		op := "<"
		if q.Oldest {
			op = ">"
		}
		b.WriteString("(e.listed, e.id) " + op + " (@after_listed, @after_id) AND ")
		args = append(args, sql.Named("after_listed", toNanos(q.After.Listed)), sql.Named("after_id", q.After.ID))
	}
	b.WriteString("(SELECT s.active FROM sources AS s WHERE s.id = e.source_id")
	if q.Tag != "" {
		b.WriteString(" AND EXISTS (SELECT 1 FROM json_each(s.tags) AS t WHERE t.value = @tag)")
		args = append(args, sql.Named("tag", q.Tag))
	}
	b.WriteString(") = 1")
	return b.String(), args
}

// order is q's ORDER BY: newest first, the higher ID first among equal
// dates, or the reverse.
func (q Query) order() string {
	if q.Oldest {
		return "e.listed ASC, e.id ASC"
	}
	return "e.listed DESC, e.id DESC"
}

const entryColumns = `e.id, e.source_id, e.guid, e.link, e.canonical_url,
	e.content_hash, e.title, e.author, e.summary, e.content, e.categories,
	e.published, e.updated, e.first_seen, e.public_id,
	e.item_key, e.authors, e.enclosures, e.lang, e.origin, e.listed`

// Entries lists the entries q selects, newest first with the higher ID
// first among equal dates (a stable order for paging and for byte-identical
// output), each with its alternates from active sources. Newest is by the
// date an entry is listed under: its published date, unless flood control
// listed it below the newest page (see floodDates).
func (s *Store) Entries(ctx context.Context, q Query) ([]model.Entry, error) {
	out, err := s.entries(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	return out, nil
}

func (s *Store) entries(ctx context.Context, q Query) ([]model.Entry, error) {
	// One read transaction: the page and its alternates from one snapshot.
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only

	where, args := q.filter()
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	args = append(args, sql.Named("limit", limit), sql.Named("offset", max(q.Offset, 0)))
	rows, err := tx.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries AS e
		WHERE `+where+`
		ORDER BY `+q.order()+`
		LIMIT @limit OFFSET @offset`, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanEntries(rows)
	if err != nil {
		return nil, err
	}
	if err := addAlternates(ctx, tx, out); err != nil {
		return nil, err
	}
	return out, nil
}

func scanEntries(rows *sql.Rows) ([]model.Entry, error) {
	defer rows.Close()
	var out []model.Entry
	for rows.Next() {
		var (
			e                           model.Entry
			cats, authors, encs, origin string
			published, updated, firstAt int64
			listed                      int64
		)
		err := rows.Scan(&e.ID, &e.SourceID, &e.GUID, &e.Link, &e.CanonicalURL,
			&e.ContentHash, &e.Title, &e.Author, &e.Summary, &e.Content, &cats,
			&published, &updated, &firstAt, &e.PublicID,
			&e.ItemKey, &authors, &encs, &e.Lang, &origin, &listed)
		if err != nil {
			return nil, err
		}
		if err := decodeExtras(&e, authors, encs, origin); err != nil {
			return nil, err
		}
		if e.Categories, err = decodeList(cats); err != nil {
			return nil, err
		}
		e.Published, e.Updated, e.FirstSeen = fromNanos(published), fromNanos(updated), fromNanos(firstAt)
		e.Listed = fromNanos(listed)
		out = append(out, e)
	}
	return out, rows.Err()
}

// addAlternates fills in the alternates of a page of entries with one
// query, in the order they were recorded.
func addAlternates(ctx context.Context, tx *sql.Tx, entries []model.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	index := make(map[int64]int, len(entries))
	ids := make([]int64, len(entries))
	for i, e := range entries {
		index[e.ID] = i
		ids[i] = e.ID
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.entry_id, a.source_id, a.guid, a.link
		  FROM alternates AS a JOIN sources AS s ON s.id = a.source_id
		 WHERE s.active = 1 AND a.entry_id IN (SELECT value FROM json_each(?1))
		 ORDER BY a.entry_id, a.rowid`, string(idList))
	if err != nil {
		return fmt.Errorf("alternates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a model.Alternate
		if err := rows.Scan(&id, &a.SourceID, &a.GUID, &a.Link); err != nil {
			return fmt.Errorf("alternates: %w", err)
		}
		e := &entries[index[id]]
		e.Alternates = append(e.Alternates, a)
	}
	return rows.Err()
}
