// Package parse turns a fetched RSS, Atom or JSON Feed document into plain values with sanitised HTML, absolute URLs and UTC dates.
package parse

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/villagefeeds/village/internal/model"
)

// ErrNotFeed is wrapped by Parse when the body is not a feed at all, such as
// an HTML page served where a feed used to be, so callers can report that
// distinctly from a broken feed.
var ErrNotFeed = errors.New("not a feed")

// Feed is what a feed says about itself, with its items.
type Feed struct {
	ID      string // atom:id, else RSS channel link, else JSON Feed feed_url/home_page_url
	Title   string
	Link    string // the site's home page (absolute)
	Author  string // feed-level author names, "" when none
	Authors []model.Person
	Lang    string // the feed's language, "" when unknown
	Items   []Item
	Report  Report // what Parse had to repair or guess
}

// Item is one post of a feed, normalised across formats.
type Item struct {
	// Key tells the item from the feed's others: see itemKeys.
	Key        string
	GUID       string // the source's own id: atom:id, RSS guid, JSON Feed id; "" when none
	Link       string // absolute link to the post
	Title      string // plain text; never empty: made from the first words when the feed gives none
	Author     string // names joined with ", "; falls back to the feed-level authors
	Authors    []model.Person
	Summary    string // sanitised HTML of the summary, only when the item also has full content
	Content    string // sanitised HTML with absolute URLs: the full content, else the summary
	Text       string // visible text of Content, one line per block, for de-duplication
	Categories []string
	Enclosures []model.Enclosure
	Lang       string        // the item's language, else the feed's; "" when unknown
	Origin     *model.Origin // the feed the item says it came from (atom:source), nil when none
	Published  time.Time     // zero when the feed gives none
	Updated    time.Time     // zero when the feed gives none
	// Digest identifies the item as the feed wrote it (see known.go).
	Digest []byte `json:"-"`
	// Known is set when the caller's Known said the item is stored as it
	// reads now: its HTML was not read, so Summary, Content and Text are
	// empty and Title may be a stand-in.
	Known bool `json:"-"`
}

// Parse parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed document.
// feedURL is where it was fetched from, the base for relative URLs.
func Parse(body []byte, feedURL string) (*Feed, error) {
	return ParseHTTP(body, feedURL, "")
}

// ParseHTTP is Parse for a body served with the given Content-Type, whose
// charset is honoured when neither a byte-order mark nor the XML
// declaration names the encoding.
func ParseHTTP(body []byte, feedURL, contentType string) (*Feed, error) {
	feed, _, err := parseDoc(body, feedURL, contentType)
	return feed, err
}

// ParseKnown is ParseHTTP that leaves the HTML of the items known says are
// stored unread (see known.go). known may be nil.
func ParseKnown(body []byte, feedURL, contentType string, known Known) (*Feed, error) {
	feed, _, err := parseDocKnown(body, feedURL, contentType, true, known)
	return feed, err
}

// parseDoc parses a feed and also returns its items as the format mappers
// picked them, for Diagnose.
//
// It calls gofeed's format parsers directly instead of gofeed.Parser: the
// default translators parse every item's HTML once more to find images,
// which we never use, and lose what scanExtras recovers.
func parseDoc(body []byte, feedURL, contentType string) (*Feed, []*entry, error) {
	return parseDocWith(body, feedURL, contentType, true)
}

// parseDocWith is parseDoc, giving gofeed's Atom parser the document
// hollowed by the scan or not (see hollow.go).
func parseDocWith(body []byte, feedURL, contentType string, hollow bool) (*Feed, []*entry, error) {
	return parseDocKnown(body, feedURL, contentType, hollow, nil)
}

// parseDocKnown is parseDocWith that asks known before it reads an item's
// HTML.
func parseDocKnown(body []byte, feedURL, contentType string, hollow bool, known Known) (*Feed, []*entry, error) {
	base, err := url.Parse(feedURL)
	if err != nil || !base.IsAbs() {
		base = nil
	}
	body, dec := toUTF8(body, contentType)
	var (
		feed *Feed
		raw  []*entry
	)
	switch detectType(body) {
	case gofeed.FeedTypeRSS:
		x := scanExtras(body, base)
		f, err := parseRSS(body, x, hollow)
		if err != nil {
			return nil, nil, fmt.Errorf("parse rss: %w", err)
		}
		feed, raw = fromRSS(f, base, x)
	case gofeed.FeedTypeAtom:
		x := scanExtras(body, base)
		f, err := parseAtom(body, x, hollow)
		if err != nil {
			return nil, nil, fmt.Errorf("parse atom: %w", err)
		}
		feed, raw = fromAtom(f, base, x)
	case gofeed.FeedTypeJSON:
		f, err := (&jsonfeed.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, nil, fmt.Errorf("parse json feed: %w", err)
		}
		if !isJSONFeed(f) {
			return nil, nil, fmt.Errorf("parse: %w: JSON document without a JSON Feed version or items", ErrNotFeed)
		}
		feed, raw = fromJSON(f, base)
	default:
		if isHTMLPage(body) {
			return nil, nil, fmt.Errorf("parse: %w: the document is an HTML page", ErrNotFeed)
		}
		return nil, nil, fmt.Errorf("parse: %w: no RSS, Atom or JSON Feed root", ErrNotFeed)
	}
	feed.Report.Decoding = dec
	raw = finish(feed, raw, known)
	return feed, raw, nil
}

// parseAtom runs gofeed's Atom parser, on the document hollowed by the
// scan x when hollow is set and x hollowed any construct. Should gofeed
// read a different number of entries there than in the whole document, or
// fail, the whole document is read: the values the scan took are gofeed's
// own, but they are only used while its entries line up with the scan's.
func parseAtom(body []byte, x *docExtras, hollow bool) (*atom.Feed, error) {
	if doc := x.hollowed(); hollow && doc != nil {
		if f, err := (&atom.Parser{}).Parse(bytes.NewReader(doc)); err == nil && len(f.Entries) == len(x.items) {
			return f, nil
		}
	}
	if x != nil {
		x.unhollow()
	}
	return (&atom.Parser{}).Parse(bytes.NewReader(body))
}

// parseRSS is parseAtom for RSS. The scan's items must also line up with
// gofeed's where it took a text out: gofeed then read it empty.
func parseRSS(body []byte, x *docExtras, hollow bool) (*rss.Feed, error) {
	if doc := x.hollowed(); hollow && doc != nil {
		if f, err := (&rss.Parser{}).Parse(bytes.NewReader(doc)); err == nil && !x.unsure && linedUp(f.Items, x.items) {
			return f, nil
		}
	}
	if x != nil {
		x.unhollow()
	}
	return (&rss.Parser{}).Parse(bytes.NewReader(body))
}

// linedUp reports whether the scan's items are gofeed's: as many, and
// empty where the scan hollowed them.
func linedUp(items []*rss.Item, xs []extra) bool {
	if len(items) != len(xs) {
		return false
	}
	for i, it := range items {
		x := xs[i]
		if it == nil {
			if x.description.hollow || x.encoded.hollow {
				return false
			}
			continue
		}
		if x.description.hollow && it.Description != "" || x.encoded.hollow && it.Content != "" {
			return false
		}
	}
	return true
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// detectPrefix is how much of a body detectType shows gofeed first.
const detectPrefix = 4 << 10

// detectType is gofeed.DetectFeedType, which copies the whole body to look
// at its first element, shown a prefix first. The XML decoder returns the
// root element only once it has read its closing ">", so a prefix names the
// same root as the whole body or none; only then is the whole body needed.
func detectType(body []byte) gofeed.FeedType {
	if len(body) > detectPrefix {
		if t := gofeed.DetectFeedType(bytes.NewReader(body[:detectPrefix])); t != gofeed.FeedTypeUnknown {
			return t
		}
	}
	return gofeed.DetectFeedType(bytes.NewReader(body))
}

// isHTMLPage reports whether the start of body is an HTML page, to word
// the error a user sees when a site replaced its feed with a web page.
func isHTMLPage(body []byte) bool {
	head := body[:min(len(body), 1024)]
	head = bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n"))
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return true
	}
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}
