package parse

import (
	"bytes"
	"net/url"
	"sort"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// Diagnosis is what Parse silently works around in a feed and its author
// could fix: other readers are rarely as forgiving.
type Diagnosis struct {
	Items int // items in the feed
	// NoDates counts items with neither a published nor an updated date
	// that village could read; it uses the time it first saw them.
	NoDates int
	// RelativeLinks counts items whose link is relative with no xml:base
	// in scope; village resolves them against the feed's URL.
	RelativeLinks int
	// NoIDs counts items without an id (RSS guid, atom:id, JSON Feed id);
	// village then knows them by their link, so a changed link looks new.
	NoIDs int
	// DuplicateIDs lists, sorted, the ids that more than one item carries.
	DuplicateIDs []string
}

// Diagnose parses body as Parse does and also reports what Parse had to
// work around. It costs a second walk over the items, so the refresh path
// calls Parse; `village check --fetch` calls this.
func Diagnose(body []byte, feedURL string) (*Feed, Diagnosis, error) {
	feed, err := Parse(body, feedURL)
	if err != nil {
		return nil, Diagnosis{}, err
	}
	var entries []*entry
	switch gofeed.DetectFeedType(bytes.NewReader(body)) {
	case gofeed.FeedTypeRSS:
		if f, err := (&rss.Parser{}).Parse(bytes.NewReader(body)); err == nil {
			for _, it := range f.Items {
				if it != nil {
					entries = append(entries, rssEntry(it))
				}
			}
		}
	case gofeed.FeedTypeAtom:
		if f, err := (&atom.Parser{}).Parse(bytes.NewReader(body)); err == nil {
			for _, en := range f.Entries {
				if en != nil {
					entries = append(entries, atomEntry(en))
				}
			}
		}
	case gofeed.FeedTypeJSON:
		if f, err := (&jsonfeed.Parser{}).Parse(bytes.NewReader(bytes.TrimPrefix(body, utf8BOM))); err == nil {
			for _, it := range f.Items {
				if it != nil {
					entries = append(entries, jsonEntry(it))
				}
			}
		}
	}
	return feed, diagnose(entries, feed.Items), nil
}

// diagnose looks at the items as the format mappers picked them (links
// before resolution) and as Parse built them (ids and dates after cleaning).
func diagnose(raw []*entry, items []Item) Diagnosis {
	d := Diagnosis{Items: len(items)}
	for _, e := range raw {
		if isRelative(e.link) {
			d.RelativeLinks++
		}
	}
	seen := make(map[string]int, len(items))
	for _, it := range items {
		if it.Published.IsZero() && it.Updated.IsZero() {
			d.NoDates++
		}
		if it.GUID == "" {
			d.NoIDs++
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
