package parse

import (
	"net/url"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// entry is an item as the format mappers hand it over: still raw text and
// HTML, but already picked from the right elements of its format.
type entry struct {
	guid       string
	link       string
	title      string
	titleKind  string         // kindText, kindHTML or kindGuess
	authors    []model.Person // raw: names may hold markup, URIs may be relative
	content    string         // full content as HTML, "" when the item has none
	summary    string         // summary or description as HTML
	categories []string
	enclosures []model.Enclosure
	lang       string
	origin     *model.Origin
	published  time.Time
	updated    time.Time
	// contentBase and summaryBase, when not nil, are the xml:base that
	// content's and summary's URLs are still to be resolved under, as
	// gofeed would have (see hollow.go).
	contentBase, summaryBase *url.URL

	// Set by shell, for fill and digest.
	htmlBase *url.URL
	def      feedDefaults
	base     *url.URL
	filled   bool // fill has run
}

// feedDefaults are what a feed says for all its items: an item without
// authors or a language of its own has the feed's.
type feedDefaults struct {
	authors []model.Person // cleaned
	lang    string         // cleaned
}

// feed starts a Feed that has these defaults, with room for n items.
func (def feedDefaults) feed(id, title, link string, n int) *Feed {
	return &Feed{
		ID:      id,
		Title:   title,
		Link:    link,
		Author:  joinNames(names(def.authors)),
		Authors: def.authors,
		Lang:    def.lang,
		Items:   make([]Item, 0, n),
	}
}

// shell turns e into an Item without its HTML: everything but Content,
// Summary and Text, which fill adds. Relative URLs are resolved against
// base, the feed's URL. It keeps what fill needs in e.
func (e *entry) shell(base *url.URL, def feedDefaults) Item {
	linkURL, link := absLink(base, e.link)
	e.htmlBase = base
	if linkURL != nil {
		e.htmlBase = linkURL
	}
	e.def, e.base = def, base
	it := Item{
		GUID:       strings.TrimSpace(cleanString(e.guid)),
		Link:       link,
		Title:      titleText(e.title, e.titleKind),
		Authors:    cleanPeople(e.authors, base),
		Categories: uniquePlain(e.categories),
		Enclosures: cleanEnclosures(e.enclosures, base),
		Lang:       cleanLang(e.lang),
		Origin:     cleanOrigin(e.origin, base),
		Published:  e.published,
		Updated:    e.updated,
	}
	if len(it.Authors) == 0 {
		it.Authors = def.authors
	}
	it.Author = joinNames(names(it.Authors))
	if it.Lang == "" {
		it.Lang = def.lang
	}
	return it
}

// fill sanitises e's HTML into it. Relative URLs in the HTML are resolved
// against its xml:base when it has one (see underXMLBase), else against
// the item's own link when it has one, else against the feed's URL, which
// is what a browser would do on the post's page.
func (e *entry) fill(it *Item) {
	content, summary := e.content, e.summary
	contentBase, summaryBase := e.underXMLBase(e.contentBase), e.underXMLBase(e.summaryBase)
	if content != "" {
		it.Content, it.Text = cleanHTML(content, contentBase, true)
	}
	switch {
	case it.Content == "":
		it.Content, it.Text = cleanHTML(summary, summaryBase, true)
	case summary != "":
		it.Summary, _ = cleanHTML(summary, summaryBase, false)
	}
	e.filled = true
}

// underXMLBase returns what the URLs of HTML under the xml:base xmlBase
// (nil for none) resolve against: xmlBase read as gofeed reads it (see
// asDirectory), itself resolved against the item's own base when relative.
// Resolving them there, in the sanitiser's one pass, does what gofeed's
// ResolveHTML did before the sanitiser, without a document parsed and
// rendered for each post.
func (e *entry) underXMLBase(xmlBase *url.URL) *url.URL {
	switch {
	case xmlBase == nil:
		return e.htmlBase
	case xmlBase.IsAbs() || e.htmlBase == nil:
		return asDirectory(xmlBase)
	}
	return e.htmlBase.ResolveReference(asDirectory(xmlBase))
}

// names returns the names of people, skipping those without one.
func names(people []model.Person) []string {
	var out []string
	for _, p := range people {
		if p.Name != "" {
			out = append(out, p.Name)
		}
	}
	return out
}
