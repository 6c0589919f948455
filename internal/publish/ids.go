package publish

import (
	"fmt"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// entryIDs returns the id of every entry, as Atom gives it: EntryID, or
// uniqueID for an entry whose EntryID an earlier one took. RSS and JSON
// Feed use the same ids, so a reader that switches format sees no new posts.
// It fails when an entry's source is missing.
func entryIDs(entries []model.Entry, sources map[int64]model.Source) ([]string, error) {
	ids := make([]string, len(entries))
	seen := make(map[string]struct{}, len(entries))
	for i := range entries {
		e := &entries[i]
		src, ok := sources[e.SourceID]
		if !ok {
			return nil, fmt.Errorf("entry %d: source %d: %w", e.ID, e.SourceID, ErrUnknownSource)
		}
		id := clean(EntryID(*e, src))
		if _, dup := seen[id]; dup {
			id = uniqueID(e, src)
		}
		seen[id] = struct{}{}
		ids[i] = id
	}
	return ids, nil
}

// newestUpdated is the newest entryUpdated of entries, or the epoch.
func newestUpdated(entries []model.Entry) time.Time {
	newest := epoch
	for i := range entries {
		if u := entryUpdated(&entries[i]); u.After(newest) {
			newest = u
		}
	}
	return newest
}

// body is what a reader shows for e: its content, else its summary.
func body(e *model.Entry) string {
	if e.Content != "" {
		return e.Content
	}
	return e.Summary
}

// linkHref returns the href of the first of m.Links with rel, or "".
func (m Meta) linkHref(rel string) string {
	for _, l := range m.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}
