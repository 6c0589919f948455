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

// build turns e into an Item. Relative URLs in the HTML are resolved against
// the item's own link when it has one, else against base (the feed's URL),
// which is what a browser would do on the post's page.
func (e *entry) build(base *url.URL, def feedDefaults) Item {
	linkURL, link := absLink(base, e.link)
	htmlBase := base
	if linkURL != nil {
		htmlBase = linkURL
	}
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
