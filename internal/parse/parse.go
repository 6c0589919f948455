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
)

// ErrNotFeed is wrapped by Parse when the body is not a feed at all, such as
// an HTML page served where a feed used to be, so callers can report that
// distinctly from a broken feed.
var ErrNotFeed = errors.New("not a feed")

// Feed is what a feed says about itself, with its items.
type Feed struct {
	ID     string // atom:id, else RSS channel link, else JSON Feed feed_url/home_page_url
	Title  string
	Link   string // the site's home page (absolute)
	Author string // feed-level author name, "" when none
	Items  []Item
}

// Item is one post of a feed, normalised across formats.
type Item struct {
	GUID       string // the source's own id: atom:id, RSS guid, JSON Feed id; "" when none
	Link       string // absolute link to the post
	Title      string // plain text
	Author     string // names joined with ", "; falls back to the feed-level author
	Summary    string // sanitised HTML of the summary, only when the item also has full content
	Content    string // sanitised HTML with absolute URLs: the full content, else the summary
	Text       string // visible text of Content, one line per block, for de-duplication
	Categories []string
	Published  time.Time // zero when the feed gives none
	Updated    time.Time // zero when the feed gives none
}

// Parse parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed document.
// feedURL is where it was fetched from, the base for relative URLs.
//
// Parse calls gofeed's format parsers directly instead of gofeed.Parser: the
// default translators parse every item's HTML once more to find images,
// which we never use.
func Parse(body []byte, feedURL string) (*Feed, error) {
	base, err := url.Parse(feedURL)
	if err != nil || !base.IsAbs() {
		base = nil
	}
	switch detectType(body) {
	case gofeed.FeedTypeRSS:
		f, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("parse rss: %w", err)
		}
		return fromRSS(f, base), nil
	case gofeed.FeedTypeAtom:
		f, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("parse atom: %w", err)
		}
		return fromAtom(f, base), nil
	case gofeed.FeedTypeJSON:
		f, err := (&jsonfeed.Parser{}).Parse(bytes.NewReader(bytes.TrimPrefix(body, utf8BOM)))
		if err != nil {
			return nil, fmt.Errorf("parse json feed: %w", err)
		}
		if !isJSONFeed(f) {
			return nil, fmt.Errorf("parse: %w: JSON document without a JSON Feed version or items", ErrNotFeed)
		}
		return fromJSON(f, base), nil
	}
	if looksLikeHTML(body) {
		return nil, fmt.Errorf("parse: %w: the document is an HTML page", ErrNotFeed)
	}
	return nil, fmt.Errorf("parse: %w: no RSS, Atom or JSON Feed root", ErrNotFeed)
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

// looksLikeHTML reports whether the start of body is an HTML page, to word
// the error a user sees when a site replaced its feed with a web page.
func looksLikeHTML(body []byte) bool {
	head := body[:min(len(body), 1024)]
	head = bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n"))
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return true
	}
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}
