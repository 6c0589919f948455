package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// Report is what Parse had to repair or guess in a feed. Refreshes keep it
// as notes on the source (fetch and feeds show them) and check --fetch
// reports it: a reader that silently drops or invents things is one whose
// users cannot tell a broken feed from a quiet blog.
type Report struct {
	Decoding Decoding
	// Skipped counts items with nothing to show (no title, link, text or
	// enclosure): they are left out.
	Skipped int
	// Untitled counts items without a title, titled from their first words.
	Untitled int
	// NoIDOrLink counts items with neither an id nor a link, known by a digest
	// of their title, date and text: an edit makes them new posts.
	NoIDOrLink int
	// SharedIDs counts items whose id other items with other links carry
	// too: each is known by its id and link.
	SharedIDs int
}

// Notes words the report for people, one short note per problem; none for
// a clean feed.
func (r Report) Notes() []string {
	var out []string
	if r.Decoding.Problem != "" {
		out = append(out, "encoding: "+r.Decoding.Problem)
	}
	if r.Skipped > 0 {
		out = append(out, fmt.Sprintf("%d empty items skipped (no title, link, text or enclosure)", r.Skipped))
	}
	if r.NoIDOrLink > 0 {
		out = append(out, fmt.Sprintf("%d items without id or link, known by title, date and text", r.NoIDOrLink))
	}
	if r.SharedIDs > 0 {
		out = append(out, fmt.Sprintf("%d items share an id with another post, known by id and link", r.SharedIDs))
	}
	if r.Untitled > 0 {
		out = append(out, fmt.Sprintf("%d items without a title, titled from their first words", r.Untitled))
	}
	return out
}

// finish drops the items with nothing to show, titles the untitled, gives
// every item its key and digest, reads the HTML of every item known does
// not know, and counts all that in feed.Report. raw, the items as the
// mappers picked them in the same order, is returned without the dropped
// ones.
//
// An item's HTML is read first when its text decides whether it is kept
// or what its key is: it has no id or link, or nothing else to show.
func finish(feed *Feed, raw []*entry, known Known) []*entry {
	items, kept := feed.Items[:0], raw[:0]
	for i, it := range feed.Items {
		e := raw[i]
		if needsText(&it) {
			e.fill(&it)
		}
		if it.Title == "" && it.Link == "" && it.Text == "" && len(it.Enclosures) == 0 {
			feed.Report.Skipped++
			continue
		}
		if it.Title == "" && e.filled {
			it.Title = untitled(it)
			feed.Report.Untitled++
		}
		items = append(items, it)
		kept = append(kept, e)
	}
	feed.Items = items
	feed.Report.NoIDOrLink, feed.Report.SharedIDs = itemKeys(feed.Items)
	listed := make(map[string]int, len(feed.Items))
	for _, it := range feed.Items {
		listed[it.Key]++
	}
	for i := range feed.Items {
		it, e := &feed.Items[i], kept[i]
		it.Digest = e.digest()
		switch {
		case e.filled:
			continue
		// An item listed twice is one item to the store, which reads
		// both copies: neither is known.
		case known != nil && listed[it.Key] == 1 && known(it.Key, it.Digest):
			it.Known = true
		default:
			e.fill(it)
		}
		if it.Title == "" {
			it.Title = untitled(*it)
			feed.Report.Untitled++
		}
	}
	return kept
}

// needsText reports whether the item's text decides its key (it has
// neither id nor link) or whether it is kept (it has nothing else).
func needsText(it *Item) bool {
	noTitle := it.Title == "" && len(it.Enclosures) == 0
	return it.Link == "" && (it.GUID == "" || noTitle)
}

// untitled makes a title for an item that has none: its first words, else
// its enclosure's title or file name, else its link.
func untitled(it Item) string {
	if h := model.Headline(it.Text); h != "" {
		return h
	}
	for _, e := range it.Enclosures {
		if e.Title != "" {
			return e.Title
		}
		if name := path.Base(e.URL); name != "" && name != "/" && name != "." {
			return name
		}
	}
	return it.Link
}

// itemKeys sets every item's Key, how the source tells it from its other
// items, and counts the items known by a digest and by id and link:
//
//   - its GUID, which stays when the link changes;
//   - its GUID and link when other items with other links share the GUID
//     (a feed that gives every post the blog's address as its guid);
//   - its link, when it has no GUID;
//   - else "digest:" and a hash of its title, date and text, which stays as
//     long as the item does.
func itemKeys(items []Item) (digests, shared int) {
	links := map[string]string{} // GUID -> the first link seen with it
	many := map[string]bool{}    // GUIDs carried by items with different links
	for _, it := range items {
		if it.GUID == "" {
			continue
		}
		if l, seen := links[it.GUID]; !seen {
			links[it.GUID] = it.Link
		} else if l != it.Link {
			many[it.GUID] = true
		}
	}
	for i := range items {
		it := &items[i]
		switch {
		case many[it.GUID]:
			it.Key = it.GUID + "\n" + it.Link
			shared++
		case it.GUID != "":
			it.Key = it.GUID
		case it.Link != "":
			it.Key = it.Link
		default:
			it.Key = digestKey(it)
			digests++
		}
	}
	return digests, shared
}

// digestKey identifies an item by what it says, for a feed that gives it
// neither an id nor a link.
func digestKey(it *Item) string {
	date := ""
	if d := firstDate(it.Published, it.Updated); !d.IsZero() {
		date = d.UTC().Format(time.RFC3339Nano)
	}
	h := sha256.New()
	for _, s := range []string{it.Title, date, it.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "digest:" + hex.EncodeToString(h.Sum(nil)[:16])
}
