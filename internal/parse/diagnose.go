package parse

import (
	"net/url"
	"sort"
)

// Diagnosis is what Parse silently works around in a feed and its author
// could fix: other readers are rarely as forgiving.
type Diagnosis struct {
	Items int // items in the feed
	// Report is what Parse repaired or guessed: the encoding, items
	// skipped, untitled or without id.
	Report
	// NoDates counts items with neither a published nor an updated date
	// that village could read; it uses the time it first saw them.
	NoDates int
	// RelativeLinks counts items whose link is relative with no xml:base
	// in scope; village resolves them against the feed's URL.
	RelativeLinks int
	// NoIDs counts items without an id (RSS guid, atom:id, JSON Feed id)
	// but with a link; village then knows them by their link, so a changed
	// link looks new.
	NoIDs int
	// DuplicateIDs lists, sorted, the ids that more than one item carries.
	DuplicateIDs []string
}

// Diagnose parses body, served with the given Content-Type, as ParseHTTP
// does and also reports what it had to work around. It costs a walk over
// the items, so the refresh path calls Parse; `village check --fetch`
// calls this.
func Diagnose(body []byte, feedURL, contentType string) (*Feed, Diagnosis, error) {
	feed, raw, err := parseDoc(body, feedURL, contentType)
	if err != nil {
		return nil, Diagnosis{}, err
	}
	return feed, diagnose(raw, feed), nil
}

// diagnose looks at the items as the format mappers picked them (links
// before resolution) and as Parse built them (ids and dates after cleaning).
func diagnose(raw []*entry, feed *Feed) Diagnosis {
	d := Diagnosis{Items: len(feed.Items), Report: feed.Report}
	for _, e := range raw {
		if isRelative(e.link) {
			d.RelativeLinks++
		}
	}
	seen := make(map[string]int, len(feed.Items))
	for _, it := range feed.Items {
		if it.Published.IsZero() && it.Updated.IsZero() {
			d.NoDates++
		}
		if it.GUID == "" {
			if it.Link != "" {
				d.NoIDs++
			}
			continue
		}
		seen[it.GUID]++
		if seen[it.GUID] == 2 {
			d.DuplicateIDs = append(d.DuplicateIDs, it.GUID)
		}
	}
	sort.Strings(d.DuplicateIDs)
	return d
}

// isRelative reports whether a link is present but not absolute: gofeed
// has already applied any xml:base, so what is left had none.
func isRelative(link string) bool {
	link = cleanString(link)
	if link == "" {
		return false
	}
	u, err := url.Parse(link)
	return err == nil && !u.IsAbs()
}
