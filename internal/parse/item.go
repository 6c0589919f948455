package parse

import (
	"net/url"
	"strings"
	"time"
)

// entry is an item as the format mappers hand it over: still raw text and
// HTML, but already picked from the right elements of its format.
type entry struct {
	guid       string
	link       string
	title      string
	authors    []string
	content    string // full content as HTML, "" when the item has none
	summary    string // summary or description as HTML
	categories []string
	published  time.Time
	updated    time.Time
}

// build turns e into an Item. Relative URLs in the HTML are resolved against
// the item's own link when it has one, else against base (the feed's URL),
// which is what a browser would do on the post's page.
func (e *entry) build(base *url.URL, feedAuthor string) Item {
	linkURL, link := absLink(base, e.link)
	htmlBase := base
	if linkURL != nil {
		htmlBase = linkURL
	}
	it := Item{
		GUID:       strings.TrimSpace(cleanString(e.guid)),
		Link:       link,
		Title:      plainText(e.title),
		Author:     joinNames(e.authors),
		Categories: uniquePlain(e.categories),
		Published:  e.published,
		Updated:    e.updated,
	}
	if it.Author == "" {
		it.Author = feedAuthor
	}
	if e.content != "" {
		it.Content, it.Text = cleanHTML(e.content, htmlBase, true)
	}
	switch {
	case it.Content == "":
		it.Content, it.Text = cleanHTML(e.summary, htmlBase, true)
	case e.summary != "":
		it.Summary, _ = cleanHTML(e.summary, htmlBase, false)
	}
	return it
}
