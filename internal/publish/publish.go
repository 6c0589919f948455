// Package publish renders the merged planet feed as bytes, deterministically.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gorilla/feeds"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
)

// ErrUnknownSource is returned when an entry's SourceID is missing from the
// sources map: its atom:source and fallback author cannot be rendered, and
// guessing would break the feed's stable ids.
var ErrUnknownSource = errors.New("unknown source")

// Meta describes the merged feed itself.
type Meta struct {
	Title     string
	Link      string // the planet's public URL, ends with "/"; also the feed's atom:id
	SelfURL   string // URL of this feed document (link rel="self")
	Author    string // feed author; Title is used when empty, so the feed is never authorless
	Generator string // "village"
	Version   string
	URI       string // generator uri, may be ""
	// Description is the RSS channel description and the JSON Feed
	// description; RSS requires one, so Title stands in when empty.
	Description string
	Links       []Link // extra feed-level links (rel="next", "hub", ...); may be nil
	// Redact hides the secrets of source URLs in atom:source and RSS
	// <source>; nil hides the default ones.
	Redact *redact.Redactor
}

// Link is an extra feed-level atom:link.
type Link struct {
	Rel, Href, Type, Title string
}

// epoch is the atom:updated of a feed with no entries. A fixed value, not
// time.Now, so that the same input always yields the same bytes (and ETag).
var epoch = time.Unix(0, 0).UTC()

// Atom renders the merged feed as an Atom 1.0 document (RFC 4287). entries
// are newest first, as the store returns them, and are kept in that order;
// sources maps model.Source.ID to its source. The output depends only on the
// arguments: feed and source atom:updated come from the entries, never from
// the clock.
func Atom(m Meta, entries []model.Entry, sources map[int64]model.Source) ([]byte, error) {
	updated := make([]time.Time, len(entries))
	newest := make(map[int64]time.Time, len(sources))
	feedUpdated := epoch
	size := 2048
	for i := range entries {
		e := &entries[i]
		if _, ok := sources[e.SourceID]; !ok {
			return nil, fmt.Errorf("publish atom: entry %d: source %d: %w", e.ID, e.SourceID, ErrUnknownSource)
		}
		u := entryUpdated(e)
		updated[i] = u
		if u.After(newest[e.SourceID]) {
			newest[e.SourceID] = u
		}
		if i == 0 || u.After(feedUpdated) {
			feedUpdated = u
		}
		// Escaping HTML makes it about half as long again.
		size += 1024 + (len(e.Content)+len(e.Summary))*3/2 + 2*len(e.Title)
	}

	f := newFeed(m, feedUpdated)
	f.Entries = make([]atomEntry, len(entries))
	seen := make(map[string]struct{}, len(entries))
	for i := range entries {
		e := &entries[i]
		a := newEntry(e, updated[i], sources, newest[e.SourceID], m.Redact)
		if _, dup := seen[a.ID]; dup {
			a.ID = uniqueID(e, sources[e.SourceID])
		}
		seen[a.ID] = struct{}{}
		f.Entries[i] = a
	}

	var buf bytes.Buffer
	buf.Grow(size)
	if err := feeds.WriteXML(f, &buf); err != nil {
		return nil, fmt.Errorf("publish atom: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// uniqueID is the atom:id of an entry whose EntryID an earlier entry in the
// same render already took: two sources that reuse one GUID for different
// posts, say. Readers drop entries with a repeated id, so the later one gets
// an id derived from the store's row id, which no other entry has.
func uniqueID(e *model.Entry, src model.Source) string {
	return uuidURN(src.URL + "\nentry:" + strconv.FormatInt(e.ID, 10))
}

// entryUpdated is the entry's atom:updated: its own date, else its publication
// date, else when village first saw it. The fixed epoch stands in only when the
// store gave no date at all, which it should never do.
func entryUpdated(e *model.Entry) time.Time {
	switch {
	case !e.Updated.IsZero():
		return e.Updated
	case !e.Published.IsZero():
		return e.Published
	case !e.FirstSeen.IsZero():
		return e.FirstSeen
	}
	return epoch
}

// date formats t as an RFC 3339 date in UTC, so that a time.Location coming
// from the store never changes the bytes.
func date(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
