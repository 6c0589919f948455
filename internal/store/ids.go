package store

import (
	"context"
	"fmt"
)

// knownIDsSQL lists the ids a source's posts were stored under, by link:
// its own entries and its copies of other sources' entries.
const knownIDsSQL = `
SELECT e.link, e.guid FROM entries AS e JOIN sources AS s ON s.id = e.source_id
 WHERE s.url = ?1 AND e.guid <> '' AND e.link <> ''
UNION ALL
SELECT a.link, a.guid FROM alternates AS a JOIN sources AS s ON s.id = a.source_id
 WHERE s.url = ?1 AND a.guid <> '' AND a.link <> ''`

// KnownIDs returns, by link, the id each post of the source with feed URL
// url was stored under, so that a fresh fetch can tell whether the feed
// gives its posts new ids (readers then show them again). It is empty for a
// source never fetched.
func (s *Store) KnownIDs(ctx context.Context, url string) (map[string]string, error) {
	rows, err := s.reader.QueryContext(ctx, knownIDsSQL, url)
	if err != nil {
		return nil, fmt.Errorf("known ids of %s: %w", url, err)
	}
	defer rows.Close()
	ids := map[string]string{}
	for rows.Next() {
		var link, guid string
		if err := rows.Scan(&link, &guid); err != nil {
			return nil, fmt.Errorf("known ids of %s: %w", url, err)
		}
		ids[link] = guid
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("known ids of %s: %w", url, err)
	}
	return ids, nil
}
